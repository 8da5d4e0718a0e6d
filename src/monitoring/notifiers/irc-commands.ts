// Channel commands for operators: `!status [check]`, `!ack <check> [comment]`, `!silence <check> <duration> [reason]`.
import { parseDuration } from '../format.js';

export type Command =
  | { name: 'status'; check: string | null }
  | { name: 'ack'; check: string; comment: string }
  | { name: 'silence'; check: string; durationMs: number; reason: string }
  | { name: 'help' }
  | { name: 'invalid'; reply: string };

/** What the engine answers. Each returns the lines to say in the channel. */
export interface CommandHandler {
  status(check: string | null): Promise<string[]> | string[];
  ack(check: string, by: string, comment: string): Promise<string> | string;
  silence(check: string, durationMs: number, by: string, reason: string): Promise<string> | string;
}

export const usage =
  'commands: !status [check], !ack <check> [comment], !silence <check> <duration e.g. 2h> [reason]';

/** Parse a channel message; null when it is not addressed to the bot. */
export function parseCommand(text: string): Command | null {
  const m = /^!(\w+)\s*(.*)$/.exec(text.trim());
  if (!m) return null;
  const [, verb = '', rest = ''] = m;
  const args = rest.split(/\s+/).filter(Boolean);
  switch (verb.toLowerCase()) {
    case 'status':
      return { name: 'status', check: args[0] ?? null };
    case 'ack':
      if (!args[0]) return { name: 'invalid', reply: 'usage: !ack <check> [comment]' };
      return { name: 'ack', check: args[0], comment: args.slice(1).join(' ') };
    case 'silence': {
      const durationMs = parseDuration(args[1] ?? '');
      if (!args[0] || durationMs === null)
        return {
          name: 'invalid',
          reply: 'usage: !silence <check> <duration, e.g. 30m or 2h> [reason]',
        };
      return { name: 'silence', check: args[0], durationMs, reason: args.slice(2).join(' ') };
    }
    case 'help':
      return { name: 'help' };
    default:
      return null;
  }
}

/** Run a parsed command against the engine and return the reply lines. */
export async function runCommand(
  cmd: Command,
  by: string,
  handler: CommandHandler,
): Promise<string[]> {
  switch (cmd.name) {
    case 'status':
      return handler.status(cmd.check);
    case 'ack':
      return [await handler.ack(cmd.check, by, cmd.comment)];
    case 'silence':
      return [await handler.silence(cmd.check, cmd.durationMs, by, cmd.reason)];
    case 'help':
      return [usage];
    case 'invalid':
      return [cmd.reply];
  }
}

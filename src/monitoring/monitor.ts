// The engine with its answers to the operators' channel commands (!status, !ack, !silence).
import { AppError } from '../core/errors.js';
import { formatDuration, labelOf } from './format.js';
import type { EngineDeps } from './engine.js';
import { createEngine } from './engine.js';
import type { CommandHandler } from './notifiers/irc-commands.js';

export type Monitoring = ReturnType<typeof createEngine> & {
  /** The engine's answers to `!status`, `!ack` and `!silence`, for the IRC notifier. */
  commands: CommandHandler;
};

/** Build the monitoring module. Call start() to load state and begin probing. */
export function createMonitoring(deps: EngineDeps): Monitoring {
  const engine = createEngine(deps);
  const polite =
    <A extends unknown[]>(fn: (...a: A) => string | string[]) =>
    (...a: A): string[] => {
      try {
        const out = fn(...a);
        return Array.isArray(out) ? out : [out];
      } catch (err) {
        if (err instanceof AppError) return [err.message];
        throw err;
      }
    };
  const commands: CommandHandler = {
    status: polite((check: string | null) => engine.status(check)),
    ack: (check, by, comment) => polite(() => engine.acknowledge(check, by, comment))().join(' '),
    silence: (check, ms, by, reason) =>
      polite(() => {
        engine.silence(check, deps.clock.now() + ms, reason, by);
        return `${labelOf(engine.get(check))}: silenced for ${formatDuration(ms)} by ${by}${reason ? ` (${reason})` : ''}`;
      })().join(' '),
  };
  return Object.assign(engine, { commands });
}

// Child processes with pipefail semantics: every exit is awaited, every stderr line kept and classified.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** A command to run: never a shell string, so no quoting bugs and no injection. */
export interface Command {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  /** What the report shows instead of the args (credentials never appear). */
  display?: string;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string[];
}

export interface Child {
  proc: ChildProcess;
  stdin: Writable;
  stdout: Readable;
  /** Resolves when the process has exited and its stderr is drained. */
  done: Promise<Exit>;
  name: string;
  display: string;
}

const maxStderrLines = 200;

/** Start a command; `stdin: 'ignore'` for producers. Stderr lines are collected (bounded). */
export function startChild(command: Command, options: { stdin?: 'pipe' | 'ignore' } = {}): Child {
  const proc = spawn(command.cmd, command.args, {
    stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
    // Children inherit our environment (PATH, TMPDIR); C locale keeps stderr parseable.
    // eslint-disable-next-line no-restricted-syntax -- passes the environment on; reads no config
    env: { ...process.env, LC_ALL: 'C', ...command.env },
  });
  const stderr: string[] = [];
  let partial = '';
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) if (p.trim() && stderr.length < maxStderrLines) stderr.push(p);
  });
  const done = new Promise<Exit>((resolve) => {
    let settled = false;
    proc.on('error', (err) => {
      if (settled) return;
      settled = true;
      resolve({ code: 127, signal: null, stderr: [...stderr, `spawn failed: ${err.message}`] });
    });
    proc.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      if (partial.trim()) stderr.push(partial);
      resolve({ code, signal, stderr });
    });
  });
  const name = command.cmd.split('/').pop() ?? command.cmd;
  // A consumer that stops reading must not crash us with EPIPE; the exit code tells the story.
  proc.stdin?.on('error', () => {});
  return {
    proc,
    stdin: proc.stdin as Writable,
    stdout: proc.stdout as Readable,
    done,
    name,
    display: command.display ?? [name, ...command.args].join(' '),
  };
}

/** Kill a child that is still running (after a failure elsewhere in the pipeline). */
export function stopChild(child: Child): void {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
}

/** Run to completion and capture stdout as text (small outputs: versions, table lists). */
export async function runCapture(
  command: Command,
  input?: string,
): Promise<Exit & { stdout: string }> {
  const child = startChild(command, { stdin: input === undefined ? 'ignore' : 'pipe' });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c: string) => (out += c));
  if (input !== undefined) child.stdin.end(input);
  const exit = await child.done;
  return { ...exit, stdout: out };
}

/** `exited with 3` / `killed by SIGKILL`. */
export const describeExit = (e: Exit): string =>
  e.signal ? `killed by ${e.signal}` : `exited with ${e.code ?? '?'}`;

export const exitOk = (e: Exit): boolean => e.code === 0 && e.signal === null;

// Child processes with pipefail semantics: every exit is awaited, every stderr line kept and classified.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';

/** A command to run: never a shell string, so no quoting bugs and no injection. */
export interface Command {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  /** What the report shows instead of the args (credentials never appear). */
  display?: string;
  /** The program's name in reports, when `cmd` is a wrapper (stdbuf). */
  name?: string;
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
  const name = command.name ?? command.cmd.split('/').pop() ?? command.cmd;
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

const found = new Map<string, string | null>();

/** The path `tool` runs from (PATH lookup like the shell's), or null when it is not installed. */
export function findTool(tool: string): string | null {
  let path = found.get(tool);
  if (path === undefined) {
    // eslint-disable-next-line no-restricted-syntax -- the PATH children are started with; no config
    const dirs = tool.includes('/') ? [''] : (process.env.PATH ?? '').split(':').filter(Boolean);
    path = null;
    for (const dir of dirs) {
      const candidate = dir ? join(dir, tool) : tool;
      try {
        accessSync(candidate, constants.X_OK);
        path = candidate;
        break;
      } catch {
        // not here; try the next directory
      }
    }
    found.set(tool, path);
  }
  return path;
}

/**
 * Run a producer under `stdbuf -o 1M`. Dump tools write through stdio, which flushes every 4 KiB
 * into the socketpair Node reads: mariadb-dump made ~196,000 writes per 800 MB, and reading them
 * one by one cost our process 3.5 s of CPU per run. With a 1 MiB buffer the same dump arrives in
 * ~14,000 reads for 1.1 s (measured on bench/backups' fixture; docs/benchmarks-backups.md).
 * Exit status, signals and the pid are the tool's own (stdbuf execs it); the bytes are identical.
 * `stdbuf` is the tool's name or path; where it is not installed the command runs as it is.
 */
export function withOutputBuffer(command: Command, stdbuf: string): Command {
  const path = findTool(stdbuf);
  if (!path) return command;
  const name = command.name ?? command.cmd.split('/').pop() ?? command.cmd;
  return {
    ...command,
    cmd: path,
    args: ['-o', '1M', command.cmd, ...command.args],
    name,
    display: command.display ?? [name, ...command.args].join(' '),
  };
}

/** What a consumer's stdin could not take because the consumer had stopped reading. */
export interface Undelivered {
  bytes: number;
  /** True when any of those bytes was not a zero byte. */
  nonZero: boolean;
}

/**
 * A consumer's stdin as the end of a pipeline. A consumer may exit as soon as it has read its own
 * end marker, before the producer's EOF arrives: tar does, after the archive's last record. Node
 * then destroys the stdin, and a plain pipeline fails with "Premature close" although everything
 * was delivered (seen 1 run in 8 of the panel's files restore under load). Here a closed stdin is
 * not an error by itself: bytes it could not take are counted, and zero bytes (tar's padding) are
 * allowed; the first other byte fails the sink, so a consumer that stopped early is an error.
 */
export function consumerInput(
  stdin: Writable,
  name: string,
): { sink: Writable; undelivered(): Undelivered } {
  const left: Undelivered = { bytes: 0, nonZero: false };
  let gone = false;
  const lost = (chunk: Buffer) => {
    left.bytes += chunk.length;
    if (!left.nonZero && chunk.some((b) => b !== 0)) left.nonZero = true;
  };
  stdin.once('close', () => (gone = true));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, cb) {
      if (gone || stdin.destroyed) {
        gone = true;
        lost(chunk);
        // Real data left over: stop now, so the producer is not read to its end for nothing.
        return cb(left.nonZero ? new Error(`${name} stopped reading before the end`) : null);
      }
      const ready = stdin.write(chunk, (err) => {
        if (err) {
          gone = true;
          lost(chunk);
        }
      });
      if (ready) return cb();
      const go = () => {
        stdin.off('drain', go);
        stdin.off('close', go);
        cb();
      };
      stdin.on('drain', go);
      stdin.on('close', go);
    },
    final(cb) {
      if (gone || stdin.destroyed) return cb();
      // Wait until the last write has settled, so `undelivered()` is final when we finish.
      let settled = false;
      const done = () => {
        if (!settled) cb();
        settled = true;
      };
      stdin.once('finish', done);
      stdin.once('close', done);
      stdin.end();
    },
  });
  return { sink, undelivered: () => ({ ...left }) };
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

// A private mariadbd on its own port and datadir, for faults the shared server must never suffer.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mariadb } from './support.js';

export interface PrivateMariadb {
  port: number;
  proc: ChildProcess;
  kill(): void;
  stop(): void;
}

/** Install a datadir and start mariadbd on 127.0.0.1:`port`; resolves once it answers. */
export async function startPrivateMariadb(
  options: { bufferPool?: string } = {},
): Promise<PrivateMariadb> {
  const dir = mkdtempSync(join(tmpdir(), 'bestiary-mariadbd-'));
  const port = 34000 + Math.floor(Math.random() * 2000);
  execFileSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${dir}/data`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { stdio: 'ignore' },
  );
  const proc = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${dir}/data`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${dir}/sock`,
      '--user=root',
      '--skip-log-bin',
      `--innodb-buffer-pool-size=${options.bufferPool ?? '128M'}`,
      `--pid-file=${dir}/pid`,
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    try {
      mariadb('SELECT 1', { port });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const kill = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  return {
    port,
    proc,
    kill,
    stop() {
      kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

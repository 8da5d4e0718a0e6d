// Backup benchmark on a ~1 GB MariaDB fixture: our verified pipeline against plain dump|zstd and
// dump|gzip, peak memory, and restore-test time. Run: node --import tsx bench/backups/run.ts
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import {
  createBackupEngine,
  createLocalStorage,
  createMemoryPersistence,
  type BackupTarget,
} from '../../src/backups/index.js';
import { startPrivateMariadb } from '../../test/backups/private-mariadbd.js';
import { mariadb } from '../../test/backups/support.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const scale = Number(process.env.BENCH_SCALE ?? 1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const secs = (ms: number) => (ms / 1000).toFixed(2);
const peakRss = () =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;

async function main() {
  const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const dir = mkdtempSync(join(tmpdir(), 'bestiary-bench-'));
  const server = await startPrivateMariadb({ bufferPool: '1G' });
  const conn = ['--no-defaults', '-h', '127.0.0.1', '-P', String(server.port), '-u', 'root'];
  try {
    const t0 = Date.now();
    const n = (x: number) => Math.round(x * scale);
    mariadb('CREATE DATABASE shop; CREATE DATABASE blog;', { port: server.port });
    mariadb(
      `CREATE TABLE orders (id INT PRIMARY KEY, customer INT, status VARCHAR(20), total DECIMAL(10,2), created DATETIME, address VARCHAR(300));
       INSERT INTO orders SELECT seq, seq % 9973, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'), (seq % 10000) / 7, '2026-01-01' + INTERVAL (seq % 300) DAY, CONCAT(SHA2(seq, 512), ' ', SHA2(seq, 256), ' street ', seq) FROM seq_1_to_${n(1_500_000)};
       CREATE TABLE sessions (id INT PRIMARY KEY, data VARCHAR(200));
       INSERT INTO sessions SELECT seq, SHA2(seq, 512) FROM seq_1_to_${n(100_000)};`,
      { db: 'shop', port: server.port },
    );
    mariadb(
      `CREATE TABLE posts (id INT PRIMARY KEY, title VARCHAR(200), body MEDIUMTEXT);
       INSERT INTO posts SELECT seq, CONCAT('Post ', seq), REPEAT(CONCAT(SHA2(seq, 512), ' lorem ipsum dolor sit amet '), 5 * 5) FROM seq_1_to_${n(100_000)};`,
      { db: 'blog', port: server.port },
    );
    const fixtureMs = Date.now() - t0;
    const dumpArgs = [
      ...conn,
      '--single-transaction',
      '--routines',
      '--triggers',
      '--events',
      '--all-databases',
    ];
    const shell = (cmd: string) => {
      const start = process.hrtime.bigint();
      const r = spawnSync('bash', ['-c', `set -o pipefail; ${cmd}`], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}`);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const out = join(dir, 'out');
    shell(`mariadb-dump ${dumpArgs.join(' ')} > /dev/null`); // warm the buffer pool
    const key = randomBytes(32);
    const engine = createBackupEngine({
      clock: systemClock,
      logger: silentLogger,
      persistence: createMemoryPersistence(),
      storage: createLocalStorage(join(dir, 'store')),
      encryptTo: { mode: 'aes-256-gcm', keyId: 'bench', key },
      decryptKeys: { providerKeys: { bench: key } },
      tmpDir: dir,
    });
    const target: BackupTarget = {
      id: 'bench',
      name: 'bench',
      config: {
        kind: 'mysql',
        host: '127.0.0.1',
        port: server.port,
        user: 'root',
        databases: 'all',
      },
      retention: { last: 1, daily: 0, weekly: 0, monthly: 0 },
      restoreTest: { query: 'SELECT COUNT(*) FROM orders', database: 'shop', checksums: true },
    };
    const zstdMs: number[] = [];
    const gzipMs: number[] = [];
    const oursMs: number[] = [];
    let cpuMs = 0;
    let raw = 0;
    let stored = 0;
    let zstdBytes = 0;
    let gzipBytes = 0;
    for (let i = 0; i < runs; i++) {
      zstdMs.push(shell(`mariadb-dump ${dumpArgs.join(' ')} | zstd -q -3 -T0 > ${out}.zst`));
      zstdBytes = Number(execFileSync('stat', ['-c', '%s', `${out}.zst`], { encoding: 'utf8' }));
      gzipMs.push(shell(`mysqldump ${dumpArgs.join(' ')} | gzip -6 > ${out}.gz`));
      gzipBytes = Number(execFileSync('stat', ['-c', '%s', `${out}.gz`], { encoding: 'utf8' }));
      rmSync(`${out}.gz`, { force: true });
      const cpu0 = process.cpuUsage();
      const start = process.hrtime.bigint();
      const run = await engine.run(target);
      oursMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      const cpu = process.cpuUsage(cpu0);
      cpuMs = (cpu.user + cpu.system) / 1000;
      if (run.status !== 'good') throw new Error(engine.reportText(run));
      raw = run.artifacts[0]!.rawBytes;
      if (i === runs - 1 || process.env.BENCH_VERBOSE === '1')
        for (const l of run.report)
          console.log(`  +${secs(l.at - run.startedAt)} s ${l.level} - ${l.text}`);
      stored = run.artifacts[0]!.storedBytes;
    }
    // Peer restore: the plain pipeline back into the (throwaway) server, over the originals.
    const plainRestoreMs = shell(`zstd -dc ${out}.zst | mariadb ${conn.join(' ')}`);
    const rtStart = process.hrtime.bigint();
    const rt = await engine.restoreTest(target);
    const rtMs = Number(process.hrtime.bigint() - rtStart) / 1e6;
    for (const l of rt.report)
      console.log(`  +${secs(l.at - rt.startedAt)} s ${l.level} - ${l.text}`);
    if (!rt.ok) throw new Error(rt.report.map((l) => `${l.level} - ${l.text}`).join('\n'));
    const gb = raw / 1e9;
    const ratio = median(oursMs) / median(zstdMs);
    const rows = [
      [
        'machine',
        `${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, load average at start ${loadAtStart}`,
      ],
      [
        'fixture',
        `${(raw / 1e6).toFixed(0)} MB logical dump (MariaDB ${mariadb('SELECT VERSION()', { port: server.port }).trim()}), built in ${secs(fixtureMs)} s`,
      ],
      [
        '`mariadb-dump \\| zstd -3 -T0` (pipefail)',
        `${secs(median(zstdMs))} s, ${(zstdBytes / 1e6).toFixed(0)} MB`,
      ],
      [
        '`mysqldump \\| gzip -6` (pipefail)',
        `${secs(median(gzipMs))} s, ${(gzipBytes / 1e6).toFixed(0)} MB`,
      ],
      [
        'Bestiary: dump + manifest + zstd + AES-256-GCM + atomic store + read-back verify',
        `${secs(median(oursMs))} s, ${(stored / 1e6).toFixed(0)} MB`,
      ],
      ['ratio to dump \\| zstd (target ≤ 1.15)', ratio.toFixed(3)],
      ['ratio to dump \\| gzip', (median(oursMs) / median(gzipMs)).toFixed(3)],
      ['Node CPU for one run (scan, hash, encrypt, verify)', `${secs(cpuMs)} s`],
      ['peak RSS of the Node process (VmHWM)', `${(peakRss() / 1e6).toFixed(0)} MB`],
      [
        'peer restore: `zstd -dc \\| mariadb` over the originals',
        `${secs(plainRestoreMs)} s = ${(plainRestoreMs / 1000 / gb).toFixed(1)} s per GB`,
      ],
      [
        'restore test (restore, re-dump + per-table SHA-256 compare, query, drop)',
        `${secs(rtMs)} s = ${(rtMs / 1000 / gb).toFixed(1)} s per GB (target < 60)`,
      ],
    ];
    const table = [
      '| measure | figure |',
      '| --- | --- |',
      ...rows.map(([a, b]) => `| ${a} | ${b} |`),
    ].join('\n');
    console.log(table);
    console.log(
      `runs: ${runs}; ours ${oursMs.map(secs).join(', ')}; zstd ${zstdMs.map(secs).join(', ')}; gzip ${gzipMs.map(secs).join(', ')}`,
    );
    if (process.env.BENCH_WRITE === '1') {
      const doc = readFileSync('docs/benchmarks-backups.md', 'utf8');
      const marker = '<!-- bench:results -->';
      const [head] = doc.split(marker);
      writeFileSync(
        'docs/benchmarks-backups.md',
        `${head}${marker}\nMeasured ${new Date().toISOString().slice(0, 10)}, ${runs} runs each, medians, on this 2-core machine:\n\n${table}\n`,
      );
    }
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

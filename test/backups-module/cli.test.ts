// `bestiary backup …` against a data directory (SQLite): list, run, report, restore (a wrong
// confirmation refused), verify and add, as an operator would type them.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/bin/cli.js';
import { missingTools } from '../support/tools.js';

const root = new URL('../../', import.meta.url).pathname;

describe.skipIf(missingTools('zstd', 'tar').length > 0)('npx bestiary backup', () => {
  let dir: string;
  let runId: string;
  /** In this process (quick), with the same environment the real command reads. */
  async function backup(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['backup', ...args],
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bestiary-bkcli-'));
    process.env.BESTIARY_DATA_DIR = join(dir, 'data');
    process.env.BESTIARY_LOG_LEVEL = 'silent';
    process.env.BESTIARY_JOBS = 'off';
  });
  afterAll(() => {
    delete process.env.BESTIARY_DATA_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the built-in target of our own database from the real command', async () => {
    const { stdout } = await promisify(execFile)(
      join(root, 'bin/bestiary.mjs'),
      ['backup', 'list'],
      {
        cwd: root,
        env: { ...process.env },
      },
    );
    expect(stdout).toMatch(
      /^bestiary-database {2}\[provider\] {2}SQLite .*bestiary\.sqlite .*last verified —/m,
    );
  });

  it('backs up now, printing the report as it goes, and prints it again by run id', async () => {
    const run = await backup('run', 'bestiary-database');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^INFO - integrity_check on the copy: ok$/m);
    runId = /^run (\S+): good$/m.exec(run.out)![1]!;
    const report = await backup('report', runId);
    expect(report.out).toContain(`# bestiary-database, run ${runId} (good)`);
    expect(report.out).toMatch(/^INFO - verified backup of bestiary-database/m);
    expect((await backup('list', 'bestiary-database')).out).toContain(runId);
  });

  it('refuses an overwrite with the wrong phrase, and restores into a new file', async () => {
    const wrong = await backup('restore', runId, '--over', '--confirm', 'yes');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('The confirmation phrase is "bestiary"');
    expect(wrong.err).toContain('The confirmation does not match: type "bestiary"');
    const copy = join(dir, 'copy.sqlite');
    const restored = await backup('restore', runId, '--into', copy);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toMatch(/^INFO - restore of run \S+ passed/m);
    expect(existsSync(copy)).toBe(true);
  });

  it('re-verifies stored artifacts, and adds a target', async () => {
    const verify = await backup('verify', '--deep');
    expect(verify.code, verify.out).toBe(0);
    expect(verify.out).toMatch(/^INFO - re-verify: .*every chunk authenticated$/m);
    const site = join(dir, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'index.html'), 'hi');
    const added = await backup(
      'add',
      '--name',
      'site',
      '--kind',
      'files',
      '--paths',
      site,
      '--schedule',
      '0 4 * * *',
    );
    expect(added.out).toMatch(
      /^Added site \(\S+\): directories .*site, schedule "0 4 \* \* \*"\.$/,
    );
    const bad = await backup('add', '--name', 'Bad Name', '--kind', 'files', '--paths', site);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('name: lower-case letters');
    expect((await backup('run', 'site')).code).toBe(0);
    expect((await backup('summary')).out).toMatch(/^OK - site: last good/m);
  });
});

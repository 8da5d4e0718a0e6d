// The operator CLI's zone commands against a data directory: add, import (add and --replace),
// export (text/dns and classic), list. They run in-process through runCli (a spawned CLI costs
// seconds each); one run through `npx bestiary` shows the wiring.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/bin/cli.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

describe('npx bestiary zone', () => {
  let dir: string;
  /** The CLI in this process, with this directory as its data. */
  const bestiary = async (...args: string[]) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(
      args,
      (l) => stdout.push(`${l}\n`),
      (l) => stderr.push(`${l}\n`),
    );
    return { stdout: stdout.join(''), stderr: stderr.join(''), code };
  };
  const spawned = (...args: string[]) =>
    run(join(root, 'bin/bestiary.mjs'), args, {
      cwd: root,
      env: { ...process.env, BESTIARY_DATA_DIR: dir, BESTIARY_LOG_LEVEL: 'silent' },
    })
      .then((r) => ({ ...r, code: 0 }))
      .catch((e: { code: number; stdout: string; stderr: string }) => ({
        stdout: e.stdout,
        stderr: e.stderr,
        code: e.code,
      }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bestiary-zone-cli-'));
    process.env.BESTIARY_DATA_DIR = dir;
    process.env.BESTIARY_LOG_LEVEL = 'silent';
    await bestiary(
      'create-account',
      '--email',
      'alice@example.com',
      '--password',
      'alice pw 12345',
    );
    await bestiary('create-account', '--email', 'bob@example.com', '--password', 'bob pw 1234567');
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds a zone, imports a file into it and exports it in both styles', async () => {
    const added = await bestiary('zone', 'add', '--account', 'alice@example.com', 'Example.ORG');
    expect(added.stdout).toMatch(/^Added example\.org for alice@example\.com \(serial \d+\)\./);

    const zonefile = file(
      'example.org.zone',
      '$TTL 600\nwww IN A 192.0.2.10\n@ IN MX 10 mail\nmail IN A 192.0.2.25\n',
    );
    const imported = await bestiary(
      'zone',
      'import',
      '--account',
      'alice@example.com',
      'example.org',
      zonefile,
    );
    expect(imported.stdout).toMatch(/3 added, 0 removed, 0 unchanged/);

    const api = await bestiary('zone', 'export', 'example.org');
    expect(api.stdout).toMatch(/^www\s+600 A\s+192\.0\.2\.10$/m);
    expect(api.stdout).toMatch(/^@\s+600 MX\s+10 mail\.example\.org\.$/m);
    const classic = await bestiary('zone', 'export', 'example.org', '--classic');
    expect(classic.stdout.startsWith('$ORIGIN example.org.\n')).toBe(true);
    expect(classic.stdout).toContain('mail.example.org.\t600\tIN\tA\t192.0.2.25');

    const again = await bestiary(
      'zone',
      'import',
      '--account',
      'alice@example.com',
      'example.org',
      file('export.txt', api.stdout),
      '--replace',
    );
    expect(again.stdout).toMatch(/0 added, 0 removed, 5 unchanged/);
  }, 60_000);

  it('replaces the account’s own records with --replace', async () => {
    const replaced = await bestiary(
      'zone',
      'import',
      '--account',
      'alice@example.com',
      'example.org',
      file('new.zone', 'www 300 IN A 192.0.2.99\n'),
      '--replace',
    );
    expect(replaced.stdout).toMatch(/1 added, 3 removed/);
    const api = await bestiary('zone', 'export', 'example.org');
    expect(api.stdout).toMatch(/^www\s+300 A\s+192\.0\.2\.99$/m);
    expect(api.stdout).not.toContain('mail');
    expect(api.stdout).toMatch(/ NS /);
  }, 60_000);

  it('lists zones with kind, serial and owner, for everyone or one account', async () => {
    const all = await spawned('zone', 'list');
    expect(all.stdout).toMatch(/^example\.org\tdns-only\t\d+\talice@example\.com$/m);
    expect(all.code).toBe(0);
    expect((await bestiary('zone', 'list', '--account', 'bob@example.com')).stdout).toBe('');
  }, 60_000);

  it('shows a zone’s DNSSEC, and stops signing at once only by the clearly named override', async () => {
    await bestiary('zone', 'add', '--account', 'bob@example.com', 'signed.example');
    const shown = await bestiary('zone', 'dnssec', 'signed.example');
    expect(shown.stdout).toMatch(/^status\tunknown$/m);
    expect(shown.stdout).toMatch(/^ds\t\d+ 13 2 [0-9A-F]{64}\tactive$/m);
    const off = await bestiary('zone', 'dnssec-stop-signing-now', 'signed.example');
    expect(off.stdout).toContain('the safe turn-off was skipped');
    expect((await bestiary('zone', 'dnssec', 'signed.example')).stdout).toMatch(
      /^status\tunsigned$/m,
    );
  });

  it('refuses bad input with every error and its line, a non-zero exit and no change', async () => {
    const bad = await bestiary(
      'zone',
      'import',
      '--account',
      'alice@example.com',
      'example.org',
      file('bad.zone', 'ok IN A 192.0.2.1\nbad IN A 300.1.1.1\nworse IN MX x\n'),
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 2:');
    expect(bad.stderr).toContain('line 3:');
    expect((await bestiary('zone', 'export', 'example.org')).stdout).not.toContain('ok ');

    const theirs = await bestiary(
      'zone',
      'import',
      '--account',
      'bob@example.com',
      'example.org',
      file('x.zone', 'x IN A 192.0.2.1\n'),
    );
    expect(theirs.code).toBe(1);
    expect(theirs.stderr).toMatch(/not found/i);
    const taken = await bestiary('zone', 'add', '--account', 'bob@example.com', 'example.org');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('already hosted');
  }, 60_000);
});

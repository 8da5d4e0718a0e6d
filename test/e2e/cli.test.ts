// The operator CLI, run as an operator would run it (`npx bestiary …`) against a data directory.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp } from '../../src/main.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

describe('npx bestiary', () => {
  let dir: string;
  const bestiary = (...args: string[]) =>
    run(join(root, 'bin/bestiary.mjs'), args, {
      cwd: root,
      env: { ...process.env, BESTIARY_DATA_DIR: dir, BESTIARY_LOG_LEVEL: 'silent' },
    }).catch((e: { code: number; stdout: string; stderr: string }) => ({
      stdout: e.stdout,
      stderr: e.stderr,
      code: e.code,
    }));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bestiary-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, creates accounts and prints a scoped API key that works', async () => {
    expect((await bestiary('migrate')).stdout).toContain('up to date');
    const admin = await bestiary('create-admin', '--email', 'ops@example.net');
    expect(admin.stdout).toMatch(/Created admin ops@example\.net/);
    expect(admin.stdout).toMatch(/One-time password .*: \S{20}/);
    await bestiary(
      'create-account',
      '--email',
      'alice@example.com',
      '--password',
      'alice password 1',
    );
    const key = await bestiary(
      'api-key',
      'create',
      '--account',
      'alice@example.com',
      '--scope',
      'dns:rw:zones=example.com:hosts=_acme-challenge:types=TXT',
      '--scope',
      'pi:ro',
    );
    const id = /key id: (\S+)/.exec(key.stdout)![1]!;
    const secret = /secret: (\S+)/.exec(key.stdout)![1]!;
    expect(key.stdout).toContain(
      'access: DNS read-write; zones example.com; hosts _acme-challenge; types TXT',
    );

    const app = buildApp(loadConfig({ BESTIARY_DATA_DIR: dir }), { logger: silentLogger });
    try {
      const principal = await app.accounts.apiKeys.authenticateBasic(id, secret, '127.0.0.1');
      expect(principal.scope).toHaveLength(2);
      const audit = await app.accounts.audit.list({ limit: 10 });
      expect(audit.some((e) => e.action === 'api_key.created' && e.channel === 'cli')).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('refuses bad input with a clear message and a non-zero exit', async () => {
    const bad = (await bestiary(
      'api-key',
      'create',
      '--account',
      'alice@example.com',
      '--scope',
      'ftp:rw',
    )) as { stderr: string; code?: number };
    expect(bad.stderr).toContain('Unknown API "ftp"');
    expect(bad.code).toBe(1);
    const unknown = (await bestiary('frobnicate')) as { stderr: string; code?: number };
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command');
  });
});

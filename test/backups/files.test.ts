// Directories as tar: round trip with file counts, and an X25519-encrypted artifact.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../support/tools.js';
import {
  createBackupEngine,
  generateRecipientKeyPair,
  type BackupTarget,
} from '../../src/backups/index.js';
import { backupSetup, errors, type BackupSetup } from './support.js';

const missing = missingTools('tar', 'zstd');

describe.skipIf(missing.length > 0)('directory backups', () => {
  let s: BackupSetup;
  let target: BackupTarget;
  beforeAll(() => {
    const pair = generateRecipientKeyPair();
    s = backupSetup({
      encryptTo: { mode: 'x25519', recipient: pair.recipient },
      decryptKeys: { identities: [pair.identity] },
    });
    const root = join(s.dir, 'site');
    mkdirSync(join(root, 'deep', 'er'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<h1>hi</h1>');
    writeFileSync(join(root, 'deep', 'er', 'blob.bin'), randomBytes(300_000));
    writeFileSync(join(root, 'deep', 'x'.repeat(120)), 'long name');
    target = { id: 'files', name: 'site', config: { kind: 'files', paths: [root] } };
  });
  afterAll(() => s.cleanup());

  it('archives, proves the end-of-archive marker, and restore-tests file counts and sizes', async () => {
    const engine = createBackupEngine(s.deps);
    const run = await engine.run(target);
    expect(errors(run.report)).toEqual([]);
    expect(engine.reportText(run)).toMatch(/tar end-of-archive marker present/);
    expect(run.artifacts[0]!.tables[0]).toMatchObject({ rows: 3, bytes: 11 + 300_000 + 9 });
    expect(run.artifacts[0]!.encryption.mode).toBe('x25519');
    const test = await engine.restoreTest(target);
    expect(errors(test.report)).toEqual([]);
    expect(test.ok).toBe(true);
  });

  it('refuses relative paths', async () => {
    const run = await createBackupEngine(s.deps).run({
      ...target,
      config: { kind: 'files', paths: ['var/www'] },
    });
    expect(errors(run.report)[0]).toMatch(/path must be absolute/);
  });
});

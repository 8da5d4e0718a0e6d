// Checks kept as code: the YAML file is applied at start and again whenever it changes; a file that
// does not parse or validate leaves the previous checks in place and says why.
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, loggedIn } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import { actorFor, waitFor } from './support.js';

const first = `
checks:
  www:
    name: provider www
    type: http
    params: { url: 'https://www.bestiary.example/' }
    public: true
  ns1:
    type: dns
    params: { server: '127.0.0.1:5300', name: bestiary.example, type: SOA }
    parent: www
`;

const second = `
checks:
  www:
    name: provider www
    type: http
    params: { url: 'https://www.bestiary.example/', keyword: Welcome }
    public: true
  smtp:
    type: tcp
    params: { host: mail.bestiary.example, port: 25 }
`;

describe('the checks file', () => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'checks-file-'));
  const path = join(dir, 'checks.yml');
  const operator = actorFor('ops', true);
  const labels = async () =>
    (await t.app.monitoring.checks.list(operator)).map((c) => `${c.label} ${c.source}`).sort();
  /** Replace the file the way editors do: write a new one and rename it over the old. */
  const save = (text: string) => {
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  };

  beforeAll(async () => {
    writeFileSync(path, first);
    t = await buildTestApp({ config: { monitoring: { checksFile: path } } });
    await t.app.monitoring.start();
  });
  afterAll(async () => {
    await t.app.monitoring.stop();
    await t.close();
  });

  it('applies the file at start: provider checks, parents by key', async () => {
    expect(await labels()).toEqual(['ns1 [ns1] config', 'provider www [www] config']);
    const [ns1] = (await t.app.monitoring.checks.list(operator)).filter((c) => c.ref === 'ns1');
    const detail = await t.app.monitoring.checks.get(operator, ns1!.id);
    expect(detail.parent?.name).toBe('provider www');
    expect(detail.row.accountId).toBeNull();
    expect((await t.app.monitoring.publicStatus()).map((s) => s.name)).toEqual(['provider www']);
  });

  it('follows a change: adds, changes and removes checks', async () => {
    const www = (await t.app.monitoring.checks.list(operator)).find((c) => c.ref === 'www')!;
    save(second);
    await waitFor(
      async () => (await labels()).join() === 'provider www [www] config,smtp [smtp] config',
      10_000,
      'the new set',
    );
    const after = await t.app.monitoring.checks.get(operator, www.id);
    expect(after.input.params).toEqual({
      url: 'https://www.bestiary.example/',
      keyword: 'Welcome',
    });
    expect(t.app.monitoring.checksFile()?.error).toBeNull();
  });

  it('keeps the previous checks when the file is not valid YAML, and reports it', async () => {
    save('checks: [oops\n');
    await waitFor(() => t.app.monitoring.checksFile()?.error != null, 10_000, 'the error');
    expect(await labels()).toEqual(['provider www [www] config', 'smtp [smtp] config']);
    const admin = await loggedIn(t.app, await buildAccount(t.app, { role: 'admin' }));
    expect((await admin.get('/monitoring')).text).toContain(
      'was refused, so its previous checks stay',
    );
  });

  it('keeps the previous checks when a check is invalid, naming it', async () => {
    save(second.replace('port: 25', 'port: 99999'));
    await waitFor(
      () => /smtp\.params\.port/.test(t.app.monitoring.checksFile()?.error ?? ''),
      10_000,
      'the error naming the field',
    );
    expect(await labels()).toEqual(['provider www [www] config', 'smtp [smtp] config']);
    save(second.replace('port: 25', 'port: 587'));
    await waitFor(() => t.app.monitoring.checksFile()?.error === null, 10_000, 'the fix applied');
  });

  it('refuses to edit or delete a file check anywhere else', async () => {
    const smtp = (await t.app.monitoring.checks.list(operator)).find((c) => c.ref === 'smtp')!;
    await expect(t.app.monitoring.checks.remove(operator, smtp.id)).rejects.toThrow(
      /Only checks added/,
    );
    await expect(
      t.app.monitoring.checks.update(operator, smtp.id, {
        name: 'x',
        type: 'tcp',
        params: { host: 'a.example', port: 1 },
      }),
    ).rejects.toThrow(/checks file/);
  });
});

// Debian's lexicon (python3-lexicon, provider mythicbeasts), unchanged but for its hard-coded
// URLs, through the wrapper of apis.md §7.3: create (with its ?verify), list, update and delete a
// TXT record; and the TXT-only key failing on lexicon's whole-zone POST, as lexicon #972 reports.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import { run } from './acme.js';

const PYTHON = '/usr/bin/python3';
// Debian's package (apt-get install python3-lexicon); the pyenv python on PATH cannot see it.
const missing = missingTools(
  PYTHON,
  '/usr/lib/python3/dist-packages/lexicon/providers/mythicbeasts.py',
);

const wrapper = (base: string) => `
import requests, lexicon.providers.mythicbeasts as mb
BASE = ${JSON.stringify(base)}
_init = mb.Provider.__init__
def init(self, config):
    _init(self, config); self.api_endpoint = BASE + "/dns/v2"
mb.Provider.__init__ = init
_req = requests.request
def req(method, url, *a, **kw):
    return _req(method, BASE + "/login" if url == "https://auth.mythic-beasts.com/login" else url, *a, **kw)
mb.requests.request = req
from lexicon.cli import main; main()
`;

describe.skipIf(missing.length > 0)('lexicon (provider mythicbeasts) against Bestiary', () => {
  let server: TestServer;
  let dir: string;
  let lexicon: (key: { id: string; secret: string }, ...args: string[]) => Promise<string>;
  let records: () => Promise<unknown[]>;

  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'bestiary-lexicon-'));
    writeFileSync(join(dir, 'lexicon_local.py'), wrapper(server.apiUrl));
    lexicon = async (key, action, ...rest) =>
      (
        await run(
          PYTHON,
          [
            join(dir, 'lexicon_local.py'),
            'mythicbeasts',
            // `=`: a secret may begin with '-', which argparse would take for an option.
            `--auth-username=${key.id}`,
            `--auth-password=${key.secret}`,
            '--output',
            'JSON',
            action,
            'example.com',
            ...rest,
          ],
          { timeout: 30_000 },
        )
      ).stdout;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists, updates and deletes a TXT record', async () => {
    const account = await buildAccount(server.app);
    const zone = await server.app.dns.zones.create(account.id, 'example.com', 'dns-only', {
      accountId: account.id,
      ip: null,
      channel: 'panel',
    });
    const made = await buildApiKey(server.app, account, ['dns:rw:zones=example.com']);
    const key = { id: made.key.id, secret: made.secret };
    const auth = `Basic ${Buffer.from(`${key.id}:${key.secret}`).toString('base64')}`;
    records = async () =>
      (
        (await (
          await fetch(`${server.apiUrl}/dns/v2/zones/${zone.name}/records/_acme-challenge/TXT`, {
            headers: { authorization: auth },
          })
        ).json()) as { records: unknown[] }
      ).records;

    const name = ['--name', '_acme-challenge.example.com'];
    expect(await lexicon(key, 'create', 'TXT', ...name, '--content', 'tok1')).toBe(
      '"1 records added"\n',
    );
    expect(await records()).toEqual([
      { data: 'tok1', host: '_acme-challenge', ttl: 3600, type: 'TXT' },
    ]);
    // A second create of the same record is "Duplicate record", which lexicon accepts.
    await lexicon(key, 'create', 'TXT', ...name, '--content', 'tok1');

    const listed = JSON.parse(await lexicon(key, 'list', 'TXT')) as {
      name: string;
      content: string;
    }[];
    expect(listed.map((r) => [r.name, r.content])).toEqual([
      ['_acme-challenge.example.com', 'tok1'],
    ]);

    await lexicon(key, 'update', 'TXT', ...name, '--content', 'tok2', '--ttl', '300');
    expect(await records()).toEqual([
      { data: 'tok2', host: '_acme-challenge', ttl: 300, type: 'TXT' },
    ]);

    await lexicon(key, 'delete', 'TXT', ...name, '--content', 'tok2');
    expect(await records()).toEqual([]);
  });

  it('fails for a TXT-only key, whose scope does not cover the whole-zone POST lexicon makes', async () => {
    const account = await buildAccount(server.app);
    await server.app.dns.zones.create(account.id, 'example.org', 'dns-only', {
      accountId: account.id,
      ip: null,
      channel: 'panel',
    });
    const made = await buildApiKey(server.app, account, [
      'dns:rw:zones=example.org:hosts=_acme-challenge:types=TXT',
    ]);
    const key = { id: made.key.id, secret: made.secret };
    const failed = await run(
      PYTHON,
      [
        join(dir, 'lexicon_local.py'),
        'mythicbeasts',
        `--auth-username=${key.id}`,
        `--auth-password=${key.secret}`,
        'create',
        'example.org',
        'TXT',
        '--name',
        '_acme-challenge.example.org',
        '--content',
        'tok',
      ],
      { timeout: 30_000 },
    ).then(
      () => 'succeeded',
      (e: { stdout: string; stderr: string }) => e.stdout + e.stderr,
    );
    expect(failed).toMatch(/403 Client Error/);
  });
});

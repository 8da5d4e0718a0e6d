// Debian's lego, unchanged, with its `mythicbeasts` provider pointed at Bestiary (apis.md §7.1):
// it logs in, POSTs the DNS-01 TXT records, pebble validates them through Bestiary's own DNS
// server, and lego deletes them again by ?data=.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import type { AcmeLab } from './acme.js';
import { certificateNames, runLego, startAcmeLab, txtQueries } from './acme.js';

const missing = missingTools('lego', 'pebble', 'openssl');

describe.skipIf(missing.length > 0)('lego (provider mythicbeasts) against Bestiary', () => {
  let lab: AcmeLab;
  let server: TestServer;

  beforeAll(async () => {
    lab = await startAcmeLab();
    server = lab.server;
  });
  afterAll(() => lab?.stop());

  it('gets a certificate for example.com and *.example.com by DNS-01 through the API', async () => {
    const account = await buildAccount(server.app);
    await server.app.dns.zones.create(account.id, 'example.com', 'dns-only', {
      accountId: account.id,
      ip: null,
      channel: 'panel',
    });
    // The key the provider's docs recommend: TXT at _acme-challenge only.
    const { key, secret } = await buildApiKey(server.app, account, [
      'dns:rw:zones=example.com:hosts=_acme-challenge:types=TXT',
    ]);
    const before = await txtQueries(server.app);
    const { output, path } = await runLego(lab, 'mythicbeasts', ['example.com', '*.example.com'], {
      MYTHICBEASTS_USERNAME: key.id,
      MYTHICBEASTS_PASSWORD: secret,
      MYTHICBEASTS_API_ENDPOINT: `${server.apiUrl}/dns/v2`,
      MYTHICBEASTS_AUTH_API_ENDPOINT: `${server.apiUrl}/login`,
    });
    expect(output).toContain('Server responded with a certificate');
    expect(await certificateNames(join(path, 'certificates', 'example.com.crt'))).toEqual([
      '*.example.com',
      'example.com',
    ]);
    // pebble asked our server for the TXT records (lego itself only asks for SOA/CNAME)...
    expect(await txtQueries(server.app)).toBeGreaterThan(before);
    // ...and lego cleaned up after itself with DELETE ?data= (records_removed == 1 each).
    const left = await fetch(
      `${server.apiUrl}/dns/v2/zones/example.com/records/_acme-challenge/TXT`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${key.id}:${secret}`).toString('base64')}`,
        },
      },
    );
    expect(await left.text()).toBe('{"records":[]}\n');
  }, 120_000);
});

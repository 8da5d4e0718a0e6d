// Debian's lego, unchanged, with its `mythicbeasts` provider pointed at Bestiary (apis.md §7.1):
// it logs in, POSTs the DNS-01 TXT records, pebble validates them through Bestiary's own DNS
// server, and lego deletes them again by ?data=.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { freePort, startTestServer } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import type { Pebble } from './acme.js';
import { certificateNames, run, startPebble, txtQueries } from './acme.js';

const missing = missingTools('lego', 'pebble', 'openssl');

describe.skipIf(missing.length > 0)('lego (provider mythicbeasts) against Bestiary', () => {
  let server: TestServer;
  let pebble: Pebble;
  let dnsPort: number;

  beforeAll(async () => {
    dnsPort = await freePort();
    server = await startTestServer({
      config: { dns: { listen: `127.0.0.1:${dnsPort}`, rrlPerSecond: 0 } },
    });
    await server.app.dns.start();
    pebble = await startPebble(dnsPort);
  });
  afterAll(async () => {
    await pebble?.stop();
    await server?.app.dns.stop();
    await server?.close();
  });

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
    const path = join(pebble.dir, 'lego');
    let output: string;
    try {
      const result = await run(
        'lego',
        [
          '--server',
          pebble.url,
          '--accept-tos',
          '--email',
          'admin@example.com',
          '--path',
          path,
          '--domains',
          'example.com',
          '--domains',
          '*.example.com',
          '--dns',
          'mythicbeasts',
          '--dns.resolvers',
          `127.0.0.1:${dnsPort}`,
          '--dns.disable-cp',
          'run',
        ],
        {
          env: {
            ...process.env,
            MYTHICBEASTS_USERNAME: key.id,
            MYTHICBEASTS_PASSWORD: secret,
            MYTHICBEASTS_API_ENDPOINT: `${server.apiUrl}/dns/v2`,
            MYTHICBEASTS_AUTH_API_ENDPOINT: `${server.apiUrl}/login`,
            LEGO_CA_CERTIFICATES: pebble.certFile,
          },
          timeout: 90_000,
        },
      );
      output = result.stdout + result.stderr;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`lego failed:\n${err.stdout}${err.stderr}\npebble:\n${pebble.output()}`, {
        cause: e,
      });
    }
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

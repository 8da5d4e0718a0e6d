// Dynamic UPDATE (RFC 2136 + TSIG) from real ACME clients: certbot's dns-rfc2136 plugin and
// lego's rfc2136 provider, each with a TSIG key a customer made (scoped to TXT at
// _acme-challenge), get certificates from pebble, which validates through Bestiary's own server.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/index.js';
import type { TestServer } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { buildAccount } from '../fixtures/builders.js';
import type { AcmeLab } from './acme.js';
import { certificateNames, clientFailed, run, runLego, startAcmeLab, txtQueries } from './acme.js';

const missing = missingTools('certbot', 'lego', 'pebble', 'openssl');

describe.skipIf(missing.length > 0)('RFC 2136 clients against Bestiary', () => {
  let lab: AcmeLab;
  let server: TestServer;
  let account: Account;

  beforeAll(async () => {
    lab = await startAcmeLab();
    server = lab.server;
    account = await buildAccount(server.app);
    const actor = { accountId: account.id, ip: null, channel: 'panel' as const };
    await server.app.dns.zones.create(account.id, 'example.com', 'dns-only', actor);
  });
  afterAll(() => lab?.stop());

  /** A TSIG key as the panel makes it: TXT at the challenge names of example.com only. */
  async function challengeKey(label: string) {
    const actor = { accountId: account.id, ip: null, channel: 'panel' as const };
    const { key, secret } = await server.app.dns.tsig.create(
      account.id,
      {
        label,
        zones: ['example.com'],
        hosts: ['_acme-challenge', '_acme-challenge.www'],
        types: ['TXT'],
      },
      actor,
    );
    return { name: key.name, secret };
  }

  it('certbot --dns-rfc2136 gets a certificate for example.com and www.example.com', async () => {
    const { name, secret } = await challengeKey('certbot');
    const dir = join(lab.pebble.dir, 'certbot');
    const credentials = join(lab.pebble.dir, 'rfc2136.ini');
    writeFileSync(
      credentials,
      [
        'dns_rfc2136_server = 127.0.0.1',
        `dns_rfc2136_port = ${lab.dnsPort}`,
        `dns_rfc2136_name = ${name}`,
        `dns_rfc2136_secret = ${secret}`,
        'dns_rfc2136_algorithm = HMAC-SHA256',
        '',
      ].join('\n'),
    );
    chmodSync(credentials, 0o600);
    const before = await txtQueries(server.app);
    try {
      await run(
        'certbot',
        [
          'certonly',
          '--server',
          lab.pebble.url,
          '--dns-rfc2136',
          '--dns-rfc2136-credentials',
          credentials,
          '--dns-rfc2136-propagation-seconds',
          '1',
          '-d',
          'example.com',
          '-d',
          'www.example.com',
          '--agree-tos',
          '--register-unsafely-without-email',
          '--non-interactive',
          '--config-dir',
          join(dir, 'conf'),
          '--work-dir',
          join(dir, 'work'),
          '--logs-dir',
          join(dir, 'logs'),
        ],
        { env: { ...process.env, REQUESTS_CA_BUNDLE: lab.pebble.certFile }, timeout: 90_000 },
      );
    } catch (e) {
      throw clientFailed('certbot', lab.pebble, e);
    }
    const cert = join(dir, 'conf/live/example.com/cert.pem');
    expect(await certificateNames(cert)).toEqual(['example.com', 'www.example.com']);
    expect(await txtQueries(server.app)).toBeGreaterThan(before);
    // certbot removed its challenge records again.
    expect(server.app.dns.server.lookup('_acme-challenge.example.com.', 16).answer).toEqual([]);
  });

  it('lego --dns rfc2136 gets a certificate for example.com', async () => {
    const { name, secret } = await challengeKey('lego');
    const { output, path } = await runLego(lab, 'rfc2136', ['example.com'], {
      RFC2136_NAMESERVER: `127.0.0.1:${lab.dnsPort}`,
      RFC2136_TSIG_KEY: name,
      RFC2136_TSIG_SECRET: secret,
      RFC2136_TSIG_ALGORITHM: 'hmac-sha256.',
    });
    expect(output).toContain('Server responded with a certificate');
    expect(await certificateNames(join(path, 'certificates', 'example.com.crt'))).toEqual([
      'example.com',
    ]);
    expect(server.app.dns.server.lookup('_acme-challenge.example.com.', 16).answer).toEqual([]);
  });
});

// Debian's certbot with manual hooks that call the DNS API with curl and HTTP Basic (apis.md
// §7.4), validated for real by pebble through Bestiary's DNS server. The hooks also poll
// ?verify as acme.sh does, and one name puts its TXT at a dotted host (_acme-challenge.www).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { missingTools } from '../support/tools.js';
import { buildAccount, buildApiKey } from '../fixtures/builders.js';
import type { AcmeLab, Pebble } from './acme.js';
import { certificateNames, clientFailed, run, startAcmeLab, txtQueries } from './acme.js';

const missing = missingTools('certbot', 'pebble', 'openssl', 'curl');

const authHook = `#!/bin/sh
set -e
Z=example.com; H=$(printf %s "_acme-challenge.$CERTBOT_DOMAIN" | sed "s/\\.$Z\\$//")
curl -fsS -u "$MB_KEY:$MB_SECRET" -X POST "$MB_DNS_API/zones/$Z/records/$H/TXT" \\
     --data-urlencode "data=$CERTBOT_VALIDATION" --data ttl=60 >> "$HOOK_LOG"
curl -fsS -u "$MB_KEY:$MB_SECRET" "$MB_DNS_API/zones/$Z/records/$H/TXT?verify" >> "$HOOK_LOG"
`;
const cleanupHook = `#!/bin/sh
set -e
Z=example.com; H=$(printf %s "_acme-challenge.$CERTBOT_DOMAIN" | sed "s/\\.$Z\\$//")
curl -fsS -u "$MB_KEY:$MB_SECRET" -X DELETE -G "$MB_DNS_API/zones/$Z/records/$H/TXT" \\
     --data-urlencode "data=$CERTBOT_VALIDATION" >> "$HOOK_LOG"
`;

describe.skipIf(missing.length > 0)('certbot with curl hooks against Bestiary', () => {
  let lab: AcmeLab;
  let server: TestServer;
  let pebble: Pebble;

  beforeAll(async () => {
    lab = await startAcmeLab();
    ({ server, pebble } = lab);
  });
  afterAll(() => lab?.stop());

  it('gets a certificate for example.com and www.example.com through the hooks', async () => {
    const account = await buildAccount(server.app);
    await server.app.dns.zones.create(account.id, 'example.com', 'dns-only', {
      accountId: account.id,
      ip: null,
      channel: 'panel',
    });
    const { key, secret } = await buildApiKey(server.app, account, [
      'dns:rw:zones=example.com:hosts=_acme-challenge,_acme-challenge.www:types=TXT',
    ]);
    const dir = pebble.dir;
    for (const [name, text] of [
      ['auth.sh', authHook],
      ['clean.sh', cleanupHook],
    ] as const) {
      writeFileSync(join(dir, name), text);
      chmodSync(join(dir, name), 0o755);
    }
    const hookLog = join(dir, 'hooks.log');
    writeFileSync(hookLog, '');
    const before = await txtQueries(server.app);
    try {
      await run(
        'certbot',
        [
          'certonly',
          '--server',
          pebble.url,
          '--manual',
          '--preferred-challenges',
          'dns',
          '--manual-auth-hook',
          join(dir, 'auth.sh'),
          '--manual-cleanup-hook',
          join(dir, 'clean.sh'),
          '-d',
          'example.com',
          '-d',
          'www.example.com',
          '--agree-tos',
          '--register-unsafely-without-email',
          '--non-interactive',
          '--config-dir',
          join(dir, 'cb/conf'),
          '--work-dir',
          join(dir, 'cb/work'),
          '--logs-dir',
          join(dir, 'cb/logs'),
        ],
        {
          env: {
            ...process.env,
            MB_KEY: key.id,
            MB_SECRET: secret,
            MB_DNS_API: `${server.apiUrl}/dns/v2`,
            HOOK_LOG: hookLog,
            REQUESTS_CA_BUNDLE: pebble.certFile,
          },
          timeout: 90_000,
        },
      );
    } catch (e) {
      throw clientFailed('certbot', pebble, e);
    }
    const cert = join(dir, 'cb/conf/live/example.com/cert.pem');
    expect(await certificateNames(cert)).toEqual(['example.com', 'www.example.com']);
    expect(await txtQueries(server.app)).toBeGreaterThan(before);
    const log = readFileSync(hookLog, 'utf8');
    // Two adds with the reference's exact reply, two verifies, two exact deletes.
    expect(log.match(/\{"message":"1 records added","records_added":1\}/g)).toHaveLength(2);
    expect(
      log.match(
        /\{"records":\[\{"data":"[^"]+","host":"_acme-challenge[^"]*","ttl":60,"type":"TXT"\}\]\}/g,
      ),
    ).toHaveLength(2);
    expect(log.match(/\{"records_removed":1\}/g)).toHaveLength(2);
  }, 120_000);
});

// A self-signed P-256 certificate for localhost, made with the real openssl, for the tests that
// run TLS servers (TLS checks, IRC over TLS, InspIRCd's ssl_gnutls).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSigned {
  keyFile: string;
  certFile: string;
  key: Buffer;
  cert: Buffer;
}

/** Writes `<prefix>key.pem` and `<prefix>cert.pem` into `dir`, valid for `days` from now. */
export function selfSignedCert(dir: string, days = 2, prefix = ''): SelfSigned {
  const keyFile = join(dir, `${prefix}key.pem`);
  const certFile = join(dir, `${prefix}cert.pem`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat(
      ['-days', String(days), '-subj', '/CN=localhost'],
      ['-keyout', keyFile, '-out', certFile],
    ),
    { stdio: 'ignore' },
  );
  return { keyFile, certFile, key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

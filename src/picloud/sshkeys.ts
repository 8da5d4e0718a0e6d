// OpenSSH public keys as customers paste them: parse, validate, fingerprint (as `ssh-keygen -lf`).
import { createHash } from 'node:crypto';
import { ValidationError } from '../core/errors.js';

export type SshKeyAlgorithm = 'ED25519' | 'ECDSA' | 'RSA';

/** One validated public key. `line` is the canonical `type base64 [comment]` form to store. */
export interface SshPublicKey {
  type: string;
  algorithm: SshKeyAlgorithm;
  bits: number;
  /** `SHA256:` plus unpadded base64 of the key blob's SHA-256, exactly as ssh-keygen prints it. */
  fingerprint: string;
  comment: string;
  blob: string;
  line: string;
}

export const minRsaBits = 2048;

const curves: Record<string, { curve: string; bits: number; pointBytes: number }> = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', bits: 256, pointBytes: 65 },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', bits: 384, pointBytes: 97 },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', bits: 521, pointBytes: 133 },
};

const privateMarkers = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,
  /PuTTY-User-Key-File-/,
  /^b3BlbnNzaC1rZXktdjE/m, // base64 of "openssh-key-v1", a private key body without its armour
];

/** Reads SSH wire-format strings out of a key blob, refusing anything truncated. */
function reader(buf: Buffer) {
  let at = 0;
  return {
    bytes(): Buffer {
      if (at + 4 > buf.length) throw new Error('truncated');
      const len = buf.readUInt32BE(at);
      if (at + 4 + len > buf.length) throw new Error('truncated');
      const out = buf.subarray(at + 4, at + 4 + len);
      at += 4 + len;
      return out;
    },
    done: () => at === buf.length,
  };
}

/** Bit length of an SSH mpint (big-endian, possibly with a leading zero byte). */
function mpintBits(n: Buffer): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  if (i === n.length) return 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

function bad(message: string): never {
  throw new ValidationError(message);
}

function decodeBlob(type: string, b64: string): { algorithm: SshKeyAlgorithm; bits: number } {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) bad('The key data is not valid base64.');
  const blob = Buffer.from(b64, 'base64');
  try {
    const r = reader(blob);
    if (r.bytes().toString('latin1') !== type)
      bad(`The key data does not match its type "${type}"; it may be damaged.`);
    let result: { algorithm: SshKeyAlgorithm; bits: number };
    if (type === 'ssh-ed25519') {
      if (r.bytes().length !== 32) bad('This ed25519 key has the wrong length; it may be damaged.');
      result = { algorithm: 'ED25519', bits: 256 };
    } else if (type === 'ssh-rsa') {
      const e = r.bytes();
      const bits = mpintBits(r.bytes());
      if (mpintBits(e) < 2) bad('This RSA key has an invalid exponent.');
      if (bits < minRsaBits)
        bad(
          `This RSA key has ${bits} bits; at least ${minRsaBits} are required. An ed25519 key is best.`,
        );
      result = { algorithm: 'RSA', bits };
    } else {
      const c = curves[type]!;
      if (r.bytes().toString('latin1') !== c.curve) bad('This ECDSA key names the wrong curve.');
      const q = r.bytes();
      if (q.length !== c.pointBytes || q[0] !== 4) bad('This ECDSA key has an invalid point.');
      result = { algorithm: 'ECDSA', bits: c.bits };
    }
    if (!r.done()) bad('The key data has trailing bytes; it may be damaged.');
    return result;
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    bad('The key data is truncated; it may have been cut off when copying.');
  }
}

/** Parse and validate one OpenSSH public key line (`type base64 [comment]`). */
export function parsePublicKey(text: string): SshPublicKey {
  const line = text.trim();
  if (privateMarkers.some((m) => m.test(line)))
    bad(
      'This looks like a PRIVATE key. Never paste a private key anywhere; paste the .pub file instead.',
    );
  if (/^---- BEGIN SSH2 PUBLIC KEY ----/.test(line))
    bad(
      'This is an RFC 4716 (SSH2) key; convert it with `ssh-keygen -i -f key.pub` and paste the result.',
    );
  const [type = '', b64 = '', ...rest] = line.split(/\s+/);
  const comment = rest.join(' ');
  if (type === 'ssh-dss') bad('DSA keys are insecure and not accepted; please use an ed25519 key.');
  if (type.startsWith('sk-'))
    bad('Security-key (FIDO) keys are not supported yet; please use an ed25519 key.');
  if (type !== 'ssh-ed25519' && type !== 'ssh-rsa' && !(type in curves))
    bad(
      'This is not an OpenSSH public key. It should start with ssh-ed25519, ecdsa-sha2-nistp256 or ssh-rsa (see ~/.ssh/id_ed25519.pub).',
    );
  if (b64 === '') bad('The key data is missing after the key type.');
  const { algorithm, bits } = decodeBlob(type, b64);
  const digest = createHash('sha256').update(Buffer.from(b64, 'base64')).digest('base64');
  return {
    type,
    algorithm,
    bits,
    fingerprint: `SHA256:${digest.replace(/=+$/, '')}`,
    comment,
    blob: b64,
    line: comment === '' ? `${type} ${b64}` : `${type} ${b64} ${comment}`,
  };
}

/**
 * Parse several keys pasted at once, one per line (blank lines and `#` comments skipped,
 * duplicates dropped). Any bad line refuses the whole paste, with one detail per bad line.
 */
export function parsePublicKeys(text: string): SshPublicKey[] {
  if (privateMarkers.some((m) => m.test(text)))
    bad(
      'This looks like a PRIVATE key. Never paste a private key anywhere; paste the .pub file instead.',
    );
  const keys: SshPublicKey[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const key = parsePublicKey(line);
      if (!seen.has(key.fingerprint)) keys.push(key);
      seen.add(key.fingerprint);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      problems.push(`line ${i + 1}: ${err.message}`);
    }
  });
  if (problems.length === 1 && keys.length === 0) bad(problems[0]!.replace(/^line \d+: /, ''));
  if (problems.length > 0) throw new ValidationError('Some of the keys are not valid.', problems);
  if (keys.length === 0) bad('No SSH public key was given.');
  return keys;
}

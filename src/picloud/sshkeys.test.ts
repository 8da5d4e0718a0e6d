// SSH public key validation, checked against what OpenSSH's own ssh-keygen says about the same keys.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import { parsePublicKey, parsePublicKeys } from './sshkeys.js';

const dir = mkdtempSync(join(tmpdir(), 'sshkeys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Make a key with ssh-keygen; return its .pub line, private text and `ssh-keygen -lf` output. */
function keygen(type: string, bits?: number, comment = 'alice@laptop') {
  const file = join(dir, `${type}-${bits ?? 0}-${Math.random().toString(36).slice(2)}`);
  const args = ['-q', '-t', type, '-N', '', '-C', comment, '-f', file];
  if (bits) args.push('-b', String(bits));
  execFileSync('ssh-keygen', args);
  const lf = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' }).trim();
  return { pub: readFileSync(`${file}.pub`, 'utf8'), priv: readFileSync(file, 'utf8'), lf };
}

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return [err.message, ...err.details].join(' | ');
    throw err;
  }
  throw new Error('expected a ValidationError');
};

describe('parsePublicKey', () => {
  it.each([
    ['ed25519', undefined, 'ED25519'],
    ['ecdsa', 256, 'ECDSA'],
    ['ecdsa', 384, 'ECDSA'],
    ['ecdsa', 521, 'ECDSA'],
    ['rsa', 2048, 'RSA'],
    ['rsa', 3072, 'RSA'],
  ])('fingerprints a %s %s key exactly as ssh-keygen -lf does', (type, bits, label) => {
    const k = keygen(type, bits);
    const key = parsePublicKey(k.pub);
    expect(`${key.bits} ${key.fingerprint} ${key.comment} (${key.algorithm})`).toBe(k.lf);
    expect(key.algorithm).toBe(label);
  });

  it('keeps a comment with spaces and gives a canonical line', () => {
    const k = keygen('ed25519', undefined, 'alice on the laptop');
    const key = parsePublicKey(`  ${k.pub}  `);
    expect(key.comment).toBe('alice on the laptop');
    expect(key.line).toBe(k.pub.trim());
  });

  it('refuses a private key and says it must never be pasted', () => {
    const k = keygen('ed25519');
    expect(message(() => parsePublicKey(k.priv))).toMatch(/PRIVATE key.*Never paste/);
    expect(message(() => parsePublicKeys(`${k.pub}\n${k.priv}`))).toMatch(/PRIVATE key/);
  });

  it('refuses RSA keys shorter than 2048 bits', () => {
    const k = keygen('rsa', 1024);
    expect(message(() => parsePublicKey(k.pub))).toMatch(/1024 bits; at least 2048/);
  });

  it('refuses DSA keys', () => {
    expect(message(() => parsePublicKey('ssh-dss AAAAB3NzaC1kc3MAAACB x@y'))).toMatch(/DSA keys/);
  });

  it.each([
    ['junk', 'hello world', /not an OpenSSH public key/],
    ['a missing body', 'ssh-ed25519', /key data is missing/],
    ['bad base64', 'ssh-ed25519 !!!!', /not valid base64/],
    ['a truncated body', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB', /truncated/],
  ])('refuses %s with a clear message', (_what, text, expected) => {
    expect(message(() => parsePublicKey(text))).toMatch(expected);
  });

  it('refuses a body whose type does not match the declared type', () => {
    const k = keygen('ed25519');
    const body = k.pub.split(' ')[1]!;
    expect(message(() => parsePublicKey(`ssh-rsa ${body}`))).toMatch(/does not match its type/);
  });
});

describe('parsePublicKeys', () => {
  it('accepts several keys pasted at once and drops duplicates and blank lines', () => {
    const a = keygen('ed25519');
    const b = keygen('ecdsa', 256);
    const keys = parsePublicKeys(`${a.pub}\n\n# work\n${b.pub}\r\n${a.pub}`);
    expect(keys.map((k) => k.algorithm)).toEqual(['ED25519', 'ECDSA']);
  });

  it('names every bad line', () => {
    const a = keygen('ed25519');
    const err = message(() => parsePublicKeys(`${a.pub.trim()}\njunk\nssh-dss AAAA`));
    expect(err).toContain('line 2:');
    expect(err).toContain('line 3: DSA');
  });

  it('refuses an empty paste', () => {
    expect(message(() => parsePublicKeys('\n  \n'))).toMatch(/No SSH public key/);
  });
});

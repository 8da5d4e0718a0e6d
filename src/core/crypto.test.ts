import { describe, expect, it } from 'vitest';
import { createSealer } from './crypto.js';

describe('sealer', () => {
  const sealer = createSealer('x'.repeat(40));

  it('round-trips a secret within its context', () => {
    const sealed = sealer.seal('JBSWY3DPEHPK3PXP', 'totp:acc1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealer.open(sealed, 'totp:acc1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a value sealed for another context or altered', () => {
    const sealed = sealer.seal('secret', 'totp:acc1');
    expect(() => sealer.open(sealed, 'totp:acc2')).toThrow();
    // Change one character in the middle (base64's last one may carry unused bits), always to
    // a different one.
    const i = Math.floor(sealed.length / 2);
    const flipped = sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
    expect(() => sealer.open(flipped, 'totp:acc1')).toThrow();
  });

  it('refuses a value sealed under another key', () => {
    const other = createSealer('y'.repeat(40));
    expect(() => other.open(sealer.seal('s', 'c'), 'c')).toThrow();
  });

  it('derives separate MAC keys per purpose', () => {
    expect(sealer.mac('csrf', 'v')).toBe(sealer.mac('csrf', 'v'));
    expect(sealer.mac('csrf', 'v')).not.toBe(sealer.mac('other', 'v'));
  });
});

import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, totpAt } from './totp.js';

describe('totp', () => {
  // RFC 4226 Appendix D test values for the secret "12345678901234567890".
  const rfcSecret = Buffer.from('12345678901234567890');
  it.each([
    [0, '755224'],
    [1, '287082'],
    [9, '520489'],
  ])('computes HOTP for counter %i as in RFC 4226', (counter, code) => {
    expect(hotp(rfcSecret, counter)).toBe(code);
  });

  it('computes TOTP as in RFC 6238 Appendix B (SHA-1, 59 s → 94287082 truncated to 6 digits)', () => {
    expect(totpAt(base32Encode(rfcSecret), 59_000)).toBe('287082');
  });

  it('round-trips base32', () => {
    expect(base32Decode(base32Encode(rfcSecret)).equals(rfcSecret)).toBe(true);
  });

  it('accepts one step of drift but never the same step twice', () => {
    const secret = base32Encode(rfcSecret);
    const t = 1_700_000_000_000;
    const code = totpAt(secret, t - 30_000);
    const step = matchTotp(secret, code, t, 0);
    expect(step).not.toBeNull();
    expect(matchTotp(secret, code, t, step!)).toBeNull();
    expect(matchTotp(secret, totpAt(secret, t - 120_000), t, 0)).toBeNull();
    expect(matchTotp(secret, 'abcdef', t, 0)).toBeNull();
  });
});

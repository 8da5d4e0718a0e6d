// Response rate limiting with a fake clock.
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../core/clock.js';
import { createRrl, defaultRrl, networkOf, RrlVerdict } from './rrl.js';

describe('response rate limiting', () => {
  it('allows the budget, then drops and slips every second response', () => {
    const clock = createFakeClock();
    const rrl = createRrl({ ...defaultRrl, responsesPerSecond: 5, slip: 2 }, clock);
    const verdicts = Array.from({ length: 9 }, () => rrl.check('192.0.2.10', 'k'));
    expect(verdicts).toEqual([
      0,
      0,
      0,
      0,
      0,
      RrlVerdict.Drop,
      RrlVerdict.Slip,
      RrlVerdict.Drop,
      RrlVerdict.Slip,
    ]);
    clock.advance(1000);
    expect(rrl.check('192.0.2.10', 'k')).toBe(RrlVerdict.Send);
  });

  it('counts a /24 together and other networks and identities apart', () => {
    const rrl = createRrl({ ...defaultRrl, responsesPerSecond: 1, slip: 0 }, createFakeClock());
    expect(rrl.check('192.0.2.1', 'k')).toBe(RrlVerdict.Send);
    expect(rrl.check('192.0.2.200', 'k')).toBe(RrlVerdict.Drop);
    expect(rrl.check('198.51.100.1', 'k')).toBe(RrlVerdict.Send);
    expect(rrl.check('192.0.2.1', 'other')).toBe(RrlVerdict.Send);
  });

  it('never limits exempt networks', () => {
    const rrl = createRrl(
      { ...defaultRrl, responsesPerSecond: 1, exempt: ['127.0.0.0/8'] },
      createFakeClock(),
    );
    for (let i = 0; i < 10; i++) expect(rrl.check('127.0.0.1', 'k')).toBe(RrlVerdict.Send);
  });

  it.each([
    ['192.0.2.77', '192.0.2'],
    ['::ffff:192.0.2.77', '192.0.2'],
    ['2001:db8:aa:bb00::1', 'v6:20010db800aabb'],
    ['2001:db8:aa:bbff:1::1', 'v6:20010db800aabb'],
  ])('puts %s in network %s', (addr, net) => {
    expect(networkOf(addr, 24, 56)).toBe(net);
  });
});

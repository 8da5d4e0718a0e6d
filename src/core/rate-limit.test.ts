import { describe, expect, it } from 'vitest';
import { createFakeClock } from './clock.js';
import { RateLimitedError } from './errors.js';
import { createRateLimiter } from './rate-limit.js';

describe('rate limiter', () => {
  it('allows the limit, refuses the next, and forgives after the window', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ limit: 3, windowSeconds: 60 }, clock);
    for (let i = 0; i < 3; i++) limiter.hit('1.2.3.4');
    expect(() => limiter.hit('1.2.3.4')).toThrow(RateLimitedError);
    limiter.hit('5.6.7.8');
    clock.advance(60_000);
    expect(() => limiter.hit('1.2.3.4')).not.toThrow();
  });

  it('says how long to wait', () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ limit: 1, windowSeconds: 60 }, clock);
    limiter.hit('k');
    clock.advance(15_000);
    try {
      limiter.hit('k');
      expect.unreachable();
    } catch (e) {
      expect((e as RateLimitedError).retryAfterSeconds).toBe(45);
    }
  });
});

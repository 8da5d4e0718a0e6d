// Fixed-window counters for rate limits (login, signup, reset, tokens). In-process by design:
// each instance limits its own traffic (docs/decisions.md).
import type { Clock } from './clock.js';
import { RateLimitedError } from './errors.js';

export interface RateRule {
  limit: number;
  windowSeconds: number;
}

export interface RateLimiter {
  /** Count one attempt for `key`; throws RateLimitedError once the window's limit is passed. */
  hit(key: string): void;
  /** Forget `key`, e.g. after a successful login. */
  reset(key: string): void;
}

export function createRateLimiter(rule: RateRule, clock: Clock, maxKeys = 100_000): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const windowMs = rule.windowSeconds * 1000;
  return {
    hit(key) {
      const now = clock.now();
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
          if (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        }
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      if (w.count > rule.limit) {
        throw new RateLimitedError(Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)));
      }
    },
    reset(key) {
      windows.delete(key);
    },
  };
}

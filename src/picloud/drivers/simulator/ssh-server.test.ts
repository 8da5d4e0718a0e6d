// Host keys the simulator makes must be keys its SSH server can load: ssh2's own generator gives
// one it cannot parse about 1 time in 256, which left a simulated Pi without SSH.
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { newHostKey } from './ssh-server.js';

describe('newHostKey', () => {
  it('makes 2,000 ed25519 host keys that all parse (without the retry, ~8 would not)', () => {
    const refused: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const key = newHostKey();
      const parsed = ssh2.utils.parseKey(key);
      if (parsed instanceof Error) refused.push(parsed.message);
      else expect(parsed.type).toBe('ssh-ed25519');
    }
    expect(refused).toEqual([]);
  });
});

// UDP worker processes serve signed zones too: the signatures and the NSEC3 chain travel in the
// snapshot, so a worker answers DO queries from its own copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, statusOf } from '../dns-server/helpers.js';
import { missingTools } from '../support/tools.js';
import { parentZone } from './support.js';

describe.skipIf(missingTools('dig').length > 0)('signed zones on UDP workers', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer({ workers: 2 });
    s.setZone(parentZone(5));
    for (let i = 0; i < 100 && !(await s.dig('+dnssec', 'www.example.org')).includes('RRSIG'); i++)
      await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => s.stop());

  it('answers with RRSIGs and NSEC3 proofs from the workers', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => s.dig('+dnssec', 'www.example.org', 'A')),
    );
    for (const a of answers) expect(a).toMatch(/IN\s+RRSIG\s+A 13 3 3600/);
    const nx = await s.dig('+dnssec', 'nothing.example.org', 'A');
    expect(statusOf(nx)).toBe('NXDOMAIN');
    expect(nx.match(/IN\s+NSEC3\s/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

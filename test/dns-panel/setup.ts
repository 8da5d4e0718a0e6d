// What the DNS panel tests share: an app with a logged-in customer, and short ways to make a zone,
// read its records through the module, and ask our DNS server what it serves.
import type { Account } from '../../src/accounts/index.js';
import { everything, fullAccess } from '../../src/dns/index.js';
import type { StoredRecord, ZoneRow } from '../../src/dns/index.js';
import { buildAccount, loggedIn } from '../fixtures/builders.js';
import type { TestApp } from '../support/app.js';
import { buildTestApp } from '../support/app.js';
import type { PanelClient, Reply } from '../support/clients.js';

export const TYPE = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16, AAAA: 28, SRV: 33, CAA: 257 };

export interface World {
  t: TestApp;
  account: Account;
  client: PanelClient;
  /** Add a zone through the panel and return it. */
  zone(name: string): Promise<ZoneRow>;
  /** The zone's records as the module keeps them. */
  records(zone: string): Promise<StoredRecord[]>;
  /** The zone as stored now (serial). */
  row(zone: string): Promise<ZoneRow>;
  /** POST a panel form, with the CSRF token of `from` (default: the DNS page). */
  post(path: string, fields: Record<string, string>, from?: string): Promise<Reply>;
  /** What our server answers: presentation-ish strings for A, raw hex otherwise. */
  served(name: string, type: number): { rcode: number; answer: string[] };
}

export async function setup(config: Parameters<typeof buildTestApp>[0] = {}): Promise<World> {
  const t = await buildTestApp(config);
  const account = await buildAccount(t.app);
  const client = await loggedIn(t.app, account);
  const access = fullAccess(account.id, { accountId: account.id, ip: null, channel: 'panel' });
  const w: World = {
    t,
    account,
    client,
    async zone(name) {
      const reply = await w.post('/dns', { name });
      if (reply.status !== 303) throw new Error(`adding ${name} failed: ${reply.status}`);
      return w.row(name);
    },
    records: async (zone) =>
      t.app.dns.records.list(access, await t.app.dns.zones.find(access, zone), everything),
    row: (zone) => t.app.dns.zones.find(access, zone),
    post: (path, fields, from = '/dns') => client.post(path, fields, { csrfFrom: from }),
    served(name, type) {
      const { rcode, answer } = t.app.dns.server.lookup(name, type);
      return {
        rcode,
        answer: answer
          .filter((r) => r.type === type)
          .map((r) =>
            type === TYPE.A ? [...r.rdata].join('.') : Buffer.from(r.rdata).toString('latin1'),
          ),
      };
    },
  };
  return w;
}

/** The lines `host ttl TYPE rdata` of a zone's records, sorted. */
export const linesOf = (records: readonly StoredRecord[]) =>
  records.map((r) => `${r.host} ${r.ttl} ${r.type} ${r.rdata}`).sort();

/** Text of a page with tags removed and entities decoded (enough for assertions). */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

// `?verify` (apis.md §3.5): does our authoritative server already serve the selection? Bestiary
// is the primary every listed nameserver answers from, so one in-process lookup speaks for all.
import { rdataToWire, typeCode } from './record-types/index.js';
import type { StoredRecord } from './records.js';
import type { DnsServer } from './server/index.js';

export interface VerifyResult {
  ok: boolean;
  /** One line per nameserver when not consistent: "Received 0 record(s), expected 1 from ns1.…". */
  errors: string[];
}

export function createVerifier(deps: { server: DnsServer; nameservers: readonly string[] }) {
  return {
    /**
     * Compare the expected records (the selection) with what the server answers for each
     * name and type they cover, plus `also` (the URL's host/type when nothing is selected).
     * `partial`: the selection picks only some records of its RRsets (a data filter, template
     * exclusions), so each must be served but others may be served beside them.
     */
    verify(
      expected: readonly StoredRecord[],
      also: { name: string; type: string } | null,
      partial = false,
    ): VerifyResult {
      const groups = new Map<string, { name: string; type: string; records: StoredRecord[] }>();
      for (const r of expected) {
        if (r.type === 'ANAME') continue;
        const key = `${r.record.name}|${r.type}`;
        const group = groups.get(key) ?? { name: r.record.name, type: r.type, records: [] };
        group.records.push(r);
        groups.set(key, group);
      }
      if (also && !groups.has(`${also.name}|${also.type}`))
        groups.set(`${also.name}|${also.type}`, { ...also, records: [] });
      let received = 0;
      let wanted = 0;
      let consistent = true;
      for (const g of groups.values()) {
        const code = typeCode(g.type as never);
        const served = deps.server
          .lookup(g.name, code)
          .answer.filter((a) => a.type === code && a.name === g.name);
        const servedKeys = new Set(served.map((a) => Buffer.from(a.rdata).toString('hex')));
        const expectedKeys = new Set(
          g.records.map((r) => Buffer.from(rdataToWire(r.record)).toString('hex')),
        );
        const missing = [...expectedKeys].filter((k) => !servedKeys.has(k)).length;
        received += partial ? g.records.length - missing : served.length;
        wanted += g.records.length;
        if (missing > 0 || (!partial && servedKeys.size !== expectedKeys.size)) consistent = false;
      }
      if (consistent) return { ok: true, errors: [] };
      return {
        ok: false,
        errors: deps.nameservers.map(
          (ns) =>
            `Received ${received} record(s), expected ${wanted} from ${ns.endsWith('.') ? ns : `${ns}.`}`,
        ),
      };
    },
  };
}

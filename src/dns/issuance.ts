// "Who may issue for this name?" (RFC 8659 §3): the CAA algorithm run over what Bestiary's
// server actually serves, so the answer is the one a CA would get from us.
import type { CaaEvaluation, CaaLookup } from './caa.js';
import { evaluateCaa } from './caa.js';
import { normalizeName } from './names.js';
import type { CaaData } from './record-types/index.js';
import { rdataFromWire } from './record-types/index.js';
import { readWireName } from './rdata-bytes.js';

const CNAME = 5;
const CAA = 257;
const REFUSED = 5;

type Served = (
  name: string,
  type: number,
) => { rcode: number; answer: { name: string; type: number; rdata: Uint8Array }[] };

export function createIssuance(deps: { served: Served }) {
  const lookup: CaaLookup = (name) => {
    const reply = deps.served(name, CAA);
    if (reply.rcode === REFUSED) return { kind: 'external' };
    const first = reply.answer[0];
    if (first && first.type === CNAME && first.name === name)
      return { kind: 'cname', target: readWireName(first.rdata, 0).name };
    const caa = reply.answer.filter((r) => r.type === CAA && r.name === name);
    if (caa.length)
      return { kind: 'caa', records: caa.map((r): CaaData => rdataFromWire('CAA', r.rdata)) };
    return { kind: 'none' };
  };
  return {
    /** Evaluate for `name` (any form: "www.example.com", "example.com."). */
    evaluate: (name: string): Promise<CaaEvaluation> => evaluateCaa(normalizeName(name), lookup),
  };
}

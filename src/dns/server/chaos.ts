// CHAOS-class identity queries (version.bind, id.server, ...), answered only when configured.
import { RRClass, RRType } from '../wire/constants.js';
import { nameToWire } from '../wire/name.js';
import { emptyAnswer, type Answer } from './answer.js';
import { Rcode } from '../wire/constants.js';

export interface ChaosOptions {
  version?: string;
  identity?: string;
}

const txt = (s: string): Uint8Array => {
  const b = Buffer.from(s.slice(0, 255), 'utf8').subarray(0, 255);
  return Buffer.concat([Buffer.from([b.length]), b]);
};

/** Answer a CH-class question, or REFUSED when the name is not one we publish. */
export function chaosAnswer(
  opts: ChaosOptions | undefined,
  name: string,
  qtype: number,
  owner: Uint8Array,
): Answer {
  const value =
    name === 'version.bind.' || name === 'version.server.'
      ? opts?.version
      : name === 'id.server.' || name === 'hostname.bind.'
        ? opts?.identity
        : undefined;
  if (value === undefined) return emptyAnswer(Rcode.REFUSED, false, 'refused');
  const ans = emptyAnswer(Rcode.NOERROR, true, 'answer');
  if (qtype === RRType.TXT || qtype === RRType.ANY) {
    ans.answer.push({
      owner,
      rrset: {
        name,
        owner: nameToWire(name),
        type: RRType.TXT,
        ttl: 0,
        rdata: [txt(value)],
        targets: [undefined],
      },
    });
  }
  return ans;
}

export const isChaos = (qclass: number): boolean => qclass === RRClass.CH;

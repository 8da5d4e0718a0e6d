// The shape of an answer before encoding: sections of RRsets with their owner as sent.
import type { IndexedZone, RRset } from './zone-index.js';

/** One RRset placed in a section; `owner` differs from the RRset's name for wildcard and DNAME synthesis. */
export interface SectionEntry {
  owner: Uint8Array;
  rrset: RRset;
  /** TTL override (the negative-caching TTL of an SOA in a negative answer). */
  ttl?: number;
  /** Glue a referral cannot do without (RFC 9471): if it does not fit, set TC. */
  required?: boolean;
}

/** Which rule of RFC 1034 §4.3.2 / RFC 4592 produced the answer; the DNSSEC signer needs it. */
export type AnswerKind =
  | 'answer'
  | 'wildcard'
  | 'nodata'
  | 'wildcard-nodata'
  | 'nxdomain'
  | 'referral'
  | 'refused'
  | 'cname-exit';

/** A denial or wildcard proof a DNSSEC answer owes (RFC 5155 §7.2), noted only when DO is set. */
export interface Denial {
  zone: IndexedZone;
  kind: 'nxdomain' | 'nodata' | 'wildcard' | 'wildcard-nodata' | 'referral';
  /** The name looked up (the delegation point for a referral). */
  name: string;
  closestEncloser?: string;
}

export interface Answer {
  rcode: number;
  aa: boolean;
  kind: AnswerKind;
  answer: SectionEntry[];
  authority: SectionEntry[];
  additional: SectionEntry[];
  /** Every zone consulted: a cached copy is stale once any of them is retired. */
  zones: IndexedZone[];
  /** For denial and wildcard proofs: the closest encloser and the wildcard used, if any. */
  closestEncloser?: string;
  wildcard?: string;
  /** Proofs to add when the answer is signed, one per step of a CNAME chain that needs one. */
  denials?: Denial[];
}

export const emptyAnswer = (rcode: number, aa: boolean, kind: AnswerKind): Answer => ({
  rcode,
  aa,
  kind,
  answer: [],
  authority: [],
  additional: [],
  zones: [],
});

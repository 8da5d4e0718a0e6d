// A seam for an online signer that sees every authoritative answer before it is encoded and
// cached. Bestiary's own DNSSEC does not use it: zones arrive signed in their snapshots (RRSIG,
// NSEC3, DNSKEY) and dnssec-answer.ts picks the records a DO query needs, which also works in
// UDP workers.
import type { Answer } from './answer.js';
import type { LookupQuestion } from './lookup.js';
import type { SnapshotRecord } from './types.js';
import type { IndexedZone } from './zone-index.js';

export interface SignRequest {
  question: LookupQuestion;
  /**
   * The answer to sign, mutable: push RRSIG RRsets after the RRsets they cover and denial
   * records into `authority`. `kind`, `closestEncloser` and `wildcard` say which proof is due;
   * `zones[0]` is the zone answered from. The result is cached per (name, type, DO, size).
   */
  answer: Answer;
  dnssecOk: boolean;
}

/** An online signer; it must be synchronous and fast, caching its signatures. */
export interface AnswerSigner {
  sign(request: SignRequest): void;
  /** Extra records (DNSKEY, RRSIG, NSEC/NSEC3) to send in AXFR/IXFR so secondaries serve the signed zone. */
  zoneRecords?(zone: IndexedZone): readonly SnapshotRecord[];
}

// The DNSSEC seam (issue 7): an online signer sees every authoritative answer before it is
// encoded and cached, and adds RRSIG, NSEC/NSEC3 and DNSKEY data to its sections.
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

// DS records (RFC 4034 §5): a child zone's key digest, published by the parent at the delegation so
// a customer can sign a zone delegated from theirs. The digest is hex, accepted in either case and
// stored lower case (the reasoning is in sshfp.ts). API fields `ds_key_tag`, `ds_algorithm`,
// `ds_digest_type` beside `data` (the digest), after SSHFP/TLSA; the reference shows no DS shape.
// Placement (below the apex, beside NS) is a rule across records: rrset-rules.ts.
import { byteReader, byteWriter } from '../rdata-bytes.js';
import {
  bad,
  error,
  expectFields,
  field,
  fromHex,
  hexFrom,
  jsonString,
  jsonUint,
  parseUint,
  toHex,
  warning,
} from './common.js';
import type { DsData, Issue, RecordType } from './types.js';

/** Digest types and their lengths in octets: 1 SHA-1, 2 SHA-256, 4 SHA-384 (RFC 4509, RFC 6605). */
const DIGEST_LENGTH = new Map([
  [1, 20],
  [2, 32],
  [4, 48],
]);
/** DNSKEY algorithms validators implement (RFC 8624 §3.1): RSA/SHA-1 and SHA-2, ECDSA, EdDSA. */
const ALGORITHMS = new Set([5, 7, 8, 10, 13, 14, 15, 16]);
/** Algorithms RFC 8624 says validators must not (or need not) support any more. */
const RETIRED = new Map([
  [1, 'RSA/MD5'],
  [3, 'DSA'],
  [6, 'DSA-NSEC3-SHA1'],
  [12, 'GOST'],
]);

/** Delegation signer records. */
export const ds: RecordType<DsData> = {
  type: 'DS',
  code: 43,
  jsonFields: ['ds_key_tag', 'ds_algorithm', 'ds_digest_type'],
  parse(tokens) {
    expectFields(tokens, 'DS', 'key tag, algorithm, digest type and hex digest', 4, Infinity);
    return {
      keyTag: parseUint(field(tokens, 0), 65535, 'DS', 'key tag'),
      algorithm: parseUint(field(tokens, 1), 255, 'DS', 'algorithm'),
      digestType: parseUint(field(tokens, 2), 255, 'DS', 'digest type'),
      digest: hexFrom(tokens, 3, 'DS', 'digest'),
    };
  },
  format: (d) => `${d.keyTag} ${d.algorithm} ${d.digestType} ${d.digest}`,
  fromJson: (input) => ({
    keyTag: jsonUint(input, 'ds_key_tag', 65535, 'DS'),
    algorithm: jsonUint(input, 'ds_algorithm', 255, 'DS'),
    digestType: jsonUint(input, 'ds_digest_type', 255, 'DS'),
    digest: toHex(fromHex(jsonString(input, 'data', 'DS'), 'DS', 'digest')),
  }),
  toJson: (d) => ({
    data: d.digest,
    ds_algorithm: d.algorithm,
    ds_digest_type: d.digestType,
    ds_key_tag: d.keyTag,
  }),
  toWire(d) {
    const w = byteWriter();
    w.u16(d.keyTag);
    w.u8(d.algorithm);
    w.u8(d.digestType);
    w.bytes(fromHex(d.digest, 'DS', 'digest'));
    return w.done();
  },
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const [keyTag, algorithm, digestType] = [r.u16(), r.u8(), r.u8()];
    const digest = r.rest();
    if (digest.length === 0) throw bad('DS', 'digest is empty');
    return { keyTag, algorithm, digestType, digest: toHex(digest) };
  },
  validate(d, ctx) {
    const issues: Issue[] = [];
    if (ctx.owner === ctx.zone) {
      issues.push(
        error(
          `DS is not allowed at the zone apex ${ctx.zone}: the DS of this zone goes to its parent (your registrar); here DS belongs at a delegated name, beside its NS records`,
        ),
      );
    }
    if (d.algorithm === 0)
      issues.push(error('DS algorithm 0 is reserved; use the DNSKEY’s algorithm'));
    else if (RETIRED.has(d.algorithm)) {
      issues.push(
        warning(
          `DS algorithm ${d.algorithm} (${RETIRED.get(d.algorithm)}) is no longer validated (RFC 8624); resolvers will treat the child as unsigned`,
        ),
      );
    } else if (!ALGORITHMS.has(d.algorithm)) {
      issues.push(
        warning(`DS algorithm ${d.algorithm} is not one resolvers are known to validate`),
      );
    }
    const expected = DIGEST_LENGTH.get(d.digestType);
    if (d.digestType === 0) {
      issues.push(error('DS digest type 0 is reserved; use 2 (SHA-256)'));
    } else if (expected === undefined) {
      issues.push(
        warning(
          `DS digest type ${d.digestType} is not 1 (SHA-1), 2 (SHA-256) or 4 (SHA-384); resolvers may ignore it`,
        ),
      );
    } else if (d.digest.length !== expected * 2) {
      issues.push(
        error(
          `DS digest type ${d.digestType} needs a ${expected * 2}-digit digest, got ${d.digest.length}`,
        ),
      );
    } else if (d.digestType === 1) {
      issues.push(warning('DS digest type 1 (SHA-1) is deprecated (RFC 8624); prefer 2 (SHA-256)'));
    }
    return issues;
  },
  target: () => null,
};

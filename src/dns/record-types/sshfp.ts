// SSHFP records (RFC 4255, RFC 6594, RFC 7479, RFC 8709): SSH host-key fingerprints.
//
// Hex case: fingerprints are octets; hex is only how they are written. We accept upper case from
// zone files and from the API alike and always store and print lower case. The reference API
// refuses upper case (dnscontrol PR #2545), but no client depends on that refusal, and DNS answers
// are identical either way, so the friendlier reading wins. Same for TLSA.
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
import type { Issue, RecordType, SshfpData } from './types.js';

/** Algorithms: 1 RSA, 2 DSA, 3 ECDSA, 4 Ed25519, 6 Ed448. */
const ALGORITHMS = new Set([1, 2, 3, 4, 6]);
/** Fingerprint types and their digest lengths in octets: 1 SHA-1, 2 SHA-256. */
const DIGEST_LENGTH = new Map([
  [1, 20],
  [2, 32],
]);

/** SSH fingerprint records. */
export const sshfp: RecordType<SshfpData> = {
  type: 'SSHFP',
  code: 44,
  jsonFields: ['sshfp_algorithm', 'sshfp_type'],
  parse(tokens) {
    expectFields(tokens, 'SSHFP', 'algorithm, fingerprint type and hex fingerprint', 3, Infinity);
    return {
      algorithm: parseUint(field(tokens, 0), 255, 'SSHFP', 'algorithm'),
      fpType: parseUint(field(tokens, 1), 255, 'SSHFP', 'fingerprint type'),
      fingerprint: hexFrom(tokens, 2, 'SSHFP', 'fingerprint'),
    };
  },
  format: (d) => `${d.algorithm} ${d.fpType} ${d.fingerprint}`,
  fromJson: (input) => ({
    algorithm: jsonUint(input, 'sshfp_algorithm', 255, 'SSHFP'),
    fpType: jsonUint(input, 'sshfp_type', 255, 'SSHFP'),
    fingerprint: toHex(fromHex(jsonString(input, 'data', 'SSHFP'), 'SSHFP', 'fingerprint')),
  }),
  toJson: (d) => ({ data: d.fingerprint, sshfp_algorithm: d.algorithm, sshfp_type: d.fpType }),
  toWire(d) {
    const w = byteWriter();
    w.u8(d.algorithm);
    w.u8(d.fpType);
    w.bytes(fromHex(d.fingerprint, 'SSHFP', 'fingerprint'));
    return w.done();
  },
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const algorithm = r.u8();
    const fpType = r.u8();
    const digest = r.rest();
    if (digest.length === 0) throw bad('SSHFP', 'fingerprint is empty');
    return { algorithm, fpType, fingerprint: toHex(digest) };
  },
  validate(d) {
    const issues: Issue[] = [];
    if (!ALGORITHMS.has(d.algorithm)) {
      issues.push(warning(`SSHFP algorithm ${d.algorithm} is not one SSH clients know (1-4, 6)`));
    }
    const expected = DIGEST_LENGTH.get(d.fpType);
    if (expected === undefined) {
      issues.push(warning(`SSHFP fingerprint type ${d.fpType} is not 1 (SHA-1) or 2 (SHA-256)`));
    } else if (d.fingerprint.length !== expected * 2) {
      issues.push(
        error(
          `SSHFP type ${d.fpType} needs a ${expected * 2}-digit fingerprint, got ${d.fingerprint.length}`,
        ),
      );
    }
    return issues;
  },
  target: () => null,
};

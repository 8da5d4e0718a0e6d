// TLSA records (RFC 6698, RFC 7671 DANE): certificate associations for `_port._proto` owners.
// Hex is accepted in either case and stored lower case (the reasoning is in sshfp.ts).
import { labelsOf } from '../names.js';
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
import type { Issue, RecordType, TlsaData } from './types.js';

/** Matching types and their digest lengths: 0 full data, 1 SHA-256, 2 SHA-512. */
const DIGEST_LENGTH = new Map([
  [1, 32],
  [2, 64],
]);

/** TLSA (DANE) records. */
export const tlsa: RecordType<TlsaData> = {
  type: 'TLSA',
  code: 52,
  jsonFields: ['tlsa_usage', 'tlsa_selector', 'tlsa_matching'],
  parse(tokens) {
    expectFields(tokens, 'TLSA', 'usage, selector, matching type and hex data', 4, Infinity);
    return {
      usage: parseUint(field(tokens, 0), 255, 'TLSA', 'usage'),
      selector: parseUint(field(tokens, 1), 255, 'TLSA', 'selector'),
      matchingType: parseUint(field(tokens, 2), 255, 'TLSA', 'matching type'),
      data: hexFrom(tokens, 3, 'TLSA', 'data'),
    };
  },
  format: (d) => `${d.usage} ${d.selector} ${d.matchingType} ${d.data}`,
  fromJson: (input) => ({
    usage: jsonUint(input, 'tlsa_usage', 255, 'TLSA'),
    selector: jsonUint(input, 'tlsa_selector', 255, 'TLSA'),
    matchingType: jsonUint(input, 'tlsa_matching', 255, 'TLSA'),
    data: toHex(fromHex(jsonString(input, 'data', 'TLSA'), 'TLSA', 'data')),
  }),
  toJson: (d) => ({
    data: d.data,
    tlsa_matching: d.matchingType,
    tlsa_selector: d.selector,
    tlsa_usage: d.usage,
  }),
  toWire(d) {
    const w = byteWriter();
    w.u8(d.usage);
    w.u8(d.selector);
    w.u8(d.matchingType);
    w.bytes(fromHex(d.data, 'TLSA', 'data'));
    return w.done();
  },
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const [usage, selector, matchingType] = [r.u8(), r.u8(), r.u8()];
    const data = r.rest();
    if (data.length === 0) throw bad('TLSA', 'data is empty');
    return { usage, selector, matchingType, data: toHex(data) };
  },
  validate(d, ctx) {
    const issues: Issue[] = [];
    if (d.usage > 3) issues.push(error(`TLSA usage ${d.usage} must be 0-3 (RFC 6698 §2.1.1)`));
    if (d.selector > 1) issues.push(error(`TLSA selector ${d.selector} must be 0 or 1`));
    if (d.matchingType > 2) issues.push(error(`TLSA matching type ${d.matchingType} must be 0-2`));
    const expected = DIGEST_LENGTH.get(d.matchingType);
    if (expected !== undefined && d.data.length !== expected * 2) {
      issues.push(
        error(
          `TLSA matching type ${d.matchingType} needs ${expected * 2} hex digits, got ${d.data.length}`,
        ),
      );
    }
    const [port, proto] = labelsOf(ctx.owner);
    if (!/^_[0-9]+$/.test(port ?? '') || !proto?.startsWith('_')) {
      issues.push(
        warning(`TLSA owner ${ctx.owner} should start with _port._protocol, like _443._tcp`),
      );
    }
    return issues;
  },
  target: () => null,
};

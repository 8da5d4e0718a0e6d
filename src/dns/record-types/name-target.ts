// The shared codec for types whose RDATA is one domain name: CNAME, NS, PTR, DNAME, ANAME.
import { byteReader, byteWriter } from '../rdata-bytes.js';
import {
  expectFields,
  field,
  jsonString,
  targetFromJson,
  targetFromText,
  targetIssues,
} from './common.js';
import type { Issue, NameData, RecordContext, RecordType, RecordTypeName } from './types.js';

interface NameTypeOptions {
  type: RecordTypeName;
  code: number;
  /** How the target is described in messages, e.g. 'CNAME target'. */
  what: string;
  /** 'host' when the target must be a host name (NS), 'any' when `_` labels are fine (CNAME). */
  kind: 'host' | 'any';
  /** Type-specific checks beyond the shared target checks. */
  extra?: (data: NameData, ctx: RecordContext) => Issue[];
}

/** Builds the RecordType of a single-name type. */
export function nameTargetType(o: NameTypeOptions): RecordType<NameData> {
  return {
    type: o.type,
    code: o.code,
    jsonFields: [],
    parse(tokens, ctx) {
      expectFields(tokens, o.type, 'one name', 1);
      return { target: targetFromText(field(tokens, 0), ctx, o.type, o.what) };
    },
    format: (d) => d.target,
    fromJson: (input, ctx) => ({
      target: targetFromJson(jsonString(input, 'data', o.type), ctx, o.type, o.what),
    }),
    toJson: (d) => ({ data: d.target }),
    toWire(d) {
      const w = byteWriter();
      w.name(d.target);
      return w.done();
    },
    fromWire(buf, start, end) {
      // Compression pointers are followed for every type: being liberal in what we accept costs
      // nothing, and we never emit them in RDATA.
      const r = byteReader(buf, start, end);
      const target = r.name();
      r.end();
      return { target };
    },
    validate: (d, ctx) => [
      ...targetIssues(d.target, ctx, o.what, o.kind),
      ...(o.extra?.(d, ctx) ?? []),
    ],
    target: (d) => d.target,
  };
}

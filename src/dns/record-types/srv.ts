// SRV records (RFC 2782): priority, weight, port and target host for `_service._proto` owners.
import { ROOT, labelsOf } from '../names.js';
import { byteReader, byteWriter } from '../rdata-bytes.js';
import {
  expectFields,
  field,
  jsonString,
  jsonUint,
  parseUint,
  targetFromJson,
  targetFromText,
  targetIssues,
  warning,
} from './common.js';
import type { Issue, RecordType, SrvData } from './types.js';

/** Service-location records. */
export const srv: RecordType<SrvData> = {
  type: 'SRV',
  code: 33,
  jsonFields: ['srv_priority', 'srv_weight', 'srv_port'],
  parse(tokens, ctx) {
    expectFields(tokens, 'SRV', 'priority, weight, port and target', 4);
    return {
      priority: parseUint(field(tokens, 0), 0xffff, 'SRV', 'priority'),
      weight: parseUint(field(tokens, 1), 0xffff, 'SRV', 'weight'),
      port: parseUint(field(tokens, 2), 0xffff, 'SRV', 'port'),
      target: targetFromText(field(tokens, 3), ctx, 'SRV', 'SRV target'),
    };
  },
  format: (d) => `${d.priority} ${d.weight} ${d.port} ${d.target}`,
  fromJson: (input, ctx) => ({
    priority: jsonUint(input, 'srv_priority', 0xffff, 'SRV'),
    weight: jsonUint(input, 'srv_weight', 0xffff, 'SRV'),
    port: jsonUint(input, 'srv_port', 0xffff, 'SRV'),
    target: targetFromJson(jsonString(input, 'data', 'SRV'), ctx, 'SRV', 'SRV target'),
  }),
  toJson: (d) => ({
    data: d.target,
    srv_port: d.port,
    srv_priority: d.priority,
    srv_weight: d.weight,
  }),
  toWire(d) {
    const w = byteWriter();
    w.u16(d.priority);
    w.u16(d.weight);
    w.u16(d.port);
    w.name(d.target);
    return w.done();
  },
  fromWire(buf, start, end) {
    const r = byteReader(buf, start, end);
    const [priority, weight, port] = [r.u16(), r.u16(), r.u16()];
    const target = r.name();
    r.end();
    return { priority, weight, port, target };
  },
  validate(d, ctx) {
    const issues: Issue[] = [];
    const [service, proto] = labelsOf(ctx.owner);
    if (!service?.startsWith('_') || !proto?.startsWith('_')) {
      issues.push(warning(`SRV owner ${ctx.owner} should start with _service._proto (RFC 2782)`));
    }
    // RFC 2782: target "." means the service is decidedly not available here.
    if (d.target !== ROOT) issues.push(...targetIssues(d.target, ctx, 'SRV target', 'host'));
    return issues;
  },
  target: (d) => (d.target === ROOT ? null : d.target),
};

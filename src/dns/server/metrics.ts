// Server metrics, counted in plain arrays on the hot path and handed to prom-client only when
// scraped: queries by type and RCODE, a latency histogram, crashes, RRL actions, TCP connections.
import type { Registry } from 'prom-client';
import { rcodeName, RRType, typeName } from '../wire/constants.js';

const trackedTypes = [
  RRType.A,
  RRType.AAAA,
  RRType.CNAME,
  RRType.MX,
  RRType.NS,
  RRType.SOA,
  RRType.TXT,
  RRType.SRV,
  RRType.CAA,
  RRType.PTR,
  RRType.DS,
  RRType.DNSKEY,
  RRType.ANY,
  RRType.AXFR,
  RRType.IXFR,
  64,
  65,
];
const typeIndex = new Map<number, number>(trackedTypes.map((t, i) => [t, i]));
const OTHER_TYPE = trackedTypes.length;
const RCODES = 24;
/** Latency bucket upper bounds, in seconds. */
const bounds = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1,
];

export interface ServerMetrics {
  /** Count one answered query and how long it took (milliseconds). */
  query(qtype: number, rcode: number, ms: number): void;
  crash(): void;
  rrl(slipped: boolean): void;
  malformed(): void;
  tcpOpened(): void;
  tcpClosed(): void;
  tcpRejected(): void;
  transfer(kind: 'axfr' | 'ixfr', ok: boolean): void;
  notify(ok: boolean): void;
}

export function createServerMetrics(registry?: Registry, prefix = 'bestiary_dns_'): ServerMetrics {
  const queries = new Float64Array((OTHER_TYPE + 1) * RCODES);
  const hist = new Float64Array(bounds.length + 1);
  let latencySum = 0;
  const c = {
    crash: 0,
    drop: 0,
    slip: 0,
    malformed: 0,
    tcpOpen: 0,
    tcpTotal: 0,
    tcpRejected: 0,
    axfr: 0,
    ixfr: 0,
    xfrFail: 0,
    notifyOk: 0,
    notifyFail: 0,
  };
  const m: ServerMetrics = {
    query(qtype, rcode, ms) {
      const t = typeIndex.get(qtype) ?? OTHER_TYPE;
      queries[t * RCODES + (rcode < RCODES ? rcode : RCODES - 1)]!++;
      const s = ms / 1000;
      latencySum += s;
      let i = 0;
      while (i < bounds.length && s > bounds[i]!) i++;
      hist[i]!++;
    },
    crash: () => void c.crash++,
    rrl: (slipped) => void (slipped ? c.slip++ : c.drop++),
    malformed: () => void c.malformed++,
    tcpOpened: () => void (c.tcpOpen++, c.tcpTotal++),
    tcpClosed: () => void c.tcpOpen--,
    tcpRejected: () => void c.tcpRejected++,
    transfer: (kind, ok) => void (ok ? c[kind]++ : c.xfrFail++),
    notify: (ok) => void (ok ? c.notifyOk++ : c.notifyFail++),
  };
  if (!registry) return m;
  const metric = (
    name: string,
    help: string,
    type: 'counter' | 'gauge' | 'histogram',
    values: () => { value: number; labels?: Record<string, string>; metricName?: string }[],
  ): void => {
    registry.registerMetric({
      name: prefix + name,
      help,
      type,
      aggregator: 'sum',
      get: () => ({ name: prefix + name, help, type, aggregator: 'sum', values: values() }),
    } as never);
  };
  metric('queries_total', 'DNS messages answered, by query type and RCODE.', 'counter', () => {
    const out = [];
    for (let i = 0; i < queries.length; i++) {
      if (queries[i] === 0) continue;
      const t = Math.floor(i / RCODES);
      out.push({
        value: queries[i]!,
        labels: {
          qtype: t === OTHER_TYPE ? 'other' : typeName(trackedTypes[t]!),
          rcode: rcodeName(i % RCODES),
        },
      });
    }
    return out;
  });
  metric(
    'query_duration_seconds',
    'Time from receiving a query to handing its reply to the socket.',
    'histogram',
    () => {
      const out: { value: number; labels?: Record<string, string>; metricName?: string }[] = [];
      let cum = 0;
      bounds.forEach((b, i) => {
        cum += hist[i]!;
        out.push({
          value: cum,
          labels: { le: String(b) },
          metricName: `${prefix}query_duration_seconds_bucket`,
        });
      });
      cum += hist[bounds.length]!;
      out.push({
        value: cum,
        labels: { le: '+Inf' },
        metricName: `${prefix}query_duration_seconds_bucket`,
      });
      out.push({ value: latencySum, metricName: `${prefix}query_duration_seconds_sum` });
      out.push({ value: cum, metricName: `${prefix}query_duration_seconds_count` });
      return out;
    },
  );
  metric(
    'servfail_crash_total',
    'Queries answered SERVFAIL because answering threw.',
    'counter',
    () => [{ value: c.crash }],
  );
  metric(
    'malformed_total',
    'Packets that could not be parsed (FORMERR or dropped).',
    'counter',
    () => [{ value: c.malformed }],
  );
  metric('rrl_total', 'Responses held back by response rate limiting.', 'counter', () => [
    { value: c.drop, labels: { action: 'drop' } },
    { value: c.slip, labels: { action: 'slip' } },
  ]);
  metric('tcp_connections', 'Open TCP connections.', 'gauge', () => [{ value: c.tcpOpen }]);
  metric(
    'tcp_connections_total',
    'TCP connections accepted and rejected at the limit.',
    'counter',
    () => [
      { value: c.tcpTotal, labels: { result: 'accepted' } },
      { value: c.tcpRejected, labels: { result: 'rejected' } },
    ],
  );
  metric('transfers_total', 'Zone transfers served.', 'counter', () => [
    { value: c.axfr, labels: { kind: 'axfr' } },
    { value: c.ixfr, labels: { kind: 'ixfr' } },
    { value: c.xfrFail, labels: { kind: 'failed' } },
  ]);
  metric('notify_total', 'NOTIFY messages acknowledged or given up on.', 'counter', () => [
    { value: c.notifyOk, labels: { result: 'acked' } },
    { value: c.notifyFail, labels: { result: 'failed' } },
  ]);
  return m;
}

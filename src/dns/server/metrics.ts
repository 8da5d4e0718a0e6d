// Server metrics, counted in plain arrays on the hot path and handed to prom-client only when
// scraped: queries by type and RCODE, a latency histogram, crashes, RRL actions, TCP connections.
// Worker processes send their counters to the primary, which adds them up (`absorb`).
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

const counterNames = [
  'crash',
  'drop',
  'slip',
  'malformed',
  'tcpOpen',
  'tcpTotal',
  'tcpRejected',
  'axfr',
  'ixfr',
  'xfrFail',
  'notifyOk',
  'notifyFail',
  'latencySum',
] as const;
type CounterName = (typeof counterNames)[number];

/** Every counter as plain numbers, so it can cross a process boundary. */
export interface MetricsState {
  queries: number[];
  hist: number[];
  c: Record<CounterName, number>;
}

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
  /** This process's counters. */
  state(): MetricsState;
  /** Include another process's latest counters in what is reported. */
  absorb(source: string, state: MetricsState): void;
}

const emptyState = (): MetricsState => ({
  queries: new Array<number>((OTHER_TYPE + 1) * RCODES).fill(0),
  hist: new Array<number>(bounds.length + 1).fill(0),
  c: Object.fromEntries(counterNames.map((n) => [n, 0])) as Record<CounterName, number>,
});

type Value = { value: number; labels?: Record<string, string>; metricName?: string };

export function createServerMetrics(registry?: Registry, prefix = 'bestiary_dns_'): ServerMetrics {
  const own = emptyState();
  const queries = new Float64Array(own.queries.length);
  const hist = new Float64Array(own.hist.length);
  const c = own.c;
  const others = new Map<string, MetricsState>();
  const m: ServerMetrics = {
    query(qtype, rcode, ms) {
      const t = typeIndex.get(qtype) ?? OTHER_TYPE;
      queries[t * RCODES + (rcode < RCODES ? rcode : RCODES - 1)]!++;
      const s = ms / 1000;
      c.latencySum += s;
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
    state: () => ({ queries: Array.from(queries), hist: Array.from(hist), c: { ...c } }),
    absorb: (source, state) => void others.set(source, state),
  };
  if (!registry) return m;
  const total = (): MetricsState => {
    const sum = m.state();
    for (const o of others.values()) {
      o.queries.forEach((v, i) => (sum.queries[i]! += v));
      o.hist.forEach((v, i) => (sum.hist[i]! += v));
      for (const k of counterNames) sum.c[k] += o.c[k];
    }
    return sum;
  };
  const metric = (
    name: string,
    help: string,
    type: 'counter' | 'gauge' | 'histogram',
    values: (s: MetricsState) => Value[],
  ): void => {
    const full = prefix + name;
    registry.registerMetric({
      name: full,
      help,
      type,
      aggregator: 'sum',
      get: () => ({ name: full, help, type, aggregator: 'sum', values: values(total()) }),
    } as never);
  };
  metric('queries_total', 'DNS messages answered, by query type and RCODE.', 'counter', (s) =>
    s.queries.flatMap((v, i) => {
      const t = Math.floor(i / RCODES);
      return v === 0
        ? []
        : [
            {
              value: v,
              labels: {
                qtype: t === OTHER_TYPE ? 'other' : typeName(trackedTypes[t]!),
                rcode: rcodeName(i % RCODES),
              },
            },
          ];
    }),
  );
  metric(
    'query_duration_seconds',
    'Time from receiving a query to handing its reply to the socket.',
    'histogram',
    (s) => {
      const bucket = `${prefix}query_duration_seconds_bucket`;
      let cum = 0;
      const out: Value[] = bounds.map((b, i) => ({
        value: (cum += s.hist[i]!),
        labels: { le: String(b) },
        metricName: bucket,
      }));
      cum += s.hist[bounds.length]!;
      out.push({ value: cum, labels: { le: '+Inf' }, metricName: bucket });
      out.push({ value: s.c.latencySum, metricName: `${prefix}query_duration_seconds_sum` });
      out.push({ value: cum, metricName: `${prefix}query_duration_seconds_count` });
      return out;
    },
  );
  metric(
    'servfail_crash_total',
    'Queries answered SERVFAIL because answering threw.',
    'counter',
    (s) => [{ value: s.c.crash }],
  );
  metric(
    'malformed_total',
    'Packets that could not be parsed (FORMERR or dropped).',
    'counter',
    (s) => [{ value: s.c.malformed }],
  );
  metric('rrl_total', 'Responses held back by response rate limiting.', 'counter', (s) => [
    { value: s.c.drop, labels: { action: 'drop' } },
    { value: s.c.slip, labels: { action: 'slip' } },
  ]);
  metric('tcp_connections', 'Open TCP connections.', 'gauge', (s) => [{ value: s.c.tcpOpen }]);
  metric(
    'tcp_connections_total',
    'TCP connections accepted and rejected at the limit.',
    'counter',
    (s) => [
      { value: s.c.tcpTotal, labels: { result: 'accepted' } },
      { value: s.c.tcpRejected, labels: { result: 'rejected' } },
    ],
  );
  metric('transfers_total', 'Zone transfers served.', 'counter', (s) => [
    { value: s.c.axfr, labels: { kind: 'axfr' } },
    { value: s.c.ixfr, labels: { kind: 'ixfr' } },
    { value: s.c.xfrFail, labels: { kind: 'failed' } },
  ]);
  metric('notify_total', 'NOTIFY messages acknowledged or given up on.', 'counter', (s) => [
    { value: s.c.notifyOk, labels: { result: 'acked' } },
    { value: s.c.notifyFail, labels: { result: 'failed' } },
  ]);
  return m;
}

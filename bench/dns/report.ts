// Formatting benchmark results: a console table and the Markdown for docs/benchmarks-dns.md.

export interface Result {
  name: string;
  qps: number;
  latencyMs: number;
  lostPercent: number;
  cpuPercent: number;
  /** Server CPU time per answered query: less sensitive to a busy machine than qps. */
  cpuUsPerQuery: number;
  rssMiB: number;
  /** The 1-minute load average when the measurement started. */
  load?: number;
  note?: string;
}

const f = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');

export function report(
  results: Result[],
  ctx: { seconds: number; clients: number; cores: number; load: string },
): { table: string; markdown: string } {
  const rows = results.map((r) => [
    r.name,
    f(r.qps),
    f(r.latencyMs, 3),
    f(r.lostPercent, 2),
    f(r.cpuPercent),
    f(r.cpuUsPerQuery, 1),
    f(r.rssMiB),
    r.note ?? '',
  ]);
  const head = [
    'server',
    'qps',
    'avg latency ms',
    'lost %',
    'server CPU %',
    'CPU µs/query',
    'RSS MiB',
    'note',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const table = [line(head), ...rows.map(line)].join('\n');
  const md = [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  const markdown = `${new Date().toISOString().slice(0, 10)}: ${ctx.cores} cores, load average at the end ${ctx.load}, dnsperf with ${ctx.clients} clients for ${ctx.seconds} s per server after a 3 s warm-up.\n\n${md}\n`;
  return { table, markdown };
}

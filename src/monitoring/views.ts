// What pages and the API show: dashboard rows (filtered, one page at a time), uptime, chart data.
import type { Actor } from '../core/actor.js';
import type { Engine } from './engine.js';
import { labelOf } from './format.js';
import type { CheckMeta } from './inventory.js';
import { maySee } from './inventory.js';
import type { CheckState } from './state.js';
import type { CheckDefinition, CheckType, Status } from './types.js';

export interface CheckRowView {
  id: string;
  label: string;
  name: string;
  ref: string;
  type: CheckType;
  accountId: string | null;
  source: CheckMeta['source'];
  status: Status;
  since: number;
  message: string | null;
  lastAt: number | null;
  acknowledged: boolean;
  silencedUntil: number | null;
  flapping: boolean;
  enabled: boolean;
}

export interface DashboardQuery {
  /** An account id, `provider` (the provider's own), or all the actor may see. */
  owner?: string;
  status?: Status;
  type?: CheckType;
  /** Matched against name and reference, case-insensitively. */
  q?: string;
  page?: number;
  perPage?: number;
}

export interface Dashboard {
  rows: CheckRowView[];
  total: number;
  counts: Record<Status, number>;
  page: number;
  pages: number;
}

export function rowOf(
  def: CheckDefinition,
  st: CheckState | undefined,
  m: CheckMeta | undefined,
  now: number,
): CheckRowView {
  return {
    id: def.id,
    label: labelOf(def),
    name: def.name,
    ref: def.ref,
    type: def.type,
    accountId: def.accountId,
    source: m?.source ?? 'user',
    status: st?.hard ?? 'unknown',
    since: st?.hardSince ?? m?.createdAt ?? now,
    message: st?.last?.message ?? null,
    lastAt: st?.last?.at ?? null,
    acknowledged: st?.ack != null,
    silencedUntil: st?.silence && st.silence.until > now ? st.silence.until : null,
    flapping: st?.flapping ?? false,
    enabled: def.enabled !== false,
  };
}

const order: Record<Status, number> = { down: 0, unknown: 1, up: 2 };

/**
 * One page of the dashboard. Everything is in memory, so 10,000 checks filter and sort in a few
 * milliseconds; only the page's rows are built into views and rendered.
 */
export function dashboard(
  engine: Engine,
  meta: Map<string, CheckMeta>,
  actor: Actor,
  query: DashboardQuery,
  now: number,
): Dashboard {
  const q = query.q?.trim().toLowerCase() ?? '';
  const counts: Record<Status, number> = { up: 0, down: 0, unknown: 0 };
  const picked: Array<{ def: CheckDefinition; st: CheckState | undefined; status: Status }> = [];
  for (const def of engine.list()) {
    if (!maySee(actor, def)) continue;
    if (
      query.owner === 'provider'
        ? def.accountId !== null
        : query.owner && def.accountId !== query.owner
    )
      continue;
    if (query.type && def.type !== query.type) continue;
    if (q && !def.name.toLowerCase().includes(q) && !def.ref.toLowerCase().includes(q)) continue;
    const st = engine.state(def.id);
    const status = st?.hard ?? 'unknown';
    counts[status]++;
    if (query.status && status !== query.status) continue;
    picked.push({ def, st, status });
  }
  picked.sort((a, b) => order[a.status] - order[b.status] || a.def.name.localeCompare(b.def.name));
  const perPage = Math.min(Math.max(query.perPage ?? 100, 1), 500);
  const pages = Math.max(1, Math.ceil(picked.length / perPage));
  const page = Math.min(Math.max(query.page ?? 1, 1), pages);
  const rows = picked
    .slice((page - 1) * perPage, page * perPage)
    .map(({ def, st }) => rowOf(def, st, meta.get(def.id), now));
  return { rows, total: picked.length, counts, page, pages };
}

export interface Uptime {
  /** Fractions between 0 and 1, or null where nothing was measured. */
  day: number | null;
  week: number | null;
  month: number | null;
}

const hourMs = 3_600_000;
const dayMs = 86_400_000;

/** Uptime over 24 h, 7 d and 30 d: hourly rollups for sealed hours, minute data for the rest. */
export async function uptimeOf(
  series: Engine['series'],
  checkId: string,
  now: number,
  rawRetentionMs: number,
): Promise<Uptime> {
  // Minutes are kept from `cutoff` on; older hours come from rollups, so nothing counts twice.
  const oldest = now - 30 * dayMs;
  const cutoff = Math.max(Math.ceil((now - rawRetentionMs) / hourMs) * hourMs, oldest);
  const raw = await series.raw(checkId, cutoff, now);
  const hours = cutoff > oldest ? await series.hourly(checkId, oldest, cutoff - 1) : [];
  const over = (span: number): number | null => {
    const from = now - span;
    let samples = 0;
    let ups = 0;
    for (const h of hours)
      if (h.at >= from && h.at < cutoff) {
        samples += h.samples;
        ups += h.samples * h.uptime;
      }
    for (const p of raw)
      if (p.at >= from) {
        samples++;
        if (p.up) ups++;
      }
    return samples === 0 ? null : ups / samples;
  };
  return { day: over(dayMs), week: over(7 * dayMs), month: over(30 * dayMs) };
}

export type ChartRange = '24h' | '7d' | '30d';

/** Columns for uPlot: times in seconds, latency in ms (null = no data or down), availability, values. */
export interface ChartData {
  range: ChartRange;
  x: number[];
  latency: Array<number | null>;
  up: Array<number | null>;
  value: Array<number | null>;
}

export async function chartOf(
  series: Engine['series'],
  checkId: string,
  range: ChartRange,
  now: number,
): Promise<ChartData> {
  const out: ChartData = { range, x: [], latency: [], up: [], value: [] };
  if (range === '24h') {
    for (const p of await series.raw(checkId, now - dayMs, now)) {
      out.x.push(Math.floor(p.at / 1000));
      out.latency.push(p.latencyMs);
      out.up.push(p.up ? 100 : 0);
      out.value.push(p.value);
    }
    return out;
  }
  const span = range === '7d' ? 7 * dayMs : 30 * dayMs;
  for (const h of await series.hourly(checkId, now - span, now)) {
    out.x.push(Math.floor(h.at / 1000));
    out.latency.push(h.latency.avg);
    out.up.push(Math.round(h.uptime * 1000) / 10);
    out.value.push(h.value?.avg ?? null);
  }
  return out;
}

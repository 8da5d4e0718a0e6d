// What the engine persists and how: the store's interface, and the change log that fills each batch.
import type { AlertWorld, GroupState } from './alerts.js';
import type { BeatRecord, MetricSample } from './checks/index.js';
import type { CheckState } from './state.js';
import type { Alert, CheckResult } from './types.js';

/** Everything the engine must get back after a restart. Plain JSON. */
export interface EngineSnapshot {
  version: 1;
  states: Record<string, CheckState>;
  groups: Record<string, GroupState>;
  beats: Record<string, BeatRecord>;
  metrics: Record<string, MetricSample>;
  /** Alerts decided but not yet delivered: a restart sends them, never drops them. */
  outbox: Alert[];
  seq: number;
}

/** One write: results since the last one, and the state that changed with them. */
export interface ResultBatch {
  results: CheckResult[];
  /** Changed check states, by check id (upsert). */
  states: Record<string, CheckState>;
  /** Checks deleted since the last batch (delete their state, beats and metrics). */
  removed: string[];
  beats: Record<string, BeatRecord>;
  metrics: Record<string, MetricSample>;
  /** All storm groups (replace): a handful at most. */
  groups: Record<string, GroupState>;
  /** The whole outbox (replace), present only when it changed. */
  outbox: Alert[] | null;
  seq: number;
}

/** What the monitoring store implements for the engine. Each saveResults call is one transaction. */
export interface MonitoringPersistence {
  loadState(): Promise<EngineSnapshot | null>;
  saveResults(batch: ResultBatch): Promise<void>;
}

/** The engine's live data that persistence reads from. */
export interface Live {
  world: AlertWorld;
  beats: Map<string, BeatRecord>;
  metrics: Map<string, MetricSample>;
  outbox: Map<string, Alert>;
}

type Kind = 'states' | 'removed' | 'beats' | 'metrics';
const kinds: Kind[] = ['states', 'removed', 'beats', 'metrics'];

/** Tracks what changed since the last batch; a failed write puts the changes back. */
export function createChangeLog(live: Live) {
  const dirty: Record<Kind, Set<string>> = {
    states: new Set(),
    removed: new Set(),
    beats: new Set(),
    metrics: new Set(),
  };
  let outboxChanged = false;
  const pick = <T>(ids: Set<string>, from: Map<string, T>): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const id of ids) {
      const v = from.get(id);
      if (v !== undefined) out[id] = v;
    }
    return out;
  };
  return {
    mark(kind: Kind, id: string): void {
      dirty[kind].add(id);
    },
    markOutbox(): void {
      outboxChanged = true;
    },
    pending: (): boolean => outboxChanged || kinds.some((k) => dirty[k].size > 0),
    /** Build the batch and clear the marks; call restore() if the write fails. */
    take(results: CheckResult[]): { batch: ResultBatch; restore(): void } {
      const taken = Object.fromEntries(kinds.map((k) => [k, new Set(dirty[k])])) as Record<
        Kind,
        Set<string>
      >;
      const tookOutbox = outboxChanged;
      const batch: ResultBatch = {
        results,
        states: pick(taken.states, live.world.states),
        removed: [...taken.removed],
        beats: pick(taken.beats, live.beats),
        metrics: pick(taken.metrics, live.metrics),
        groups: Object.fromEntries(live.world.groups),
        outbox: tookOutbox ? [...live.outbox.values()] : null,
        seq: live.world.seq,
      };
      kinds.forEach((k) => dirty[k].clear());
      outboxChanged = false;
      return {
        batch,
        restore() {
          for (const k of kinds) for (const id of taken[k]) dirty[k].add(id);
          outboxChanged ||= tookOutbox;
        },
      };
    },
  };
}

/** The whole live state as a snapshot. */
export function snapshotOf(live: Live): EngineSnapshot {
  return {
    version: 1,
    states: Object.fromEntries(live.world.states),
    groups: Object.fromEntries(live.world.groups),
    beats: Object.fromEntries(live.beats),
    metrics: Object.fromEntries(live.metrics),
    outbox: [...live.outbox.values()],
    seq: live.world.seq,
  };
}

/** Put a snapshot back into the live maps; returns the outbox to resend. */
export function restoreInto(live: Live, snap: EngineSnapshot): Alert[] {
  for (const [id, st] of Object.entries(snap.states)) live.world.states.set(id, st);
  for (const [id, g] of Object.entries(snap.groups)) live.world.groups.set(id, g);
  for (const [id, b] of Object.entries(snap.beats)) live.beats.set(id, b);
  for (const [id, m] of Object.entries(snap.metrics)) live.metrics.set(id, m);
  live.world.seq = Math.max(live.world.seq, snap.seq);
  return snap.outbox;
}

/**
 * Persistence in memory: applies each batch to a snapshot exactly as a store must, so it is both
 * the embedded default for tests and the reference for the store's semantics.
 */
export function memoryPersistence(): MonitoringPersistence & {
  saved: EngineSnapshot;
  batches: number;
  results: number;
} {
  const saved: EngineSnapshot = {
    version: 1,
    states: {},
    groups: {},
    beats: {},
    metrics: {},
    outbox: [],
    seq: 0,
  };
  const self = {
    saved,
    batches: 0,
    results: 0,
    async loadState() {
      return structuredClone(saved);
    },
    async saveResults(b: ResultBatch) {
      self.batches++;
      self.results += b.results.length;
      Object.assign(saved.states, structuredClone(b.states));
      Object.assign(saved.beats, structuredClone(b.beats));
      Object.assign(saved.metrics, structuredClone(b.metrics));
      for (const id of b.removed)
        for (const m of [saved.states, saved.beats, saved.metrics]) delete m[id];
      saved.groups = structuredClone(b.groups);
      if (b.outbox) saved.outbox = structuredClone(b.outbox);
      saved.seq = b.seq;
    },
  };
  return self;
}

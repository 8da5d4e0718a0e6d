// An in-memory BackupPersistence: the reference the store must behave like, and the tests' fake.
import type { BackupPersistence, BackupRun, RestoreRecord } from './types.js';

export interface MemoryPersistence extends BackupPersistence {
  restores(): RestoreRecord[];
}

/** Runs kept in memory, newest first by start time (ties by id, which sorts by creation). */
export function createMemoryPersistence(): MemoryPersistence {
  const runs = new Map<string, BackupRun>();
  const restores: RestoreRecord[] = [];
  const copy = (r: BackupRun): BackupRun => structuredClone(r);
  return {
    async recordRun(run) {
      runs.set(run.id, copy(run));
    },
    async listRuns(targetId, options = {}) {
      const list = [...runs.values()]
        .filter((r) => r.targetId === targetId)
        .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
      return list.slice(0, options.limit ?? list.length).map(copy);
    },
    async getRun(id) {
      const r = runs.get(id);
      return r ? copy(r) : null;
    },
    async recordRestore(record) {
      restores.push(structuredClone(record));
    },
    restores: () => restores.map((r) => structuredClone(r)),
  };
}

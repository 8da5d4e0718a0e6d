// Checks kept as code: a YAML file of the provider's checks, reloaded when it changes. A file that
// does not parse or validate changes nothing: the previous set stays and the error is reported.
import type { FSWatcher } from 'node:fs';
import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parse } from 'yaml';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { CheckInput } from './definitions.js';
import { parseCheckInput } from './definitions.js';
import type { Inventory } from './inventory.js';

export interface ChecksFileStatus {
  path: string;
  /** When the file was last applied, and how many checks it holds. */
  loadedAt: number | null;
  checks: number;
  /** Why the last attempt was refused (the previous checks stayed), or null. */
  error: string | null;
  errorAt: number | null;
}

const keyPattern = /^[a-z][a-z0-9-]{0,62}$/;
const origin = (key: string) => `config:${key}`;

/** Parse the file's text into inputs by key, parents before their children. */
export function parseChecksFile(
  text: string,
): Array<{ key: string; input: CheckInput; parent: string | null }> {
  const doc: unknown = parse(text);
  const checks = (doc as { checks?: unknown } | null)?.checks ?? {};
  if (typeof checks !== 'object' || checks === null || Array.isArray(checks))
    throw new Error('`checks` must be a mapping of check keys to checks');
  const entries = Object.entries(checks as Record<string, unknown>).map(([key, raw]) => {
    if (!keyPattern.test(key))
      throw new Error(
        `check key "${key}": lower-case letters, digits and hyphens, starting with a letter`,
      );
    const body = { ...(raw as Record<string, unknown>) };
    const parent = typeof body.parent === 'string' ? body.parent : null;
    delete body.parent;
    try {
      return { key, input: parseCheckInput({ name: key, ...body }, key), parent };
    } catch (err) {
      if (err instanceof AppError)
        throw new Error([err.message, ...err.details].join('; '), { cause: err });
      throw err;
    }
  });
  const byKey = new Map(entries.map((e) => [e.key, e]));
  const ordered: typeof entries = [];
  const visiting = new Set<string>();
  const visit = (e: (typeof entries)[number]) => {
    if (ordered.includes(e)) return;
    if (visiting.has(e.key)) throw new Error(`check "${e.key}": its parents go round in a circle`);
    visiting.add(e.key);
    if (e.parent) {
      const p = byKey.get(e.parent);
      if (!p) throw new Error(`check "${e.key}": parent "${e.parent}" is not in the file`);
      visit(p);
    }
    ordered.push(e);
  };
  entries.forEach(visit);
  return ordered;
}

export function createChecksFile(deps: {
  path: string;
  inventory: Inventory;
  clock: Clock;
  logger: Logger;
}) {
  const log = deps.logger.child({ component: 'checks-file', path: deps.path });
  const status: ChecksFileStatus = {
    path: deps.path,
    loadedAt: null,
    checks: 0,
    error: null,
    errorAt: null,
  };
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  async function apply(): Promise<void> {
    let parsed: ReturnType<typeof parseChecksFile>;
    try {
      parsed = parseChecksFile(await readFile(deps.path, 'utf8'));
    } catch (err) {
      status.error = err instanceof Error ? err.message : String(err);
      status.errorAt = deps.clock.now();
      log.error({ error: status.error }, 'checks file refused; the previous checks stay');
      return;
    }
    const ids = new Map<string, string>();
    for (const { key, input, parent } of parsed) {
      const def = await deps.inventory.ensure({
        source: 'config',
        origin: origin(key),
        accountId: null,
        ref: key,
        input: { ...input, parent: parent ? (ids.get(parent) ?? null) : null },
      });
      ids.set(key, def.id);
    }
    const keep = new Set(parsed.map((p) => origin(p.key)));
    for (const row of await deps.inventory.managed('config:'))
      if (!keep.has(row.origin ?? '')) await deps.inventory.drop(row.id);
    Object.assign(status, {
      loadedAt: deps.clock.now(),
      checks: parsed.length,
      error: null,
      errorAt: null,
    });
    log.info({ checks: parsed.length }, 'checks file applied');
  }

  /** Reloads never overlap: each waits for the one before. */
  const reload = (): Promise<void> => (running = running.then(apply, apply));

  return {
    status: (): ChecksFileStatus => ({ ...status }),
    reload,
    /** Apply the file now and watch it (its directory: editors replace files by renaming). */
    async start(): Promise<void> {
      await reload();
      const name = basename(deps.path);
      try {
        watcher = watch(dirname(deps.path), (_event, file) => {
          if (file !== null && file !== name) return;
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => void reload(), 200);
        });
        watcher.on('error', (err) => log.error({ err }, 'watching the checks file failed'));
      } catch (err) {
        log.error({ err }, 'cannot watch the checks file; changes need a restart');
      }
    },
    async stop(): Promise<void> {
      watcher?.close();
      watcher = null;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export type ChecksFile = ReturnType<typeof createChecksFile>;

// A batch writer: results pile up in memory and leave in one write per interval, never one per check.
import type { Logger } from '../core/logger.js';

export interface BatchWriterOptions<T> {
  /** One transaction for the whole batch. A failure keeps the batch for the next attempt. */
  write(batch: T[]): Promise<void>;
  logger: Logger;
  /** Default 1 s. */
  flushEveryMs?: number;
  /** Flush early when this many items wait. Default 20,000. */
  maxBatch?: number;
  /** While writes fail, keep at most this many items (oldest dropped first). Default 200,000. */
  maxBacklog?: number;
  /** Whether there is something to write besides the items (changed state, say). */
  hasMore?: () => boolean;
}

export interface BatchWriter<T> {
  add(item: T): void;
  /** Write everything waiting now; concurrent calls share one write at a time. */
  flush(): Promise<void>;
  start(): void;
  /** Stop the timer and write what is left. */
  stop(): Promise<void>;
  pending(): number;
}

export function createBatchWriter<T>(opts: BatchWriterOptions<T>): BatchWriter<T> {
  let items: T[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const maxBatch = opts.maxBatch ?? 20_000;
  const maxBacklog = opts.maxBacklog ?? 200_000;

  const writeOnce = async (): Promise<void> => {
    if (items.length === 0 && !opts.hasMore?.()) return;
    const batch = items;
    items = [];
    try {
      await opts.write(batch);
    } catch (err) {
      opts.logger.error(
        { err, items: batch.length },
        'batch write failed; keeping it for the next flush',
      );
      items = batch.concat(items).slice(-maxBacklog);
    }
  };
  const flush = (): Promise<void> => (writing = writing.then(writeOnce));

  return {
    add(item) {
      items.push(item);
      if (items.length === maxBatch) void flush();
    },
    flush,
    start() {
      timer ??= setInterval(() => void flush(), opts.flushEveryMs ?? 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await flush();
    },
    pending: () => items.length,
  };
}

// The IRC outbound queue: a token bucket so servers never see a flood, and coalescing so they need not.
import { collapsedLine, truncateBytes } from '../format.js';
import type { Alert } from '../types.js';

export interface FloodOptions {
  /** Lines that may go at once after a quiet spell. */
  burst: number;
  /** One more line allowed per this many ms. InspIRCd's default commandrate allows 1/s. */
  refillMs: number;
  /** More waiting alerts than this for one channel leave as one summary line. */
  summariseAbove: number;
  /** Bytes of text per line; the rest of the 512-byte line is prefix, command and target. */
  maxLineBytes: number;
}

export const defaultFlood: FloodOptions = {
  burst: 4,
  refillMs: 1_200,
  summariseAbove: 4,
  maxLineBytes: 400,
};

interface Entry {
  channel: string;
  text: string;
  alert: Alert | null;
  /** Set when a queued problem absorbed its recovery. */
  collapsed: boolean;
  fallbackSent: boolean;
  waiters: Array<() => void>;
}

/** One line ready to go; call done() once it is written so the senders' promises resolve. */
export interface Outgoing {
  channel: string;
  text: string;
  done(): void;
}

export interface FloodQueue {
  /** Queue an alert for a channel. A recovery whose problem is still queued collapses into it. */
  push(channel: string, alert: Alert): Promise<void>;
  /** Queue a command reply; replies are never merged. */
  reply(channel: string, text: string): Promise<void>;
  /** The next line if the bucket allows one now, else null. */
  take(now: number): Outgoing | null;
  /** Milliseconds until take() can give a line (0 = now, Infinity = queue empty). */
  waitMs(now: number): number;
  length(): number;
  /** Queued alerts not yet sent another way; marks them as sent that way. */
  takeForFallback(): Alert[];
}

/** A short form of an alert for summary lines. */
function brief(e: Entry): string {
  const a = e.alert;
  if (!a) return e.text;
  if (e.collapsed) return `${a.label} was down, back`;
  switch (a.kind) {
    case 'problem':
    case 'reminder':
      return `${a.label} down`;
    case 'recovery':
      return `${a.label} back to normal`;
    case 'flap-start':
      return `${a.label} flapping`;
    case 'flap-end':
      return `${a.label} stopped flapping`;
    case 'summary':
      return `${a.label} +${a.members?.length ?? 0} dependent down`;
  }
}

/** `N alerts: a down, b down, … +K more (!status)`, within the byte limit. */
function summaryLine(entries: Entry[], maxBytes: number): string {
  const head = `${entries.length} alerts: `;
  let body = '';
  let used = 0;
  for (const e of entries) {
    const rest = entries.length - used - 1;
    const tail = rest > 0 ? ` +${rest} more (!status)` : '';
    const next = body ? `${body}, ${brief(e)}` : brief(e);
    if (Buffer.byteLength(head + next + tail) > maxBytes) break;
    body = next;
    used++;
  }
  // Even one part too long for the line is better cut than left out.
  if (used === 0 && entries[0]) {
    body = brief(entries[0]);
    used = 1;
  }
  const more = entries.length - used;
  return truncateBytes(`${head}${body}${more > 0 ? ` +${more} more (!status)` : ''}`, maxBytes);
}

export function createFloodQueue(options: Partial<FloodOptions> = {}, start = 0): FloodQueue {
  const o = { ...defaultFlood, ...options };
  const queue: Entry[] = [];
  let tokens = o.burst;
  let last = start;

  const refill = (now: number): void => {
    tokens = Math.min(o.burst, tokens + Math.max(0, now - last) / o.refillMs);
    last = now;
  };

  const enqueue = (e: Omit<Entry, 'waiters' | 'collapsed' | 'fallbackSent'>): Promise<void> =>
    new Promise((resolve) =>
      queue.push({ ...e, collapsed: false, fallbackSent: false, waiters: [resolve] }),
    );

  return {
    push(channel, alert) {
      if (alert.kind === 'recovery') {
        const problem = queue.find(
          (e) =>
            e.channel === channel &&
            !e.collapsed &&
            e.alert?.checkId === alert.checkId &&
            e.alert.kind === 'problem',
        );
        if (problem?.alert) {
          problem.collapsed = true;
          // If the problem already went out another way, the collapsed line must follow it.
          problem.fallbackSent = false;
          problem.text = collapsedLine(
            alert.label,
            alert.at - (alert.downSince ?? problem.alert.at),
          );
          return new Promise((resolve) => problem.waiters.push(resolve));
        }
      }
      return enqueue({ channel, text: truncateBytes(alert.line, o.maxLineBytes), alert });
    },
    reply(channel, text) {
      return enqueue({ channel, text: truncateBytes(text, o.maxLineBytes), alert: null });
    },
    take(now) {
      refill(now);
      const head = queue[0];
      if (!head || tokens < 1) return null;
      tokens -= 1;
      const alerts = head.alert ? queue.filter((e) => e.channel === head.channel && e.alert) : [];
      const taken = alerts.length > o.summariseAbove ? alerts : [head];
      for (const e of taken) queue.splice(queue.indexOf(e), 1);
      const text = taken.length > 1 ? summaryLine(taken, o.maxLineBytes) : head.text;
      return {
        channel: head.channel,
        text,
        done: () => taken.forEach((e) => e.waiters.forEach((w) => w())),
      };
    },
    waitMs(now) {
      if (queue.length === 0) return Infinity;
      const have = Math.min(o.burst, tokens + Math.max(0, now - last) / o.refillMs);
      return have >= 1 ? 0 : Math.ceil((1 - have) * o.refillMs);
    },
    length: () => queue.length,
    takeForFallback() {
      const out: Alert[] = [];
      for (const e of queue) {
        if (e.alert && !e.fallbackSent) {
          e.fallbackSent = true;
          out.push(e.collapsed ? { ...e.alert, kind: 'recovery', line: e.text } : e.alert);
        }
      }
      return out;
    },
  };
}

// Past-tense facts, in one typed map. A module that reacts subscribes in its own subscriptions.ts.
import type { Logger } from './logger.js';

/** Every event Bestiary emits, with its payload. Payloads carry ids, never live objects. */
export interface EventMap {
  'account.created': { accountId: string; email: string };
  'account.suspended': { accountId: string; suspended: boolean };
  'domain.registered': {
    accountId: string;
    domain: string;
    orderId: string;
    kind: 'registration' | 'free-subdomain';
  };
  'zone.changed': { zoneId: string; zone: string; serial: number };
  'zone.deleted': { zoneId: string; zone: string };
  /** The DS set a zone asks its parent for changed (signed, a KSK step, turning off): RFC 7344 CDS. */
  'zone.ds_changed': { zoneId: string; zone: string; ds: string[] };
  /** The Pi cloud is up; `domain` is the provider zone its names live in. */
  'pi.cloud_started': { domain: string };
  'pi.enrolled': { piId: string; serial: string; site: string; model: string };
  /** A customer's Pi answered SSH (first boot, reboot, power on, re-image); repeats are normal. */
  'pi.live': PiServerFact & { ipv6: string; sshHost: string; sshPort: number };
  'pi.powered_off': PiServerFact;
  'pi.reimaged': PiServerFact & { image: string; taskId: string };
  /** The server is gone (cancelled); its Pi is being wiped and returned to the pool. */
  'pi.removed': PiServerFact;
  /** A Pi failed its boot after every power cycle, or its hardware refused: an operator must look. */
  'pi.broken': { piId: string; serial: string; reason: string; serverId: string | null };
  /** A backup target exists to be watched (monitoring adds its heartbeat check). */
  'backup.target_added': BackupTargetFact & { schedule: string };
  /** A target's schedule changed or it was enabled/disabled (a disabled target is not watched). */
  'backup.target_changed': BackupTargetFact & { schedule: string; enabled: boolean };
  /** A backup finished with every proof holding: the target's heartbeat. */
  'backup.succeeded': BackupTargetFact & { runId: string; level: 'INFO' | 'WARN'; at: number };
  /** A backup failed a proof, or a stored backup failed its scheduled re-verify. */
  'backup.failed': BackupTargetFact & {
    runId: string;
    at: number;
    phase: 'run' | 'reverify';
    summary: string;
  };
  /** A restore or restore test ended. */
  'backup.restored': BackupTargetFact & {
    restoreId: string;
    runId: string;
    mode: 'test' | 'new' | 'overwrite';
    ok: boolean;
  };
}

/** Which backup target, and whose: a customer's Pi or managed server, or the provider's own. */
export interface BackupTargetFact {
  targetId: string;
  name: string;
  ownerKind: 'pi' | 'server' | 'provider';
  /** The Pi server's or managed server's id; null for the provider. */
  ownerId: string | null;
  /** The customer's account; null for the provider's own targets. */
  accountId: string | null;
}

/** Who and what a customer's Pi is, in every pi.* event about a server. */
export interface PiServerFact {
  serverId: string;
  accountId: string;
  /** The server's name: {name}.{pi domain} in DNS. */
  name: string;
  piId: string;
}

export type EventName = keyof EventMap;
export type Handler<E extends EventName> = (payload: EventMap[E]) => void | Promise<void>;

export interface EventBus {
  /** Deliver to every subscriber; a failing subscriber is logged and never stops the others. */
  emit<E extends EventName>(name: E, payload: EventMap[E]): Promise<void>;
  on<E extends EventName>(name: E, handler: Handler<E>): () => void;
}

export function createEventBus(logger: Logger): EventBus {
  const handlers = new Map<EventName, Set<Handler<EventName>>>();
  return {
    async emit(name, payload) {
      const set = handlers.get(name);
      if (!set) return;
      await Promise.all(
        [...set].map(async (handler) => {
          try {
            await (handler as Handler<typeof name>)(payload);
          } catch (err) {
            logger.error({ err, event: name }, 'event subscriber failed');
          }
        }),
      );
    },
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler as Handler<EventName>);
      return () => set.delete(handler as Handler<EventName>);
    },
  };
}

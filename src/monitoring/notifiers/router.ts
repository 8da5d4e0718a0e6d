// Alert routing: each destination gets what its scope allows — operators everything, customers their own.
import type { Logger } from '../../core/logger.js';
import type { Alert } from '../types.js';
import type { Notifier } from './notifier.js';

export interface Destination {
  notifier: Notifier;
  /** Channel, address or URL, as the notifier understands it. */
  target: string;
  /** `all` for operators; an account id for a customer's own destination. */
  scope: 'all' | { accountId: string };
}

/** The alert as one scope may see it; null when none of it is theirs. */
export function scoped(alert: Alert, scope: Destination['scope']): Alert | null {
  if (scope === 'all') return alert;
  if (!alert.members) return alert.accountId === scope.accountId ? alert : null;
  const mine = alert.members.filter((m) => m.accountId === scope.accountId);
  if (mine.length === 0) return null;
  if (mine.length === alert.members.length && alert.accountId === scope.accountId) return alert;
  const line = `${mine.length} of your checks down: ${mine.map((m) => m.label).join(', ')}`;
  return { ...alert, accountId: scope.accountId, members: mine, line };
}

export interface Router {
  /** Send to every destination in scope; resolves when all have delivered or failed (failures logged). */
  dispatch(alert: Alert): Promise<void>;
}

export function createRouter(destinations: Destination[], logger: Logger): Router {
  return {
    async dispatch(alert) {
      await Promise.all(
        destinations.map(async (d) => {
          const view = scoped(alert, d.scope);
          if (!view) return;
          try {
            await d.notifier.send(d.target, view);
          } catch (err) {
            logger.error(
              { err, notifier: d.notifier.kind, alert: alert.id },
              'alert delivery failed',
            );
          }
        }),
      );
    },
  };
}

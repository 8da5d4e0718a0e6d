// The webhook notifier: JSON in our own shape, Slack's incoming-webhook shape, or a Matrix room message.
import type { Alert } from '../types.js';
import type { Notifier } from './notifier.js';

export type WebhookFormat = 'json' | 'slack' | 'matrix';

export interface WebhookOptions {
  format: WebhookFormat;
  /** Extra headers, e.g. `authorization: Bearer …` for a Matrix access token. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Attempts before giving up on one alert. Default 3. */
  attempts?: number;
}

/** The request for one alert. Matrix's client-server API wants PUT with a transaction id. */
export function webhookRequest(
  url: string,
  format: WebhookFormat,
  alert: Alert,
): { url: string; method: string; body: unknown } {
  switch (format) {
    case 'json':
      return { url, method: 'POST', body: { ...alert, source: 'bestiary' } };
    case 'slack':
      return { url, method: 'POST', body: { text: alert.line } };
    case 'matrix': {
      const body = { msgtype: 'm.notice', body: alert.line, text: alert.line };
      return /\/send\/m\.room\.message$/.test(url)
        ? { url: `${url}/bestiary-${encodeURIComponent(alert.id)}`, method: 'PUT', body }
        : { url, method: 'POST', body };
    }
  }
}

/** Create a webhook notifier; a destination is a URL. */
export function createWebhookNotifier(o: WebhookOptions): Notifier {
  return {
    kind: `webhook-${o.format}`,
    async send(url, alert) {
      const req = webhookRequest(url, o.format, alert);
      let last: unknown = null;
      for (let i = 0; i < (o.attempts ?? 3); i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 500 * 2 ** i));
        try {
          const res = await fetch(req.url, {
            method: req.method,
            headers: { 'content-type': 'application/json', ...o.headers },
            body: JSON.stringify(req.body),
            signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
          });
          await res.body?.cancel();
          if (res.ok) return;
          last = new Error(`webhook answered ${res.status}`);
          if (res.status < 500 && res.status !== 429) break;
        } catch (err) {
          last = err;
        }
      }
      throw last instanceof Error ? last : new Error(String(last));
    },
    async close() {},
  };
}

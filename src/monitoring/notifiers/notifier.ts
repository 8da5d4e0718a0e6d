// The one interface every notifier (IRC, email, webhook) implements.
import type { Alert } from '../types.js';

export interface Notifier {
  readonly kind: string;
  /**
   * Deliver one alert to one destination: an IRC channel, an email address, a URL. Resolves
   * when delivered, so the engine can keep undelivered alerts across a restart.
   */
  send(destination: string, alert: Alert): Promise<void>;
  close(): Promise<void>;
}

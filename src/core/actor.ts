// Who is doing something, and from where: what every audited change records.

export type Channel = 'panel' | 'api' | 'cli' | 'system' | 'dns';

export interface Actor {
  /** The account acting, or null for the system itself. */
  accountId: string | null;
  /** Client address as seen after trusted-proxy resolution; null for CLI and system work. */
  ip: string | null;
  channel: Channel;
  /** The API key used, if any. */
  apiKeyId?: string | undefined;
  isAdmin?: boolean;
}

export const systemActor: Actor = { accountId: null, ip: null, channel: 'system' };
export const cliActor: Actor = { accountId: null, ip: null, channel: 'cli', isAdmin: true };

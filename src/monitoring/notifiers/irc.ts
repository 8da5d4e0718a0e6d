// The IRC notifier: irc-framework for the protocol, our own supervisor for reconnects, pacing and fallback.
import { Client } from 'irc-framework';
import type { ConnectOptions, MessageEvent } from 'irc-framework';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { clean } from '../format.js';
import type { Alert } from '../types.js';
import type { CommandHandler } from './irc-commands.js';
import { parseCommand, runCommand } from './irc-commands.js';
import type { FloodOptions } from './irc-queue.js';
import { createFloodQueue } from './irc-queue.js';
import type { Notifier } from './notifier.js';

export interface IrcOptions {
  host: string;
  port: number;
  tls?: boolean;
  /** Verify the server's certificate (default true). */
  rejectUnauthorized?: boolean;
  nick: string;
  username?: string;
  realname?: string;
  /** SASL PLAIN with an account, or EXTERNAL with a client certificate (CertFP). */
  sasl?:
    | { account: string; password: string }
    | { external: { certificate: string; privateKey: string } };
  /** Identify to NickServ after registering, for networks without SASL. */
  nickservPassword?: string;
  serverPassword?: string;
  /** Every destination channel; the bot joins them all. */
  channels: string[];
  /** NOTICE (bot etiquette, the default) or PRIVMSG. */
  messageType?: 'notice' | 'privmsg';
  flood?: Partial<FloodOptions>;
  /** Reconnect backoff bounds; it never gives up. Defaults 1 s and 120 s. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Alerts also go out through the fallback once IRC has been unreachable this long. Default 2 min. */
  fallbackAfterMs?: number;
  /** Let a short burst gather so it can leave as one line. Default 250 ms. */
  gatherMs?: number;
  /** How often to try to get the configured nick back after it was taken. Default 60 s. */
  regainNickMs?: number;
  /** Who may command the bot; by default anyone in one of its channels. */
  allow?: (who: { nick: string; account: string | undefined; channel: string }) => boolean;
}

export interface IrcDeps {
  clock: Clock;
  logger: Logger;
  registry?: Registry;
  /** The other way out (email, webhook) when IRC has been down too long. */
  fallback?: (alert: Alert) => Promise<void>;
  commands?: CommandHandler;
}

export interface IrcNotifier extends Notifier {
  start(): void;
  /** Registered and in every channel it was created with (the operators'). */
  online(): boolean;
  /**
   * Channels besides the ones it was created with (customers' own): joined and parted as they
   * come and go, best effort — one that cannot be joined never holds back the others.
   */
  setExtraChannels(channels: string[]): void;
  stats(): {
    online: boolean;
    queued: number;
    sent: number;
    connects: number;
    floodKills: number;
    /** Channels it is in now (lower case). */
    joined: string[];
  };
}

/** Create the IRC notifier; nothing connects until start(). */
export function createIrcNotifier(o: IrcOptions, deps: IrcDeps): IrcNotifier {
  const log = deps.logger.child({ component: 'irc' });
  const queue = createFloodQueue(o.flood, deps.clock.now());
  const channels = new Map(o.channels.map((c) => [c.toLowerCase(), c]));
  const required = new Set(channels.keys());
  const joined = new Set<string>();
  let registered = false;
  let client: Client | null = null;
  let stopped = true;
  let attempts = 0;
  let connectedAt = 0;
  let offlineSince = deps.clock.now();
  let sendTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let watchTimer: NodeJS.Timeout | null = null;
  let regainTimer: NodeJS.Timeout | null = null;
  const counts = { sent: 0, connects: 0, floodKills: 0 };
  const reg = deps.registry ? [deps.registry] : [];
  const sentCounter = new Counter({
    name: 'bestiary_monitoring_irc_lines_total',
    help: 'Lines sent to IRC',
    registers: reg,
  });
  const reconnects = new Counter({
    name: 'bestiary_monitoring_irc_connects_total',
    help: 'IRC connection attempts',
    registers: reg,
  });
  new Gauge({
    name: 'bestiary_monitoring_irc_up',
    help: '1 while registered and in every channel',
    registers: reg,
    collect() {
      this.set(online() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'bestiary_monitoring_irc_queue_length',
    help: 'Lines waiting to go to IRC',
    registers: reg,
    collect() {
      this.set(queue.length());
    },
  });

  function online(): boolean {
    return client !== null && [...required].every((k) => joined.has(k));
  }

  function pump(): void {
    if (sendTimer) clearTimeout(sendTimer);
    sendTimer = null;
    if (!online() || !client) return;
    const now = deps.clock.now();
    for (let line = queue.take(now); line; line = queue.take(now)) {
      if (o.messageType === 'privmsg') client.say(line.channel, line.text);
      else client.notice(line.channel, line.text);
      counts.sent++;
      sentCounter.inc();
      line.done();
    }
    const wait = queue.waitMs(now);
    if (Number.isFinite(wait)) sendTimer = setTimeout(pump, Math.max(wait, 20));
  }

  const schedulePump = (delay: number): void => {
    if (!sendTimer) sendTimer = setTimeout(pump, delay);
  };

  function goOffline(reason: string): void {
    if (client === null) return;
    log.warn({ reason }, 'IRC connection lost');
    client.removeAllListeners();
    client.on('error', () => undefined);
    client = null;
    registered = false;
    joined.clear();
    if (offlineSince === 0) offlineSince = deps.clock.now();
    if (deps.clock.now() - connectedAt > 30_000) attempts = 0;
    if (!stopped) reconnectLater();
  }

  function reconnectLater(): void {
    const min = o.backoffMinMs ?? 1_000;
    const max = o.backoffMaxMs ?? 120_000;
    const base = Math.min(max, min * 2 ** Math.min(attempts, 20));
    const wait = Math.round(base / 2 + Math.random() * (base / 2));
    attempts++;
    retryTimer = setTimeout(connect, wait);
  }

  async function onMessage(e: MessageEvent): Promise<void> {
    const channel = channels.get(e.target.toLowerCase());
    const cmd = parseCommand(e.message);
    if (!channel || !cmd || !deps.commands) return;
    if (o.allow && !o.allow({ nick: e.nick, account: e.account, channel })) return;
    try {
      for (const line of await runCommand(cmd, e.nick, deps.commands))
        void queue.reply(channel, clean(line));
    } catch (err) {
      log.error({ err }, 'IRC command failed');
      void queue.reply(channel, `${e.nick}: that failed, see the logs`);
    }
    schedulePump(0);
  }

  function connect(): void {
    retryTimer = null;
    if (stopped) return;
    const c = new Client();
    client = c;
    counts.connects++;
    reconnects.inc();
    const options: ConnectOptions = {
      host: o.host,
      port: o.port,
      nick: o.nick,
      username: o.username ?? o.nick,
      gecos: o.realname ?? 'Bestiary monitoring',
      tls: o.tls ?? false,
      rejectUnauthorized: o.rejectUnauthorized ?? true,
      // We supervise: the library's own reconnect gives up after a few tries (measured ~16 s).
      auto_reconnect: false,
      ping_interval: 30,
      ping_timeout: 90,
      message_max_length: 450,
    };
    if (o.serverPassword) options.password = o.serverPassword;
    if (o.sasl && 'account' in o.sasl)
      options.account = { account: o.sasl.account, password: o.sasl.password };
    else if (o.sasl) {
      options.account = {};
      options.sasl_mechanism = 'EXTERNAL';
      options.client_certificate = {
        certificate: o.sasl.external.certificate,
        private_key: o.sasl.external.privateKey,
      };
    }
    if (regainTimer) clearInterval(regainTimer);
    regainTimer = setInterval(() => {
      if (client === c && c.user.nick !== o.nick) c.changeNick(o.nick);
    }, o.regainNickMs ?? 60_000);
    regainTimer.unref();
    c.on('registered', () => {
      log.info({ nick: c.user.nick }, 'IRC registered');
      registered = true;
      if (o.nickservPassword) c.say('NickServ', `IDENTIFY ${o.nickservPassword}`);
      for (const ch of channels.values()) c.join(ch);
    });
    c.on('join', (e) => {
      if (e.nick !== c.user.nick) return;
      joined.add(e.channel.toLowerCase());
      if (online()) {
        connectedAt = deps.clock.now();
        offlineSince = 0;
        log.info('IRC online');
        schedulePump(o.gatherMs ?? 250);
      }
    });
    c.on('kick', (e) => {
      if (e.kicked !== c.user.nick) return;
      joined.delete(e.channel.toLowerCase());
      setTimeout(() => client === c && c.join(e.channel), 5_000).unref();
    });
    c.on('nick in use', () => c.changeNick(`${o.nick}_${Math.floor(Math.random() * 100)}`));
    c.on('irc error', (e) => {
      if (/flood/i.test(e.reason ?? e.error)) counts.floodKills++;
      log.warn({ error: e.error, reason: e.reason }, 'IRC error');
    });
    c.on('sasl failed', (e) => log.error({ reason: e.reason }, 'IRC SASL failed'));
    c.on('privmsg', (e) => void onMessage(e));
    c.on('close', () => client === c && goOffline('closed'));
    c.on('socket close', () => client === c && goOffline('socket closed'));
    c.connect(options);
  }

  /** Once IRC has been unreachable too long, queued alerts also leave through the fallback. */
  function watch(): void {
    const down =
      offlineSince !== 0 && deps.clock.now() - offlineSince >= (o.fallbackAfterMs ?? 120_000);
    if (!down || !deps.fallback) return;
    for (const alert of queue.takeForFallback())
      deps.fallback(alert).catch((err: unknown) => log.error({ err }, 'fallback notifier failed'));
  }

  return {
    kind: 'irc',
    start() {
      if (!stopped) return;
      stopped = false;
      watchTimer = setInterval(watch, 1_000);
      connect();
    },
    async send(destination, alert) {
      const channel = channels.get(destination.toLowerCase());
      if (!channel) throw new Error(`IRC notifier has no channel ${destination}`);
      const sent = queue.push(channel, alert);
      schedulePump(o.gatherMs ?? 250);
      watch();
      return sent;
    },
    online,
    setExtraChannels(extra) {
      const next = new Map(extra.map((c) => [c.toLowerCase(), c]));
      for (const [k, ch] of [...channels]) {
        if (required.has(k) || next.has(k)) continue;
        channels.delete(k);
        joined.delete(k);
        if (client && registered) client.part(ch);
      }
      for (const [k, ch] of next) {
        if (channels.has(k)) continue;
        channels.set(k, ch);
        if (client && registered) client.join(ch);
      }
    },
    stats: () => ({ online: online(), queued: queue.length(), ...counts, joined: [...joined] }),
    async close() {
      stopped = true;
      for (const t of [sendTimer, retryTimer]) if (t) clearTimeout(t);
      if (watchTimer) clearInterval(watchTimer);
      if (regainTimer) clearInterval(regainTimer);
      const c = client;
      client = null;
      joined.clear();
      if (c) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        c.quit('Bestiary monitoring stopping');
      }
    },
  };
}

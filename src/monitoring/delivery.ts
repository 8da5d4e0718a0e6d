// Delivery: every alert recorded, then sent to the operators (everything) and to customers' own
// destinations (their checks only); IRC's fallback goes to the operators' email.
import { readFileSync } from 'node:fs';
import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Destinations } from './destinations.js';
import type { CommandHandler } from './notifiers/irc-commands.js';
import type { IrcNotifier, IrcOptions } from './notifiers/irc.js';
import { createIrcNotifier } from './notifiers/irc.js';
import type { SendMail } from './notifiers/email.js';
import { createEmailNotifier } from './notifiers/email.js';
import type { Notifier } from './notifiers/notifier.js';
import type { Destination } from './notifiers/router.js';
import { createRouter } from './notifiers/router.js';
import type { WebhookFormat } from './notifiers/webhook.js';
import { createWebhookNotifier } from './notifiers/webhook.js';
import type { MonitoringStore } from './store.js';
import type { Alert } from './types.js';

type MonitoringConfig = Config['monitoring'];

export interface DeliveryDeps {
  config: MonitoringConfig;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  store: MonitoringStore;
  destinations: Destinations;
  sendMail: SendMail;
  /** Every active administrator's address: the fallback when no operator email is configured. */
  admins(): Promise<string[]>;
  /** The engine's command answers; bound late because the engine is built after delivery. */
  commands(): CommandHandler;
}

function ircOptions(c: MonitoringConfig): IrcOptions | null {
  const irc = c.irc;
  if (!irc.host) return null;
  const allowed = new Set(irc.commandsFrom.map((n) => n.toLowerCase()));
  const operators = c.operators.channel.toLowerCase();
  return {
    host: irc.host,
    port: irc.port,
    tls: irc.tls,
    rejectUnauthorized: irc.rejectUnauthorized,
    nick: irc.nick,
    realname: irc.realname,
    channels: [c.operators.channel],
    messageType: irc.messageType,
    fallbackAfterMs: irc.fallbackAfterSeconds * 1000,
    ...(irc.username ? { username: irc.username } : {}),
    ...(irc.serverPassword ? { serverPassword: irc.serverPassword } : {}),
    ...(irc.nickservPassword ? { nickservPassword: irc.nickservPassword } : {}),
    ...(irc.sasl
      ? {
          sasl:
            'account' in irc.sasl
              ? { account: irc.sasl.account, password: irc.sasl.password }
              : {
                  external: {
                    certificate: readFileSync(irc.sasl.certificateFile, 'utf8'),
                    privateKey: readFileSync(irc.sasl.keyFile, 'utf8'),
                  },
                },
        }
      : {}),
    // Commands only in the operators' channel: a customer's channel would otherwise see and
    // silence everything.
    allow: ({ nick, account, channel }) =>
      channel.toLowerCase() === operators &&
      (allowed.size === 0 ||
        allowed.has(nick.toLowerCase()) ||
        (account !== undefined && allowed.has(account.toLowerCase()))),
  };
}

export function createDelivery(deps: DeliveryDeps) {
  const { config } = deps;
  const log = deps.logger.child({ component: 'delivery' });
  const email = createEmailNotifier({ send: deps.sendMail });
  const webhooks: Record<WebhookFormat, Notifier> = {
    json: createWebhookNotifier({ format: 'json' }),
    slack: createWebhookNotifier({ format: 'slack' }),
    matrix: createWebhookNotifier({ format: 'matrix' }),
  };
  const operatorHooks: Destination[] = config.operators.webhooks.map((w) => ({
    notifier: createWebhookNotifier({
      format: w.format,
      ...(w.headers ? { headers: w.headers } : {}),
    }),
    target: w.url,
    scope: 'all',
  }));
  const fellBack = new Set<string>();

  /** IRC unreachable too long: the operators hear by email (once per alert). */
  async function fallback(alert: Alert): Promise<void> {
    // Configured operator addresses already get every alert; only administrators need it.
    if (config.operators.emails.length > 0 || fellBack.has(alert.id)) return;
    fellBack.add(alert.id);
    if (fellBack.size > 10_000) fellBack.clear();
    const late = { ...alert, line: `${alert.line} (IRC unreachable)` };
    for (const to of await deps.admins()) await email.send(to, late);
  }

  const ircConfig = ircOptions(config);
  const irc: IrcNotifier | null = ircConfig
    ? createIrcNotifier(ircConfig, {
        clock: deps.clock,
        logger: deps.logger,
        registry: deps.registry,
        fallback,
        commands: {
          status: (c) => deps.commands().status(c),
          ack: (c, by, comment) => deps.commands().ack(c, by, comment),
          silence: (c, ms, by, reason) => deps.commands().silence(c, ms, by, reason),
        },
      })
    : null;

  function destinationsFor(): Destination[] {
    const out: Destination[] = [];
    if (irc) out.push({ notifier: irc, target: config.operators.channel, scope: 'all' });
    for (const to of config.operators.emails)
      out.push({ notifier: email, target: to, scope: 'all' });
    out.push(...operatorHooks);
    for (const d of deps.destinations.all()) {
      if (d.accountId === null) continue;
      const scope = { accountId: d.accountId };
      if (d.kind === 'irc' && irc) out.push({ notifier: irc, target: d.target, scope });
      if (d.kind === 'email') out.push({ notifier: email, target: d.target, scope });
      if (d.kind === 'webhook')
        out.push({ notifier: webhooks[d.format ?? 'json'], target: d.target, scope });
    }
    return out;
  }

  return {
    irc,
    /** The engine's notify: record, then deliver; resolves once every destination has its copy. */
    async notify(alert: Alert): Promise<void> {
      try {
        await deps.store.recordAlert({
          id: alert.id,
          check_id: alert.checkId,
          account_id: alert.accountId,
          kind: alert.kind,
          label: alert.label,
          line: alert.line,
          at: alert.at,
        });
      } catch (err) {
        log.error({ err, alert: alert.id }, 'alert history not written');
      }
      await createRouter(destinationsFor(), log).dispatch(alert);
    },
    /** The IRC bot joins customers' channels as they are added, and parts removed ones. */
    channelsChanged(): void {
      irc?.setExtraChannels(
        deps.destinations
          .all()
          .filter((d) => d.kind === 'irc')
          .map((d) => d.target),
      );
    },
    start(): void {
      irc?.start();
    },
    async stop(): Promise<void> {
      await irc?.close();
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;

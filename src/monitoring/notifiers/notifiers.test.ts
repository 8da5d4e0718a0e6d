// Email, webhooks and routing: what each destination receives.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import type { Alert } from '../types.js';
import { createEmailNotifier } from './email.js';
import type { Notifier } from './notifier.js';
import { createRouter, scoped } from './router.js';
import { createWebhookNotifier } from './webhook.js';

const alert: Alert = {
  id: 'a1',
  kind: 'problem',
  checkId: 'c1',
  accountId: 'acct-1',
  label: 'managed pi:alpha-web [12-web]',
  line: 'managed pi:alpha-web [12-web]: => Status 404 (<html> ...)',
  at: Date.UTC(2026, 10, 27, 12),
};

const received: Array<{ method: string; url: string; body: unknown }> = [];
let failures = 0;
const server = createServer((req, res) => {
  let data = '';
  req.on('data', (c: Buffer) => (data += c.toString()));
  req.on('end', () => {
    if (req.url === '/flaky' && failures++ < 1) return res.writeHead(502).end();
    received.push({
      method: req.method ?? '',
      url: req.url ?? '',
      body: JSON.parse(data) as unknown,
    });
    res.end('{}');
  });
});
afterAll(() => server.close());
const base = async () => {
  if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('webhook notifier', () => {
  it.each([
    {
      format: 'slack',
      path: '/hooks/slack',
      method: 'POST',
      url: '/hooks/slack',
      body: { text: alert.line },
    },
    {
      format: 'matrix',
      path: '/_matrix/client/v3/rooms/!r:x/send/m.room.message',
      method: 'PUT',
      url: '/_matrix/client/v3/rooms/!r:x/send/m.room.message/bestiary-a1',
      body: { msgtype: 'm.notice', body: alert.line, text: alert.line },
    },
    {
      format: 'json',
      path: '/hooks/json',
      method: 'POST',
      url: '/hooks/json',
      body: { ...alert, source: 'bestiary' },
    },
  ] as const)('sends the $format format', async ({ format, path, method, url, body }) => {
    received.length = 0;
    await createWebhookNotifier({ format }).send(`${await base()}${path}`, alert);
    expect(received).toEqual([{ method, url, body }]);
  });

  it('retries a server error and then delivers once', async () => {
    received.length = 0;
    await createWebhookNotifier({ format: 'slack' }).send(`${await base()}/flaky`, alert);
    expect(received).toHaveLength(1);
  });
});

describe('email notifier', () => {
  it('puts the kind and check in the subject and the line in the body', async () => {
    const mails: Array<{ to: string; subject: string; text: string }> = [];
    await createEmailNotifier({ send: async (m) => void mails.push(m) }).send(
      'ops@example.net',
      alert,
    );
    expect(mails).toEqual([
      {
        to: 'ops@example.net',
        subject: '[PROBLEM] managed pi:alpha-web [12-web]',
        text: `${alert.line}\n\nat 2026-11-27T12:00:00.000Z\n`,
      },
    ]);
  });
});

describe('routing', () => {
  const summary: Alert = {
    ...alert,
    kind: 'summary',
    accountId: null,
    members: [
      { checkId: 'c1', accountId: 'acct-1', label: 'managed pi:alpha-web [12-web]' },
      { checkId: 'c2', accountId: 'acct-2', label: 'managed pi:beta-web [13-web]' },
    ],
  };
  it.each([
    { name: 'operators see everything', a: alert, scope: 'all' as const, line: alert.line },
    {
      name: 'a customer sees their own alert',
      a: alert,
      scope: { accountId: 'acct-1' },
      line: alert.line,
    },
    {
      name: "a customer never sees another account's alert",
      a: alert,
      scope: { accountId: 'acct-2' },
      line: null,
    },
    {
      name: 'a customer sees only their part of a summary',
      a: summary,
      scope: { accountId: 'acct-2' },
      line: '1 of your checks down: managed pi:beta-web [13-web]',
    },
  ])('$name', ({ a, scope, line }) => {
    expect(scoped(a, scope)?.line ?? null).toBe(line);
  });

  it('keeps delivering to other destinations when one fails', async () => {
    const got: string[] = [];
    const ok: Notifier = { kind: 'ok', send: async (d) => void got.push(d), close: async () => {} };
    const broken: Notifier = {
      kind: 'broken',
      send: () => Promise.reject(new Error('down')),
      close: async () => {},
    };
    const router = createRouter(
      [
        { notifier: broken, target: 'x', scope: 'all' },
        { notifier: ok, target: '#ops', scope: 'all' },
        { notifier: ok, target: '#acct-2', scope: { accountId: 'acct-2' } },
      ],
      silentLogger,
    );
    await router.dispatch(alert);
    expect(got).toEqual(['#ops']);
  });
});

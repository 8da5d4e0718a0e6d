// The monitoring API, a Bestiary extension (x-bestiary-extension in OpenAPI): checks, acknowledgements,
// silences, series and destinations under /beta/monitoring, scoped by the key's `monitoring` grant.
// Another account's check answers exactly like a missing one: 404. Push URLs need no key: the
// token in the path is the secret.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { z } from 'zod';
import type { AccountsModule } from '../../accounts/index.js';
import { allows } from '../../accounts/index.js';
import type { Actor } from '../../core/actor.js';
import { isAppError, ValidationError } from '../../core/errors.js';
import type { ChartRange, CheckRowView, MonitoringModule } from '../../monitoring/index.js';
import type { WebEnv } from '../context.js';
import { statusForCode } from '../errors.js';
import { readJson, readText } from '../input.js';
import { requireApiKey } from './auth.js';
import { referenceJson } from './json.js';
import { ackBody, checkBody, silenceBody } from './monitoring-docs.js';

type C = Context<WebEnv>;
const fail = (c: C, status: 400 | 401 | 403 | 404, message: string) =>
  referenceJson(c, { error: message }, status);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const checkJson = (r: CheckRowView) => ({
  id: r.id,
  name: r.name,
  ref: r.ref,
  label: r.label,
  type: r.type,
  owner: r.accountId === null ? 'provider' : 'account',
  source: r.source,
  status: r.status,
  since: iso(r.since),
  message: r.message,
  last_at: iso(r.lastAt),
  acknowledged: r.acknowledged,
  silenced_until: iso(r.silencedUntil),
  flapping: r.flapping,
  enabled: r.enabled,
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ValidationError(
    'Invalid request',
    r.error.issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`),
  );
}

export function monitoringApi(deps: { accounts: AccountsModule; monitoring: MonitoringModule }) {
  const app = new Hono<WebEnv>();
  const { monitoring } = deps;
  const needKey = requireApiKey({ apiKeys: deps.accounts.apiKeys }, 'monitoring', fail);
  app.use('/beta/monitoring/checks', needKey);
  app.use('/beta/monitoring/checks/*', needKey);
  app.use('/beta/monitoring/destinations', needKey);
  app.use('/beta/monitoring/destinations/*', needKey);

  const actor = async (c: C): Promise<Actor> => {
    const p = c.get('principal')!;
    const account = await deps.accounts.accounts.get(p.accountId);
    return {
      accountId: p.accountId,
      ip: c.get('clientIp'),
      channel: 'api',
      apiKeyId: p.keyId,
      isAdmin: account?.role === 'admin',
    };
  };
  const byName = async (a: Actor) =>
    `${(await deps.accounts.accounts.get(a.accountId!))?.email ?? 'api'} (API)`;
  /** Run a handler; coded errors become their statuses in `{error}` bodies. */
  const handle =
    (write: boolean, fn: (c: C, a: Actor) => Promise<Response>) =>
    async (c: C): Promise<Response> => {
      if (!allows(c.get('principal')!.scope, { api: 'monitoring', write }))
        return fail(c, 403, 'Not authorised');
      try {
        return await fn(c, await actor(c));
      } catch (e) {
        if (!isAppError(e) || e.code === 'INTERNAL') throw e;
        if (e.code === 'NOT_FOUND') return fail(c, 404, 'Not found');
        return referenceJson(
          c,
          { error: [e.message, ...e.details].join(' ') },
          statusForCode[e.code],
        );
      }
    };
  const id = (c: C) => c.req.param('id') ?? '';
  const body = (c: C) => readJson(c, 64 * 1024);
  const detail = async (c: C, a: Actor, checkId: string) => {
    const d = await monitoring.checks.get(a, checkId);
    return {
      ...checkJson(d.row),
      definition: d.input,
      public: d.public,
      parent: d.parent?.id ?? null,
      push_url: d.pushUrl,
      uptime: d.uptime,
    };
  };

  app.get(
    '/beta/monitoring/checks',
    handle(false, async (c, a) => {
      const q = c.req.query();
      const page = await monitoring.dashboard(a, {
        ...(q.status === 'up' || q.status === 'down' || q.status === 'unknown'
          ? { status: q.status }
          : {}),
        ...(q.q ? { q: q.q } : {}),
        page: Number(q.page ?? 1) || 1,
        perPage: Number(q.per_page ?? 100) || 100,
      });
      return referenceJson(c, {
        checks: page.rows.map(checkJson),
        total: page.total,
        page: page.page,
        pages: page.pages,
        counts: page.counts,
      });
    }),
  );
  app.post(
    '/beta/monitoring/checks',
    handle(true, async (c, a) => {
      const { provider, ...input } = parse(checkBody, await body(c));
      const def = await monitoring.checks.create(a, input, { provider: provider === true });
      return referenceJson(c, await detail(c, a, def.id), 201);
    }),
  );
  app.get(
    '/beta/monitoring/checks/:id',
    handle(false, async (c, a) => referenceJson(c, await detail(c, a, id(c)))),
  );
  app.put(
    '/beta/monitoring/checks/:id',
    handle(true, async (c, a) => {
      const { provider: _ignored, ...input } = parse(checkBody, await body(c));
      await monitoring.checks.update(a, id(c), input);
      return referenceJson(c, await detail(c, a, id(c)));
    }),
  );
  app.delete(
    '/beta/monitoring/checks/:id',
    handle(true, async (c, a) => {
      await monitoring.checks.remove(a, id(c));
      return c.body(null, 204);
    }),
  );
  app.post(
    '/beta/monitoring/checks/:id/acknowledge',
    handle(true, async (c, a) => {
      const { comment } = parse(ackBody, await body(c));
      await monitoring.checks.acknowledge(a, id(c), await byName(a), comment ?? '');
      return referenceJson(c, await detail(c, a, id(c)));
    }),
  );
  app.post(
    '/beta/monitoring/checks/:id/silence',
    handle(true, async (c, a) => {
      const { duration, reason } = parse(silenceBody, await body(c));
      await monitoring.checks.silence(a, id(c), await byName(a), duration, reason);
      return referenceJson(c, await detail(c, a, id(c)));
    }),
  );
  app.delete(
    '/beta/monitoring/checks/:id/silence',
    handle(true, async (c, a) => {
      await monitoring.checks.silence(a, id(c), await byName(a), null, '');
      return referenceJson(c, await detail(c, a, id(c)));
    }),
  );
  app.get(
    '/beta/monitoring/checks/:id/series',
    handle(false, async (c, a) => {
      const range = (c.req.query('range') ?? '24h') as ChartRange;
      if (!['24h', '7d', '30d'].includes(range))
        return fail(c, 400, 'range must be 24h, 7d or 30d');
      return referenceJson(c, await monitoring.checks.chart(a, id(c), range));
    }),
  );
  app.get(
    '/beta/monitoring/destinations',
    handle(false, async (c, a) =>
      referenceJson(c, { destinations: await monitoring.destinations.list(a) }),
    ),
  );
  app.post(
    '/beta/monitoring/destinations',
    handle(true, async (c, a) =>
      referenceJson(c, await monitoring.destinations.add(a, await body(c)), 201),
    ),
  );
  app.delete(
    '/beta/monitoring/destinations/:id',
    handle(true, async (c, a) => {
      await monitoring.destinations.remove(a, id(c));
      return c.body(null, 204);
    }),
  );

  // Push URLs: what a cron job or a Pi calls. GET works for the simplest `curl URL`.
  const beat = (kind: 'success' | 'start' | 'fail') => async (c: C) => {
    const message = c.req.method === 'POST' ? (await readText(c, 4096)).trim() : '';
    try {
      await monitoring.beat(c.req.param('token') ?? '', kind, message);
    } catch (e) {
      if (isAppError(e) && e.code === 'NOT_FOUND') return fail(c, 404, 'Not found');
      throw e;
    }
    return referenceJson(c, { ok: true });
  };
  for (const [suffix, kind] of [
    ['', 'success'],
    ['/start', 'start'],
    ['/fail', 'fail'],
  ] as const) {
    app.get(`/beta/monitoring/beat/:token${suffix}`, beat(kind));
    app.post(`/beta/monitoring/beat/:token${suffix}`, beat(kind));
  }
  app.on(['GET', 'POST'], '/beta/monitoring/metric/:token', async (c) => {
    const text = c.req.query('value') ?? (c.req.method === 'POST' ? await readText(c, 256) : '');
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value))
      return fail(c, 400, 'value must be a number');
    try {
      await monitoring.metric(c.req.param('token') ?? '', value);
    } catch (e) {
      if (isAppError(e) && e.code === 'NOT_FOUND') return fail(c, 404, 'Not found');
      throw e;
    }
    return referenceJson(c, { ok: true });
  });
  app.get('/beta/monitoring/status', async (c) =>
    referenceJson(c, {
      services: (await monitoring.publicStatus()).map((s) => ({
        name: s.name,
        status: s.status,
        since: iso(s.since),
        uptime: s.uptime,
      })),
    }),
  );
  return app;
}

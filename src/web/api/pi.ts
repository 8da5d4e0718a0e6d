// The Pi Provisioning API, wire-compatible with the reference (apis.md §4): /beta/pi/... and the
// /beta/queue/pi/{task} dance (202 + absolute Location, 200 {"status"} then 303 to the server).
// A server that does not exist and another account's answer alike: 403 {"error":"Not authorised"}.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ApiKeys } from '../../accounts/index.js';
import { allows } from '../../accounts/index.js';
import type { Actor } from '../../core/actor.js';
import { isAppError, ValidationError } from '../../core/errors.js';
import type { PicloudModule, ServerView } from '../../picloud/index.js';
import { modelsForApiNumber, NotProvisioned, parsePublicKeys } from '../../picloud/index.js';
import type { WebEnv } from '../context.js';
import { readJson } from '../input.js';
import { requireApiKey } from './auth.js';
import { referenceJson } from './json.js';

type C = Context<WebEnv>;
const fail = (c: C, status: 400 | 401 | 403 | 409 | 500 | 503, message: string) =>
  referenceJson(c, { error: message }, status);

/** A whole number given as a number or a numeric string (hostedpi 0.2.0 sends strings). */
function int(value: unknown, message: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ValidationError(message);
  return n;
}

/** Keys from an ssh_key field: "" and "\r\n" mean none; any bad line refuses the request. */
function keysFrom(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationError('ssh_key must be a string');
  if (value.trim() === '') return [];
  return parsePublicKeys(value).map((k) => k.line);
}

const object = (body: unknown): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ValidationError('The request body must be a JSON object');
  return body as Record<string, unknown>;
};

export function serverInfo(v: ServerView) {
  const keys = v.sshKeys.trim() !== '';
  return {
    ip: v.ipv6,
    ip_routed: v.ipRouted,
    ssh_port: v.sshPort,
    disk_size: v.diskGb.toFixed(2),
    initialised_keys: keys,
    initialized_keys: keys,
    location: v.location,
    power: v.power,
    model: v.apiModel,
    model_full: v.model,
    memory: v.memoryMb,
    cpu_speed: v.cpuMhz,
    nic_speed: v.nicMbps,
    is_booting: v.isBooting,
    boot_progress: v.isBooting ? v.bootProgress : null,
    status: v.status,
  };
}

export function piApi(deps: { apiKeys: ApiKeys; picloud: PicloudModule; apiUrl: string }) {
  const app = new Hono<WebEnv>();
  const { picloud } = deps;
  const base = deps.apiUrl.replace(/\/$/, '');
  app.use('/beta/pi/*', requireApiKey(deps, 'pi', fail));
  app.use('/beta/queue/pi/*', requireApiKey(deps, 'pi', fail));

  const who = (c: C) => c.get('principal')!;
  const actor = (c: C): Actor => ({
    accountId: who(c).accountId,
    ip: c.get('clientIp'),
    channel: 'api',
    apiKeyId: who(c).keyId,
  });

  /** Run a handler, answering the module's coded errors in the reference's shapes. */
  const handle =
    (write: boolean, fn: (c: C) => Promise<Response>) =>
    async (c: C): Promise<Response> => {
      if (!allows(who(c).scope, { api: 'pi', write })) return fail(c, 403, 'Not authorised');
      try {
        return await fn(c);
      } catch (e) {
        if (!isAppError(e)) throw e;
        switch (e.code) {
          case 'NOT_FOUND':
          case 'FORBIDDEN':
            return fail(c, 403, 'Not authorised');
          case 'VALIDATION':
            return fail(c, 400, [e.message, ...e.details].join(' '));
          case 'CONFLICT':
            return fail(c, 409, e.message);
          case 'UNAVAILABLE':
            return fail(c, 503, e.message);
          case 'UNAUTHENTICATED':
          case 'RATE_LIMITED':
          case 'PAYLOAD_TOO_LARGE':
          case 'SUSPENDED':
          case 'INTERNAL':
            throw e;
        }
      }
    };

  const accepted = (c: C, taskId: string) =>
    referenceJson(c, {}, 202, { Location: `${base}/beta/queue/pi/${taskId}` });
  const json = async (c: C) => object(await readJson(c, 64 * 1024));
  const server = async (c: C) => {
    const v = await picloud.servers.get(who(c).accountId, c.req.param('id')!);
    if (v.status === 'provisioning') throw new NotProvisioned();
    return v;
  };

  app.get(
    '/beta/pi/servers',
    handle(false, async (c) => {
      const list = await picloud.servers.list(who(c).accountId);
      return referenceJson(c, {
        servers: Object.fromEntries(
          list.map((s) => [s.name, { model: s.apiModel, memory: s.memoryMb, cpu_speed: s.cpuMhz }]),
        ),
      });
    }),
  );

  const create = handle(true, async (c) => {
    const body = await json(c);
    const { task } = await picloud.servers.order(
      who(c).accountId,
      {
        name: c.req.param('id')!,
        model: int(body.model, 'Invalid model number'),
        memoryMb: int(body.memory, 'Invalid memory size'),
        cpuMhz: int(body.cpu_speed, 'Invalid CPU speed'),
        diskGb: int(body.disk, 'Invalid disk size'),
        image: typeof body.os_image === 'string' ? body.os_image : null,
        keys: keysFrom(body.ssh_key) ?? [],
      },
      actor(c),
    );
    return accepted(c, task.id);
  });
  app.post('/beta/pi/servers', create);
  app.post('/beta/pi/servers/:id', create);

  app.get(
    '/beta/queue/pi/:task',
    handle(false, async (c) => {
      const { task, server: row } = await picloud.servers.task(
        who(c).accountId,
        c.req.param('task')!,
      );
      if (task.state === 'failed') return fail(c, 500, task.error ?? 'Provisioning failed');
      if (task.state === 'running') return referenceJson(c, { status: task.stage });
      if (row.active_name === null) return referenceJson(c, { status: 'Done' });
      return c.body(null, 303, { Location: `${base}/beta/pi/servers/${row.name}` });
    }),
  );

  app.get(
    '/beta/pi/servers/:id',
    handle(false, async (c) => referenceJson(c, serverInfo(await server(c)))),
  );

  app.delete(
    '/beta/pi/servers/:id',
    handle(true, async (c) => {
      await picloud.servers.cancel(who(c).accountId, c.req.param('id')!, actor(c));
      return referenceJson(c, {});
    }),
  );

  app.get(
    '/beta/pi/servers/:id/ssh-key',
    handle(false, async (c) => referenceJson(c, { ssh_key: (await server(c)).sshKeys })),
  );

  app.put(
    '/beta/pi/servers/:id/ssh-key',
    handle(true, async (c) => {
      const keys = keysFrom((await json(c)).ssh_key);
      if (keys === undefined) throw new ValidationError('ssh_key is required');
      const v = await picloud.servers.replaceKeys(
        who(c).accountId,
        c.req.param('id')!,
        keys,
        actor(c),
      );
      return referenceJson(c, { ssh_key: v.sshKeys });
    }),
  );

  app.put(
    '/beta/pi/servers/:id/power',
    handle(true, async (c) => {
      const power = (await json(c)).power;
      if (typeof power !== 'boolean') throw new ValidationError('power must be true or false');
      await picloud.servers.power(who(c).accountId, c.req.param('id')!, power, actor(c));
      return referenceJson(c, {});
    }),
  );

  app.post(
    '/beta/pi/servers/:id/reboot',
    handle(true, async (c) => {
      await picloud.servers.reboot(who(c).accountId, c.req.param('id')!, actor(c));
      return referenceJson(c, {});
    }),
  );

  app.post(
    '/beta/pi/servers/:id/reimage',
    handle(true, async (c) => {
      const body = await json(c);
      const task = await picloud.servers.reimage(
        who(c).accountId,
        c.req.param('id')!,
        {
          image: typeof body.os_image === 'string' ? body.os_image : null,
          keys: keysFrom(body.ssh_key) ?? null,
        },
        actor(c),
      );
      return accepted(c, task.id);
    }),
  );

  app.get(
    '/beta/pi/images/:model',
    handle(false, async (c) => {
      const boards = modelsForApiNumber(int(c.req.param('model'), 'Invalid model number') ?? -1);
      if (boards.length === 0) throw new ValidationError('Invalid model number');
      const images = (await picloud.catalogue.images()).filter(
        (i) => !i.retired && i.models.some((m) => boards.includes(m)),
      );
      return referenceJson(c, Object.fromEntries(images.map((i) => [i.name, i.label])));
    }),
  );

  app.get(
    '/beta/pi/models',
    handle(false, async (c) => {
      const seen = new Map<string, object>();
      for (const s of await picloud.catalogue.specs()) {
        const spec = {
          model: s.apiModel,
          memory: s.memoryMb,
          cpu_speed: s.cpuMhz,
          nic_speed: s.nicMbps,
        };
        seen.set(JSON.stringify(spec), spec);
      }
      return referenceJson(c, { models: [...seen.values()] });
    }),
  );

  return app;
}

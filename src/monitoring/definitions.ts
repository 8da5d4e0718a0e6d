// What people write to define a check (panel, API, checks file), validated into engine definitions.
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import type { CheckDefinition, CheckType } from './types.js';

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or an IP address');
const port = z.number().int().min(1).max(65535);
const pattern = z
  .string()
  .max(200)
  .refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');
const ms = z.number().int().positive();

/** Parameters per check type, in the engine's own shape (durations in milliseconds). */
export const paramsSchemas = {
  tcp: z.object({ host, port }).strict(),
  ssh: z.object({ host, port: port.optional(), pattern: pattern.optional() }).strict(),
  http: z
    .object({
      url: z.url({ protocol: /^https?$/ }).max(2000),
      method: z.enum(['GET', 'HEAD']).optional(),
      statuses: z.array(z.number().int().min(100).max(599)).min(1).max(20).optional(),
      keyword: z.string().min(1).max(200).optional(),
      maxRedirects: z.number().int().min(0).max(10).optional(),
      verifyTls: z.boolean().optional(),
      headers: z.record(z.string().max(100), z.string().max(1000)).optional(),
    })
    .strict(),
  tls: z
    .object({
      host,
      port: port.optional(),
      servername: host.optional(),
      warnDays: z.number().int().min(0).max(365).optional(),
      verify: z.boolean().optional(),
    })
    .strict(),
  ping: z.object({ host, count: z.number().int().min(1).max(5).optional() }).strict(),
  dns: z
    .object({
      server: z.string().trim().min(1).max(300),
      name: z.string().trim().min(1).max(253),
      type: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SOA', 'SRV', 'CAA']),
      expect: z.array(z.string().max(500)).max(50).optional(),
    })
    .strict(),
  push: z
    .object({
      periodMs: ms.min(10_000),
      graceMs: z.number().int().min(0),
      earlyMs: ms.optional(),
      minRunMs: ms.optional(),
    })
    .strict(),
  metric: z
    .object({
      metric: z.string().trim().min(1).max(60),
      unit: z.string().max(20).optional(),
      above: z.number().optional(),
      below: z.number().optional(),
      staleMs: ms.optional(),
    })
    .strict(),
} satisfies Record<CheckType, z.ZodType>;

export const checkTypes = Object.keys(paramsSchemas) as CheckType[];

/** Printable text for names that end up in chat lines. */
const label = z
  .string()
  .trim()
  .min(1)
  .max(80)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\x00-\x1f\x7f[\]]+$/, 'printable characters, no brackets');

/** A check as given by a person: seconds for timings, the engine's params for its type. */
export const checkInputSchema = z
  .object({
    name: label,
    type: z.enum(checkTypes as [CheckType, ...CheckType[]]),
    params: z.record(z.string(), z.unknown()),
    intervalSeconds: z.number().positive().max(86_400).optional(),
    retryIntervalSeconds: z.number().positive().max(86_400).optional(),
    timeoutSeconds: z.number().positive().max(60).optional(),
    downRetries: z.number().int().min(1).max(10).optional(),
    upRetries: z.number().int().min(1).max(10).optional(),
    renotifyMinutes: z.number().int().min(0).max(10_080).optional(),
    flapDetection: z.boolean().optional(),
    enabled: z.boolean().optional(),
    /** Shown before `=>` in problem lines: an address. */
    where: z.string().max(100).optional(),
    /** Shown in brackets after the reason: `46.235.1.2 pihost:rack-3`. */
    context: z.string().max(100).optional(),
    /** The id of a check whose failure explains this one. */
    parent: z.string().max(40).nullable().optional(),
    /** On the public status page (the provider's own checks only). */
    public: z.boolean().optional(),
  })
  .strict();

export type CheckInput = z.infer<typeof checkInputSchema>;

export interface Defaults {
  intervalSeconds: number;
  retryIntervalSeconds: number;
  timeoutSeconds: number;
  downRetries: number;
  upRetries: number;
}

const problems = (e: z.ZodError, prefix = ''): string[] =>
  e.issues.map(
    (i) => `${[prefix, ...i.path].filter((p) => p !== '').join('.') || 'check'}: ${i.message}`,
  );

/** Parse untrusted input; a ValidationError lists every problem by field. */
export function parseCheckInput(input: unknown, where = ''): CheckInput {
  const r = checkInputSchema.safeParse(input);
  if (!r.success) throw new ValidationError('That check is not valid', problems(r.error, where));
  const p = paramsSchemas[r.data.type].safeParse(r.data.params);
  if (!p.success)
    throw new ValidationError(
      'That check is not valid',
      problems(p.error, `${where}${where ? '.' : ''}params`),
    );
  return { ...r.data, params: p.data };
}

/** The engine definition for a parsed input. `ids` come from the store; defaults from config. */
export function toDefinition(
  input: CheckInput,
  ids: { id: string; ref: string; accountId: string | null },
  d: Defaults,
): CheckDefinition {
  const s = (v: number | undefined, dflt: number) => Math.round((v ?? dflt) * 1000);
  return {
    id: ids.id,
    ref: ids.ref,
    name: input.name,
    accountId: ids.accountId,
    type: input.type,
    params: input.params,
    where: input.where ?? whereOf(input),
    ...(input.context ? { context: input.context } : {}),
    parentId: input.parent ?? null,
    intervalMs: s(input.intervalSeconds, d.intervalSeconds),
    retryIntervalMs: s(input.retryIntervalSeconds, d.retryIntervalSeconds),
    timeoutMs: s(input.timeoutSeconds, d.timeoutSeconds),
    downRetries: input.downRetries ?? d.downRetries,
    upRetries: input.upRetries ?? d.upRetries,
    renotifyMs: (input.renotifyMinutes ?? 0) * 60_000,
    flapDetection: input.flapDetection ?? true,
    enabled: input.enabled ?? true,
  } as unknown as CheckDefinition;
}

/** The input that gives back a definition, for edit forms and the API. */
export function toInput(def: CheckDefinition, isPublic: boolean): CheckInput {
  return {
    name: def.name,
    type: def.type,
    params: def.params as unknown as Record<string, unknown>,
    intervalSeconds: def.intervalMs / 1000,
    retryIntervalSeconds: def.retryIntervalMs / 1000,
    timeoutSeconds: def.timeoutMs / 1000,
    downRetries: def.downRetries,
    upRetries: def.upRetries,
    renotifyMinutes: Math.round((def.renotifyMs ?? 0) / 60_000),
    flapDetection: def.flapDetection ?? true,
    enabled: def.enabled ?? true,
    where: def.where ?? '',
    ...(def.context ? { context: def.context } : {}),
    parent: def.parentId ?? null,
    public: isPublic,
  };
}

/** The address shown before `=>`: the host probed, or nothing for web and passive checks. */
function whereOf(input: CheckInput): string {
  const p = input.params as { host?: unknown; server?: unknown };
  if (input.type === 'http' || input.type === 'push' || input.type === 'metric') return '';
  return typeof p.host === 'string' ? p.host : typeof p.server === 'string' ? p.server : '';
}

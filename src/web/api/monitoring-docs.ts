// OpenAPI for the monitoring API (a Bestiary extension), from the schemas the routes use.
import { z } from 'zod';
import { checkInputSchema, destinationInputSchema } from '../../monitoring/index.js';
import type { RouteDoc } from './openapi.js';

/** A check as sent: the panel's fields, plus `provider` (operators: the provider owns it). */
export const checkBody = checkInputSchema.extend({ provider: z.boolean().optional() });
export const ackBody = z.object({ comment: z.string().max(500).optional() }).strict();
export const silenceBody = z
  .object({
    duration: z.string().max(20).describe('How long: 30m, 2h, 3d (at most 30d)'),
    reason: z.string().min(1).max(500).describe('Why: the maintenance window’s reason'),
  })
  .strict();

const error = z.object({ error: z.string() });
const notFound = { description: 'No such check of yours', schema: error };
const check = z.object({
  id: z.string(),
  name: z.string(),
  ref: z.string(),
  label: z.string().describe('NAME [REF], as alert lines start'),
  type: z.string(),
  owner: z.enum(['provider', 'account']),
  source: z.enum(['user', 'auto', 'config']),
  status: z.enum(['up', 'down', 'unknown']),
  since: z.string(),
  message: z.string().nullable(),
  acknowledged: z.boolean(),
  silenced_until: z.string().nullable(),
  flapping: z.boolean(),
  enabled: z.boolean(),
});
const detail = check.extend({
  definition: checkInputSchema,
  public: z.boolean(),
  parent: z.string().nullable(),
  push_url: z.string().nullable().describe('For push and metric checks: where to report'),
  uptime: z.object({
    day: z.number().nullable(),
    week: z.number().nullable(),
    month: z.number().nullable(),
  }),
});
const ok = z.object({ ok: z.literal(true) });

const tag = 'Monitoring';
const doc = (d: Omit<RouteDoc, 'tag' | 'extension'>): RouteDoc => ({ ...d, tag, extension: true });
const json = (schema: z.ZodType) => [{ contentType: 'application/json', schema }];

export const monitoringDocs: RouteDoc[] = [
  doc({
    method: 'get',
    path: '/beta/monitoring/checks',
    summary: 'List your checks (operators: all), down first; ?status, ?q, ?page, ?per_page',
    responses: {
      200: {
        description: 'One page of checks',
        schema: z.object({ checks: z.array(check), total: z.number() }),
      },
    },
  }),
  doc({
    method: 'post',
    path: '/beta/monitoring/checks',
    summary: 'Add a check',
    request: json(checkBody),
    responses: {
      201: { description: 'The new check', schema: detail },
      400: { description: 'Invalid', schema: error },
    },
  }),
  doc({
    method: 'get',
    path: '/beta/monitoring/checks/{id}',
    summary: 'A check, its state and uptime',
    responses: { 200: { description: 'The check', schema: detail }, 404: notFound },
  }),
  doc({
    method: 'put',
    path: '/beta/monitoring/checks/{id}',
    summary: 'Change a check you added',
    request: json(checkBody),
    responses: {
      200: { description: 'The check', schema: detail },
      400: {
        description: 'Invalid, or managed automatically or by the checks file',
        schema: error,
      },
      404: notFound,
    },
  }),
  doc({
    method: 'delete',
    path: '/beta/monitoring/checks/{id}',
    summary: 'Delete a check you added',
    responses: { 204: { description: 'Deleted' }, 404: notFound },
  }),
  doc({
    method: 'post',
    path: '/beta/monitoring/checks/{id}/acknowledge',
    summary: 'Acknowledge the current problem (no reminders until it recovers)',
    request: json(ackBody),
    responses: {
      200: { description: 'The check', schema: detail },
      400: { description: 'Not down', schema: error },
      404: notFound,
    },
  }),
  doc({
    method: 'post',
    path: '/beta/monitoring/checks/{id}/silence',
    summary: 'Silence alerts for a while, with a reason (a maintenance window)',
    request: json(silenceBody),
    responses: { 200: { description: 'The check', schema: detail }, 404: notFound },
  }),
  doc({
    method: 'delete',
    path: '/beta/monitoring/checks/{id}/silence',
    summary: 'End a silence now',
    responses: { 200: { description: 'The check', schema: detail }, 404: notFound },
  }),
  doc({
    method: 'get',
    path: '/beta/monitoring/checks/{id}/series',
    summary: 'Chart columns: ?range=24h (minutes), 7d or 30d (hours)',
    responses: {
      200: { description: 'Times (s), latency (ms), availability (%), values' },
      404: notFound,
    },
  }),
  doc({
    method: 'get',
    path: '/beta/monitoring/destinations',
    summary: 'Your own alert destinations',
    responses: { 200: { description: 'Destinations' } },
  }),
  doc({
    method: 'post',
    path: '/beta/monitoring/destinations',
    summary: 'Add an IRC channel, email address or webhook for your checks’ alerts',
    request: json(destinationInputSchema),
    responses: { 201: { description: 'Added' }, 400: { description: 'Invalid', schema: error } },
  }),
  doc({
    method: 'delete',
    path: '/beta/monitoring/destinations/{id}',
    summary: 'Remove a destination',
    responses: {
      204: { description: 'Removed' },
      404: { description: 'No such destination of yours', schema: error },
    },
  }),
  ...(['', '/start', '/fail'] as const).map((suffix) =>
    doc({
      method: 'post',
      path: `/beta/monitoring/beat/{token}${suffix}`,
      summary:
        suffix === ''
          ? 'Heartbeat of a push check: the run succeeded (GET works too)'
          : suffix === '/start'
            ? 'A run started (for "too fast")'
            : 'A run failed; the body says why',
      auth: 'none',
      responses: {
        200: { description: 'Recorded', schema: ok },
        404: { description: 'No such push check', schema: error },
      },
    }),
  ),
  doc({
    method: 'post',
    path: '/beta/monitoring/metric/{token}',
    summary: 'Report a value (a temperature) for a metric check: ?value= or the body',
    auth: 'none',
    responses: {
      200: { description: 'Recorded', schema: ok },
      400: { description: 'Not a number', schema: error },
      404: { description: 'No such metric check', schema: error },
    },
  }),
  doc({
    method: 'get',
    path: '/beta/monitoring/status',
    summary: 'The public status page as JSON',
    auth: 'none',
    responses: { 200: { description: 'The provider’s public services' } },
  }),
];

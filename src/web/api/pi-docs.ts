// OpenAPI for the Pi Provisioning API (reference apis.md §4), from the schemas the routes use.
import { z } from 'zod';
import type { RouteDoc } from './openapi.js';

const error = z.object({ error: z.string() });
const tag = 'Raspberry Pi';

/** Numbers may come as numeric strings: hostedpi 0.2.0 sends `"model": "3"`. */
const intish = z.union([z.number().int(), z.string().regex(/^\s*\d+\s*$/)]);

export const createBody = z.object({
  disk: intish.optional().describe('Disk in GB, a multiple of 10 (default 10)'),
  model: intish.optional().describe('3 or 4 (1, 2 and 0 for the Zero W are Bestiary extras)'),
  memory: intish.optional().describe('RAM in MB: 1024, 4096, 8192'),
  cpu_speed: intish.optional().describe('MHz: 1200, 1500, 2000'),
  os_image: z.string().nullable().optional().describe('An id from /beta/pi/images/{model}'),
  ssh_key: z.string().optional().describe('Public keys, one per line (\\r\\n or \\n)'),
  wait_for_dns: z.boolean().optional(),
});

export const serverInfo = z.object({
  ip: z.string().describe('IPv6 address, fully expanded'),
  ip_routed: z.string().describe('The routed /64, fully expanded'),
  ssh_port: z.number().int().describe('Port on ssh.{name}.{pi domain}'),
  disk_size: z.string().describe('GB with two decimals, e.g. "10.00"'),
  initialised_keys: z.boolean(),
  initialized_keys: z.boolean().describe('The same, as the documentation spells it'),
  location: z.string(),
  power: z.boolean(),
  model: z.number().int(),
  model_full: z.string(),
  memory: z.number().int(),
  cpu_speed: z.number().int(),
  nic_speed: z.number().int(),
  is_booting: z.boolean(),
  boot_progress: z.string().nullable(),
  status: z.string().describe('provisioning, live, installing (re-image) or failed'),
});

const accepted = {
  description: 'Accepted: poll the absolute Location (the queue) until it answers 303.',
  schema: z.object({}),
};
const notAuthorised = {
  description: 'Not authorised, or no such server: the two are answered alike',
  schema: error,
};
const busy = { description: 'Not fully provisioned, or another action is running', schema: error };
const done = { description: 'Done', schema: z.object({}) };

export const piDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/beta/pi/servers',
    summary: 'List your Pis',
    tag,
    responses: {
      200: {
        description: 'Servers by name',
        schema: z.object({
          servers: z.record(
            z.string(),
            z.object({ model: z.number(), memory: z.number(), cpu_speed: z.number() }),
          ),
        }),
      },
      403: notAuthorised,
    },
  },
  ...(['/beta/pi/servers', '/beta/pi/servers/{identifier}'] as const).map((path): RouteDoc => ({
    method: 'post',
    path,
    summary: path.endsWith('}')
      ? 'Provision a Pi with this name (the lowest free spec that matches)'
      : 'Provision a Pi with a name chosen for you',
    tag,
    request: [{ contentType: 'application/json', schema: createBody }],
    responses: {
      202: accepted,
      400: { description: 'Invalid parameters', schema: error },
      403: notAuthorised,
      409: { description: 'The name is in use', schema: error },
      503: { description: 'No Pi of that spec is free', schema: error },
    },
  })),
  {
    method: 'get',
    path: '/beta/queue/pi/{task}',
    summary: 'Provisioning status (the Location of a 202)',
    tag,
    responses: {
      200: { description: 'In progress', schema: z.object({ status: z.string() }) },
      303: { description: 'Done: Location is the server (absolute URL)' },
      403: notAuthorised,
      500: { description: 'Provisioning failed; the message says why', schema: error },
    },
  },
  {
    method: 'get',
    path: '/beta/pi/servers/{identifier}',
    summary: 'Server details',
    tag,
    responses: {
      200: { description: 'The server', schema: serverInfo },
      403: notAuthorised,
      409: busy,
    },
  },
  {
    method: 'delete',
    path: '/beta/pi/servers/{identifier}',
    summary: 'Cancel: the data is destroyed and the Pi returns to the pool',
    tag,
    responses: { 200: done, 403: notAuthorised, 409: busy },
  },
  {
    method: 'get',
    path: '/beta/pi/servers/{identifier}/ssh-key',
    summary: "Read root's authorized_keys",
    tag,
    responses: {
      200: { description: 'The file', schema: z.object({ ssh_key: z.string() }) },
      403: notAuthorised,
      409: busy,
    },
  },
  {
    method: 'put',
    path: '/beta/pi/servers/{identifier}/ssh-key',
    summary: "Replace authorized_keys (root's and the image's default user's)",
    tag,
    request: [{ contentType: 'application/json', schema: z.object({ ssh_key: z.string() }) }],
    responses: {
      200: { description: 'The new file', schema: z.object({ ssh_key: z.string() }) },
      400: { description: 'A key is not valid', schema: error },
      403: notAuthorised,
      409: busy,
    },
  },
  {
    method: 'put',
    path: '/beta/pi/servers/{identifier}/power',
    summary: 'Power on or off',
    tag,
    request: [{ contentType: 'application/json', schema: z.object({ power: z.boolean() }) }],
    responses: {
      200: done,
      400: { description: 'Bad body', schema: error },
      403: notAuthorised,
      409: busy,
    },
  },
  {
    method: 'post',
    path: '/beta/pi/servers/{identifier}/reboot',
    summary: 'Reboot (power cycle)',
    tag,
    responses: { 200: done, 403: notAuthorised, 409: busy },
  },
  {
    method: 'post',
    path: '/beta/pi/servers/{identifier}/reimage',
    summary: 'Re-image: all data on the Pi is deleted and it boots a fresh copy of the image',
    tag,
    extension: true,
    request: [
      {
        contentType: 'application/json',
        schema: z.object({
          os_image: z.string().nullable().optional().describe('Default: the image it runs now'),
          ssh_key: z.string().optional().describe('Default: the keys it has now'),
        }),
      },
    ],
    responses: {
      202: accepted,
      400: { description: 'Invalid parameters', schema: error },
      403: notAuthorised,
      409: busy,
    },
  },
  {
    method: 'get',
    path: '/beta/pi/images/{model}',
    summary: 'Images offered for a model',
    tag,
    responses: {
      200: { description: 'Image id → label', schema: z.record(z.string(), z.string()) },
      400: { description: 'Invalid model number', schema: error },
      403: notAuthorised,
    },
  },
  {
    method: 'get',
    path: '/beta/pi/models',
    summary: 'Specs on offer',
    tag,
    responses: {
      200: {
        description: 'Specs',
        schema: z.object({
          models: z.array(
            z.object({
              model: z.number(),
              memory: z.number(),
              cpu_speed: z.number(),
              nic_speed: z.number(),
            }),
          ),
        }),
      },
      403: notAuthorised,
    },
  },
];

// OpenAPI 3.1 for the API listener, built from the zod schemas the routes themselves use.
import { z } from 'zod';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch';
  /** OpenAPI path, e.g. /dns/v2/zones/{zone}/records */
  path: string;
  summary: string;
  tag: string;
  /** true for Bestiary's own additions to the reference APIs. */
  extension?: boolean;
  auth?: 'key' | 'none';
  request?: { contentType: string; schema: z.ZodType }[];
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' });

function pathParameters(path: string) {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

export function buildOpenApi(
  info: { title: string; version: string; serverUrl: string },
  docs: readonly RouteDoc[],
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of docs) {
    const op: Record<string, unknown> = {
      summary: d.extension ? `${d.summary} (Bestiary extension)` : d.summary,
      tags: [d.tag],
      parameters: pathParameters(d.path),
      responses: Object.fromEntries(
        Object.entries(d.responses).map(([code, r]) => [
          code,
          {
            description: r.description,
            ...(r.schema
              ? {
                  content: {
                    [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema) },
                  },
                }
              : {}),
          },
        ]),
      ),
    };
    if (d.extension) op['x-bestiary-extension'] = true;
    if (d.auth === 'none') op.security = [];
    if (d.request) {
      op.requestBody = {
        content: Object.fromEntries(
          d.request.map((r) => [r.contentType, { schema: jsonSchema(r.schema) }]),
        ),
      };
    }
    (paths[d.path] ??= {})[d.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'Wire-compatible with the reference provider\'s public APIs: existing clients (lego, acme.sh, lexicon, hostedpi, …) work unchanged. Operations marked "Bestiary extension" are our additions.',
    },
    servers: [{ url: info.serverUrl }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token from POST /login (300 s, bound to your address).',
        },
        basic: {
          type: 'http',
          scheme: 'basic',
          description: 'An API key: key ID as user name, secret as password.',
        },
      },
    },
    security: [{ bearer: [] }, { basic: [] }],
    paths,
  };
}

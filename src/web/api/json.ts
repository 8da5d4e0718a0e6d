// JSON as the reference APIs write it (apis.md §2): compact, keys sorted, a trailing newline,
// always application/json. Error bodies of the DNS API are pretty-printed instead (§3.4).
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Compact, sorted-key JSON with a trailing newline. */
export function referenceJson(
  c: Context,
  value: unknown,
  status: ContentfulStatusCode = 200,
  headers: Record<string, string> = {},
) {
  return c.body(`${JSON.stringify(sortKeys(value))}\n`, status, {
    'Content-Type': 'application/json',
    ...headers,
  });
}

/** Pretty-printed JSON, 2-space indent, no trailing newline: the DNS API's error shape. */
export function prettyJson(c: Context, value: unknown, status: ContentfulStatusCode) {
  return c.body(JSON.stringify(value, null, 2), status, { 'Content-Type': 'application/json' });
}

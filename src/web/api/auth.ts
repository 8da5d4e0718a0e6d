// POST /login: the OAuth2 client-credentials token exchange (reference apis.md §1), and the
// middleware that turns a bearer token or HTTP Basic key into the request's principal.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiKeys, ApiName } from '../../accounts/index.js';
import { touchesApi } from '../../accounts/index.js';
import { isAppError, RateLimitedError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import { readBodyBytes, decodeUtf8 } from '../input.js';
import { readCredentials } from './credentials.js';
import { referenceJson } from './json.js';
import type { RouteDoc } from './openapi.js';

const tokenResponse = z.object({
  access_token: z.string(),
  expires_in: z.number().int(),
  token_type: z.literal('bearer'),
});
const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });

export const authDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/login',
    summary: 'Exchange an API key (HTTP Basic) for a bearer token',
    tag: 'Authentication',
    auth: 'none',
    request: [
      {
        contentType: 'application/x-www-form-urlencoded',
        schema: z.object({
          grant_type: z.literal('client_credentials'),
          scope: z.string().optional(),
        }),
      },
    ],
    responses: {
      200: {
        description: 'A token valid for expires_in seconds, from the address that asked only.',
        schema: tokenResponse,
      },
      400: { description: 'Malformed request or unsupported grant type.', schema: oauthError },
      401: { description: 'Invalid credentials.', schema: oauthError },
      429: { description: 'Rate limited.', schema: z.object({ message: z.string() }) },
    },
  },
];

const oauth = (c: Context, status: 400 | 401, error: string, description?: string) =>
  referenceJson(
    c,
    { error, ...(description ? { error_description: description } : {}) },
    status,
    status === 401 ? { 'WWW-Authenticate': 'Basic realm="api"' } : {},
  );

export function tokenRoutes(deps: { apiKeys: ApiKeys; bodyLimit: number }) {
  const app = new Hono<WebEnv>();
  app.post('/login', async (c) => {
    const text = decodeUtf8(await readBodyBytes(c, deps.bodyLimit));
    const params = new URLSearchParams(text);
    const grant = params.get('grant_type');
    if (grant === null) return oauth(c, 400, 'invalid_request', 'grant_type is required');
    if (grant !== 'client_credentials')
      return oauth(c, 400, 'unsupported_grant_type', 'Only client_credentials is supported');
    // Credentials in the Authorization header (RFC 6749 §2.3.1), or as form fields.
    const creds = readCredentials(c.req.header('authorization'));
    let id: string | null = null;
    let secret: string | null = null;
    if (creds.kind === 'basic') ({ id, secret } = creds);
    else if (creds.kind === 'none')
      [id, secret] = [params.get('client_id'), params.get('client_secret')];
    if (!id || secret === null) return oauth(c, 401, 'invalid_client', 'Invalid credentials');
    try {
      const { token, expiresIn } = await deps.apiKeys.issueToken(id, secret, c.get('clientIp'));
      return referenceJson(
        c,
        { access_token: token, expires_in: expiresIn, token_type: 'bearer' },
        200,
        { 'Cache-Control': 'no-store' },
      );
    } catch (e) {
      if (e instanceof RateLimitedError) {
        return referenceJson(c, { message: 'Rate limited' }, 429, {
          'Retry-After': String(e.retryAfterSeconds),
        });
      }
      if (isAppError(e) && e.code === 'UNAUTHENTICATED')
        return oauth(c, 401, 'invalid_client', 'Invalid credentials');
      throw e;
    }
  });
  return app;
}

/** How an API answers an authentication failure in its own error shape. */
export type AuthFailure = (c: Context<WebEnv>, status: 401 | 403, message: string) => Response;

/**
 * Require a bearer token or HTTP Basic API key with some grant on `api`; the principal is left
 * on the context. A token replayed from another address is refused like an invalid one.
 */
export function requireApiKey(
  deps: { apiKeys: ApiKeys },
  api: ApiName,
  fail: AuthFailure,
): MiddlewareHandler<WebEnv> {
  return async function authenticateApiRequest(c, next) {
    const creds = readCredentials(c.req.header('authorization'));
    if (creds.kind === 'none' || creds.kind === 'malformed')
      return fail(c, 401, 'Authentication required');
    try {
      const principal =
        creds.kind === 'bearer'
          ? await deps.apiKeys.authenticateToken(creds.token, c.get('clientIp'))
          : await deps.apiKeys.authenticateBasic(creds.id, creds.secret, c.get('clientIp'));
      if (!touchesApi(principal.scope, api)) return fail(c, 403, 'Not authorised');
      c.set('principal', principal);
    } catch (e) {
      if (isAppError(e) && e.code === 'UNAUTHENTICATED') return fail(c, 401, e.message);
      throw e;
    }
    await next();
  };
}

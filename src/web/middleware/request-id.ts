// A request id on every request and response, so a logged error can be found from what a user saw.
import type { MiddlewareHandler } from 'hono';
import { randomToken } from '../../core/ids.js';
import type { WebEnv } from '../context.js';

export function requestId(): MiddlewareHandler<WebEnv> {
  return async function assignRequestId(c, next) {
    const id = randomToken(12);
    c.set('requestId', id);
    await next();
    c.res.headers.set('X-Request-Id', id);
  };
}

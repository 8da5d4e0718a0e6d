// Route guards: logged in (with the second factor given and no forced password change), admin.
import type { MiddlewareHandler } from 'hono';
import { NotFoundError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';

export function requireLogin(): MiddlewareHandler<WebEnv> {
  return async function mustBeLoggedIn(c, next) {
    const session = c.get('session');
    if (!session) {
      const next_ =
        c.req.method === 'GET'
          ? `?next=${encodeURIComponent(c.req.path + new URL(c.req.url).search)}`
          : '';
      return c.redirect(`/login${next_}`, 303);
    }
    if (session.secondFactorPending) return c.redirect('/login/2fa', 303);
    if (session.account.mustChangePassword && c.req.path !== '/account/password') {
      return c.redirect('/account/password', 303);
    }
    await next();
  };
}

/** Admin pages answer 404 to everyone else: their existence is not advertised. */
export function requireAdmin(): MiddlewareHandler<WebEnv> {
  return async function mustBeAdmin(c, next) {
    if (c.get('session')?.account.role !== 'admin') throw new NotFoundError('Page');
    await next();
  };
}

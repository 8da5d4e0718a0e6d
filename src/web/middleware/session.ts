// Panel sessions: resolve the session cookie (refusing it from another network), and give every
// page a CSRF token — bound to the session, or for visitors not logged in, to a random cookie.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Sessions } from '../../accounts/index.js';
import type { Sealer } from '../../core/crypto.js';
import { newSecret } from '../../core/ids.js';
import type { WebEnv } from '../context.js';

export interface SessionCookieOptions {
  cookieName: string;
  secure: boolean;
  maxAgeSeconds: number;
}

export const anonCookieName = 'bestiary_csrf';

export function sessionCookie(c: Context, opts: SessionCookieOptions, token: string | null): void {
  if (token === null) {
    deleteCookie(c, opts.cookieName, {
      path: '/',
      secure: opts.secure,
      httpOnly: true,
      sameSite: 'Lax',
    });
    return;
  }
  setCookie(c, opts.cookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: opts.secure,
    maxAge: opts.maxAgeSeconds,
  });
}

export function panelSession(deps: {
  sessions: Sessions;
  sealer: Sealer;
  cookie: SessionCookieOptions;
}): MiddlewareHandler<WebEnv> {
  return async function resolveSession(c, next) {
    const token = getCookie(c, deps.cookie.cookieName);
    c.set('session', undefined);
    if (token) {
      const found = await deps.sessions.resolve(token, c.get('clientIp'));
      if (found.status === 'ok') c.set('session', found.session);
      else sessionCookie(c, deps.cookie, null);
    }
    const session = c.get('session');
    c.set('flash', null);
    if (session?.flash && c.req.method === 'GET') {
      c.set('flash', session.flash);
      await deps.sessions.setFlash(session.idHash, null);
    }
    if (session) {
      c.set('csrfToken', deps.sealer.mac('csrf', session.idHash));
    } else {
      let anon = getCookie(c, anonCookieName);
      if (!anon || !/^[A-Za-z0-9_-]{43}$/.test(anon)) {
        anon = newSecret(32);
        setCookie(c, anonCookieName, anon, {
          path: '/',
          httpOnly: true,
          sameSite: 'Lax',
          secure: deps.cookie.secure,
        });
      }
      c.set('csrfToken', deps.sealer.mac('csrf-anon', anon));
    }
    await next();
  };
}

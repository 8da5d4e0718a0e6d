// CSRF protection for every state-changing panel request, by construction: the body is parsed
// here, the token checked against the session's, and Origin (or Referer) must be our own —
// compared as parsed URLs, so IPv6 hosts like [::1]:8080 work. Handlers read c.get('form').
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../core/errors.js';
import { safeEqual } from '../../core/ids.js';
import type { WebEnv } from '../context.js';
import { readForm } from '../input.js';

export class CsrfRejected extends AppError {
  constructor(reason: string) {
    super(
      'FORBIDDEN',
      `This form could not be accepted (${reason}). Please reload the page and try again.`,
    );
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  // An opaque origin (sandboxed frame, privacy redirect) is never our own.
  if (value === 'null') return 'null';
  try {
    return new URL(value).origin.toLowerCase();
  } catch {
    return null;
  }
}

/** The origins this panel answers as: its public URL, and whatever Host the browser used. */
function ownOrigins(requestUrl: string, host: string | undefined, publicUrl: string): string[] {
  const scheme = new URL(requestUrl).protocol;
  const origins = [new URL(publicUrl).origin.toLowerCase()];
  if (host) {
    try {
      origins.push(new URL(`${scheme}//${host}`).origin.toLowerCase());
    } catch {
      // A Host header that is not a host: only the public URL counts.
    }
  }
  return origins;
}

export function csrfProtection(options: {
  publicUrl: string;
  bodyLimit: number;
}): MiddlewareHandler<WebEnv> {
  return async function checkCsrf(c, next) {
    if (safeMethods.has(c.req.method)) return next();
    const claimed = originOf(c.req.header('origin')) ?? originOf(c.req.header('referer'));
    if (!claimed) throw new CsrfRejected('the browser did not say which site sent it');
    if (!ownOrigins(c.req.url, c.req.header('host'), options.publicUrl).includes(claimed)) {
      throw new CsrfRejected('it was sent from another site');
    }
    const form = await readForm(c, options.bodyLimit);
    const token = form.get('_csrf');
    if (typeof token !== 'string' || !safeEqual(token, c.get('csrfToken'))) {
      throw new CsrfRejected('its security token is missing or out of date');
    }
    c.set('form', form);
    await next();
  };
}

// Rendering a panel page, redirects with a flash message, and who is acting.
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Actor } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { statusForCode } from '../errors.js';
import type { WebEnv } from '../context.js';
import type { PanelDeps } from './deps.js';
import type { PageContext } from './ui.js';
import { Layout } from './ui.js';

export type PanelContext = Context<WebEnv>;

export function pageContext(c: PanelContext, deps: PanelDeps, title: string): PageContext {
  return {
    title,
    path: c.req.path,
    session: c.get('session'),
    csrf: c.get('csrfToken'),
    flash: c.get('flash'),
    providerName: deps.config.provider.name,
  };
}

/** Render `body` inside the layout. `body` is a function of the page so forms get its token. */
export function render(
  c: PanelContext,
  deps: PanelDeps,
  title: string,
  body: (page: PageContext) => Child,
  status: ContentfulStatusCode = 200,
) {
  const page = pageContext(c, deps, title);
  return c.html(<Layout page={page}>{body(page)}</Layout>, status);
}

/** Redirect after a successful POST, leaving a message for the next page. */
export async function redirectWithFlash(
  c: PanelContext,
  deps: PanelDeps,
  to: string,
  message: string,
) {
  const session = c.get('session');
  if (session) await deps.accounts.sessions.setFlash(session.idHash, message);
  return c.redirect(to, 303);
}

export function actorOf(c: PanelContext): Actor {
  const session = c.get('session');
  return {
    accountId: session?.account.id ?? null,
    ip: c.get('clientIp'),
    channel: 'panel',
    isAdmin: session?.account.role === 'admin',
  };
}

/** The logged-in account's id; guards have already made sure there is one. */
export function accountIdOf(c: PanelContext): string {
  const session = c.get('session');
  if (!session) throw new Error('accountIdOf called without a session; is the route guarded?');
  return session.account.id;
}

/** Only same-site paths are followed after login, never an absolute URL (open redirects). */
export function safeNext(next: string | undefined | null): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

/**
 * The messages to show a user for an error their input caused; anything else (a bug, an
 * outage) is rethrown for the error handler.
 */
export function problemsOf(error: unknown): string[] {
  if (error instanceof AppError && error.code !== 'INTERNAL') {
    return [...new Set([error.message, ...error.details])];
  }
  throw error;
}

/** The HTTP status for an error a form shows back to the user. */
export function statusOf(error: unknown): ContentfulStatusCode {
  return error instanceof AppError ? statusForCode[error.code] : 500;
}

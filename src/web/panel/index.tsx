// The customer and operator panel (Hono, server-rendered JSX). Middleware order matters:
// request id → client address → URL check → security headers → session → CSRF → areas.
import { Hono } from 'hono';
import { isAppError } from '../../core/errors.js';
import type { WebEnv } from '../context.js';
import { statusForCode } from '../errors.js';
import { healthRoutes } from '../health.js';
import type { HealthDeps } from '../health.js';
import { assetRoutes } from '../assets.js';
import { strictUrl } from '../input.js';
import { clientIp } from '../middleware/client-ip.js';
import { csrfProtection } from '../middleware/csrf.js';
import { securityHeaders } from '../middleware/headers.js';
import { requestId } from '../middleware/request-id.js';
import { panelSession } from '../middleware/session.js';
import { accountRoutes } from './account.js';
import { adminRoutes } from './admin.js';
import { authRoutes } from './auth.js';
import { backupAdminRoutes } from './backups-admin.js';
import { backupRoutes } from './backups.js';
import type { PanelDeps } from './deps.js';
import { dnsRoutes } from './dns.js';
import { domainRoutes } from './domains.js';
import { requireLogin } from './guards.js';
import { homeRoutes } from './home.js';
import { keyRoutes } from './keys.js';
import { monitoringDestinationRoutes } from './monitoring-destinations.js';
import { uplotRoutes } from './monitoring-assets.js';
import { monitoringRoutes } from './monitoring.js';
import { piAdminRoutes } from './pi-admin.js';
import { piRoutes } from './pi.js';
import { render } from './render.js';
import { sshKeyRoutes } from './sshkeys.js';
import { statusRoutes } from './status.js';
import { Problems } from './ui.js';

export type { PanelDeps } from './deps.js';

export function createPanelApp(deps: PanelDeps & { health: HealthDeps }) {
  const { config } = deps;
  const tls = config.panel.publicUrl.startsWith('https:');
  const cookie = {
    cookieName: config.session.cookieName,
    secure: tls,
    maxAgeSeconds: config.session.absoluteHours * 3600,
  };
  const app = new Hono<WebEnv>();

  app.use(requestId(), clientIp(config.trustedProxies), securityHeaders({ tls }), strictUrl());
  app.route('/', assetRoutes());
  app.route('/', uplotRoutes());
  app.route('/', healthRoutes(deps.health));
  app.use(panelSession({ sessions: deps.accounts.sessions, sealer: deps.sealer, cookie }));
  app.use(
    csrfProtection({ publicUrl: config.panel.publicUrl, bodyLimit: config.limits.bodyBytes }),
  );

  app.route('/', homeRoutes(deps));
  app.route('/', authRoutes(deps, cookie));
  app.route('/', domainRoutes(deps));
  app.route('/', piRoutes(deps));
  app.route('/', piAdminRoutes(deps));
  app.route('/', backupRoutes(deps));
  app.route('/', backupAdminRoutes(deps));
  app.route('/', monitoringRoutes(deps));
  app.route('/', monitoringDestinationRoutes(deps));
  app.route('/', statusRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.use('/account', requireLogin());
  app.use('/account/*', requireLogin());
  app.route('/', accountRoutes(deps, cookie));
  app.route('/', sshKeyRoutes(deps));
  app.route('/', keyRoutes(deps));
  app.use('/dns', requireLogin());
  app.use('/dns/*', requireLogin());
  app.route('/', dnsRoutes(deps));

  app.notFound((c) =>
    render(
      c,
      deps,
      'Not found',
      () => (
        <p>
          There is nothing here. <a href="/">Go to the front page</a>.
        </p>
      ),
      404,
    ),
  );

  app.onError((err, c) => {
    if (isAppError(err) && err.code !== 'INTERNAL') {
      const status = statusForCode[err.code];
      const title =
        status === 404 ? 'Not found' : status === 429 ? 'Too many attempts' : 'That did not work';
      return render(
        c,
        deps,
        title,
        () => <Problems errors={[err.message, ...err.details]} />,
        status,
      );
    }
    deps.logger.error(
      { err, requestId: c.get('requestId'), path: c.req.path },
      'panel request failed',
    );
    return render(
      c,
      deps,
      'Something went wrong',
      () => (
        <p>{`Sorry, something went wrong on our side. If it keeps happening, quote this reference: ${c.get('requestId')}.`}</p>
      ),
      500,
    );
  });

  return app;
}

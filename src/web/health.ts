// Liveness, readiness and Prometheus metrics, on both listeners.
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { cidrContains } from '../core/net.js';
import type { WebEnv } from './context.js';

export interface HealthDeps {
  /** Throws when the database cannot be reached. */
  pingDatabase(): Promise<void>;
  /** True when this instance should be running jobs and is. */
  jobsHealthy(): boolean;
  registry: Registry;
  /** Who may read /metrics. */
  metricsAllow: readonly string[];
}

export function healthRoutes(deps: HealthDeps) {
  const app = new Hono<WebEnv>();

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    const problems: string[] = [];
    try {
      await deps.pingDatabase();
    } catch {
      problems.push('database unreachable');
    }
    if (!deps.jobsHealthy()) problems.push('job runner not running');
    return problems.length
      ? c.json({ status: 'unavailable', problems }, 503)
      : c.json({ status: 'ready' });
  });

  app.get('/metrics', async (c) => {
    const ip = c.get('clientIp');
    if (!deps.metricsAllow.some((cidr) => cidrContains(cidr, ip)))
      return c.text('Forbidden\n', 403);
    return c.body(await deps.registry.metrics(), 200, {
      'Content-Type': deps.registry.contentType,
    });
  });

  return app;
}

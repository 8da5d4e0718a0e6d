// What an operator's load balancer and Prometheus see, over real sockets on both listeners:
// liveness, readiness (503 when the job runner that should run does not), metrics only for the
// allowed addresses, OpenAPI, and the favicon browsers ask for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

describe('operations endpoints', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('answers /healthz on both listeners', async () => {
    for (const base of [t.panelUrl, t.apiUrl]) {
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
  });

  it('is ready when the database answers and jobs are not this instance’s to run', async () => {
    const res = await fetch(`${t.panelUrl}/readyz`);
    expect(await res.json()).toEqual({ status: 'ready' });
    expect(res.status).toBe(200);
  });

  it('serves Prometheus metrics to loopback, with the DNS and monitoring families', async () => {
    const res = await fetch(`${t.apiUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^# TYPE \w+ \w+$/m);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('publishes OpenAPI for the API listener', async () => {
    const res = await fetch(`${t.apiUrl}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/login', '/dns/v2/zones', '/beta/pi/servers']),
    );
  });

  it('answers the favicon request with an empty, cached reply instead of a 404', async () => {
    const res = await fetch(`${t.panelUrl}/favicon.ico`);
    expect(res.status).toBe(204);
    expect(res.headers.get('cache-control')).toContain('max-age');
  });
});

describe('readiness with a job runner that should run', () => {
  let t: TestServer;
  beforeAll(async () => {
    // jobs.enabled but never started: a broken instance a load balancer must take out.
    t = await startTestServer({ config: { jobs: { enabled: true } } });
  });
  afterAll(() => t.close());

  it('answers 503 and says why', async () => {
    const res = await fetch(`${t.panelUrl}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'unavailable',
      problems: ['job runner not running'],
    });
  });
});

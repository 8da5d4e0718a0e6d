// The app on real loopback sockets, for tests that need real HTTP: browsers, requests from
// another source address, real API clients such as lego. Public URLs match the bound ports,
// so links in emails and Location headers work as they would in production.
import { createServer } from 'node:net';
import type { ConfigInput } from '../../src/config.js';
import { listen } from '../../src/bin/listen.js';
import type { Engine } from './databases.js';
import type { TestApp } from './app.js';
import { buildTestApp } from './app.js';

export interface TestServer extends TestApp {
  panelUrl: string;
  apiUrl: string;
}

/** A port that was free a moment ago on this host. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startTestServer(
  options: { engine?: Engine; config?: ConfigInput; relaxLimits?: boolean; host?: string } = {},
): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const hostText = host.includes(':') ? `[${host}]` : host;
  const [panelPort, apiPort] = [await freePort(host), await freePort(host)];
  const panelUrl = `http://${hostText}:${panelPort}`;
  const apiUrl = `http://${hostText}:${apiPort}`;
  const t = await buildTestApp({
    ...options,
    config: {
      ...options.config,
      panel: {
        listen: [`${hostText}:${panelPort}`],
        publicUrl: panelUrl,
        ...options.config?.panel,
      },
      api: { listen: [`${hostText}:${apiPort}`], publicUrl: apiUrl, ...options.config?.api },
    },
  });
  const panel = await listen(
    'panel',
    t.app.panel as never,
    t.app.config.panel.listen,
    t.app.logger,
  );
  const api = await listen('api', t.app.api as never, t.app.config.api.listen, t.app.logger);
  return {
    ...t,
    panelUrl,
    apiUrl,
    async close() {
      await Promise.all([panel.close(), api.close()]);
      await t.close();
    },
  };
}

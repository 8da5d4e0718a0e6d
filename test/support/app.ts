// The whole app in-process for tests: real database (SQLite in memory by default), a fake clock,
// silent logs, and no listeners or background work unless a test asks.
import type { ConfigInput } from '../../src/config.js';
import { parseConfig } from '../../src/config.js';
import type { FakeClock } from '../../src/core/clock.js';
import { createFakeClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { App } from '../../src/main.js';
import { buildApp } from '../../src/main.js';
import type { Engine } from './databases.js';
import { createTestDatabase } from './databases.js';

export interface TestApp {
  app: App;
  clock: FakeClock;
  close(): Promise<void>;
}

/** Generous rate limits so that tests which are not about rate limits never trip them. */
const relaxedLimits = Object.fromEntries(
  [
    'loginPerIp',
    'loginPerAccount',
    'signupPerIp',
    'resetPerIp',
    'resetPerAccount',
    'tokenPerIp',
    'tokenPerKey',
  ].map((k) => [k, { limit: 10_000, windowSeconds: 60 }]),
);

export async function buildTestApp(
  options: { engine?: Engine; config?: ConfigInput; relaxLimits?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(options.engine ?? 'sqlite');
  const clock = createFakeClock(Date.now());
  const config = parseConfig({
    dataDir: ':memory:',
    secretKey: 'test-secret-key-test-secret-key-0123456789',
    logLevel: 'silent',
    jobs: { enabled: false },
    ...(options.relaxLimits === false ? {} : { rateLimits: relaxedLimits }),
    ...options.config,
    // DNSSEC parent checks ask the system's resolvers by default: tests keep them on loopback.
    dns: {
      ...options.config?.dns,
      dnssec: { parentServers: ['127.0.0.1:9'], ...options.config?.dns?.dnssec },
    },
  });
  const app = buildApp(config, { clock, logger: silentLogger, db: database.db });
  await app.migrate();
  return {
    app,
    clock,
    async close() {
      await app.jobs.stop(0);
      await database.drop();
    },
  };
}

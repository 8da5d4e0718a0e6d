// Databases for tests: SQLite in memory, or a private PostgreSQL database created for the test on
// the server at 127.0.0.1:5432 and dropped afterwards (we only ever drop what we created).
import pg from 'pg';
import { randomToken } from '../../src/core/ids.js';
import type { Database } from '../../src/db/index.js';
import { createDatabase } from '../../src/db/index.js';

export type Engine = 'sqlite' | 'postgres';

const adminUrl = process.env.BESTIARY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Is the PostgreSQL server reachable? (In CI it must be: BESTIARY_REQUIRE_ALL turns a miss into a failure.) */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    if (process.env.BESTIARY_REQUIRE_ALL === '1')
      throw new Error(`PostgreSQL is not reachable at ${adminUrl}`);
    console.warn(`skipping PostgreSQL tests: cannot reach ${adminUrl}`);
    return false;
  }
}

/** The engines to run a suite against: SQLite always, PostgreSQL when it is there. */
export async function enginesUnderTest(): Promise<Engine[]> {
  return (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  db: Database;
  url: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const db = createDatabase({ dataDir: ':memory:' });
    return { db, url: undefined, drop: () => db.close() };
  }
  const name = `bestiary_test_${randomToken(10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDatabase({ databaseUrl: url.toString(), dataDir: ':memory:' });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

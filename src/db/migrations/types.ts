// The shape of a dated migration. Migrations import only kysely and the dialect: never app code.
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export interface DatedMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
  down?(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

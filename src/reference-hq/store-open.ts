import type { HqStore } from './store.ts';
import { LevelHqStore } from './store-level.ts';
import { PgHqStore } from './store-pg.ts';

/**
 * The HQ store a location names: a `postgres://` or `postgresql://` connection URL is a PostgreSQL
 * database shared by every HQ instance given it; anything else is a folder for LevelDB (one
 * process). Opened before it is returned.
 */
export async function openHqStore(location: string): Promise<HqStore> {
  const store = isPostgresUrl(location) ? new PgHqStore(location) : new LevelHqStore(location);
  await store.open();
  return store;
}

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * Tables holding member data imported from device providers. Each must have a `user_id` column
 * (the internal user id) and a `provider` column holding the provider slug. Disconnecting a
 * provider deletes that member's rows for that provider from every table listed here, in the
 * disconnect transaction. Domains that store provider data append their table names here
 * (derived tables too: `timeseries_hourly` is the samples' rollup, kept per provider).
 */
export const PROVIDER_DATA_TABLES: readonly string[] = [
  "activity_summaries",
  "sleep_summaries",
  "body_measurements",
  "workouts",
  "timeseries_samples",
  "timeseries_hourly",
];

const TABLE_NAME = /^[a-z_][a-z0-9_]*$/;

/** Deletes one member's rows from one provider in every PROVIDER_DATA_TABLES table. Returns rows deleted per table. */
export async function purgeProviderData(em: EntityManager, userId: string, providerSlug: string, tables: readonly string[] = PROVIDER_DATA_TABLES) {
  const purged: Record<string, number> = {};
  for (const table of tables) {
    if (!TABLE_NAME.test(table)) throw new Error(`invalid provider data table name: ${table}`);
    const res = await em.execute(`delete from "${table}" where user_id = ? and provider = ?`, [userId, providerSlug], "run");
    purged[table] = (res as { affectedRows?: number }).affectedRows ?? 0;
  }
  return purged;
}

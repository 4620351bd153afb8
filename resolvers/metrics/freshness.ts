import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * When a member last received data from a provider, per resource (activity, sleep, body,
 * workouts and each timeseries metric): rows from that provider, or partner ingest whose
 * `source` names it (e.g. Apple Health data pushed by the partner app). One statement.
 */
export async function lastDataByResource(em: EntityManager, userId: string, providerSlug: string): Promise<Map<string, Date>> {
  const where = "where user_id = ? and (provider = ? or source = ?)";
  const p = [userId, providerSlug, providerSlug];
  const rows = await em.execute<{ resource: string; at: Date | null }[]>(
    `select 'activity' as resource, max(updated_at) as at from activity_summaries ${where}
     union all select 'sleep', max(updated_at) from sleep_summaries ${where}
     union all select 'body', max(updated_at) from body_measurements ${where}
     union all select 'workouts', max(updated_at) from workouts ${where}
     union all select metric, max(updated_at) from timeseries_samples ${where} group by metric`,
    [...p, ...p, ...p, ...p, ...p],
  );
  return new Map(rows.filter((r) => r.at).map((r) => [r.resource, new Date(r.at!)]));
}

/** `available` within 48 h, `stale` when older, `unavailable` when nothing arrived. */
export const FRESH_WITHIN_MS = 48 * 3_600_000;

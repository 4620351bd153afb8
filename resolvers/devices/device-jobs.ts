import { BackfillStatus, DeviceConnection, DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import type { JobHandler, JobRegistry } from "../async-jobs";
import { freshAccessToken } from "./device-tokens";
import { DEVICE_PROVIDERS } from "./providers";

export const DEVICE_JOB_TYPES = { backfill: "devices.backfill", refresh: "devices.refresh" } as const;

const CLOUD_PROVIDERS = DEVICE_PROVIDERS.filter((p) => p.authType !== "native").map((p) => p.slug);

/**
 * Historical import after a link. Fetching provider data is not implemented yet, so the job only
 * moves the backfill through in_progress to completed (0 records). A link deleted or re-linked
 * meanwhile is left alone.
 */
const backfill: JobHandler = async (job, { em, deps }) => {
  const providerSlug = String(job.params.provider_slug);
  if (!job.userId) return { provider_slug: providerSlug, backfill_status: "skipped" };
  const where = { user: job.userId, providerSlug };
  const started = deps.now();
  const claimed = await em.nativeUpdate(
    DeviceConnection,
    { ...where, backfillStatus: { $in: [BackfillStatus.pending, BackfillStatus.in_progress] } },
    { backfillStatus: BackfillStatus.in_progress, backfillStartedAt: started, updatedAt: started },
  );
  if (!claimed) return { provider_slug: providerSlug, backfill_status: "skipped" };
  const done = deps.now();
  await em.nativeUpdate(
    DeviceConnection,
    { ...where, backfillStatus: BackfillStatus.in_progress },
    { backfillStatus: BackfillStatus.completed, backfillCompletedAt: done, lastSyncAt: done, updatedAt: done },
  );
  return { provider_slug: providerSlug, backfill_status: BackfillStatus.completed, records_imported: 0 };
};

/**
 * Force-sync of the member's connected cloud providers (OAuth and credentials). Each link's access
 * token is refreshed first when it is due (see freshAccessToken); a link the provider refused is
 * reported under `reauth_required_providers` (now status error), a transient failure under
 * `failed_providers`. The others get last_sync_at stamped; no data is fetched yet.
 */
const refresh: JobHandler = async (job, { em, deps }) => {
  const result = { refreshed_providers: [] as string[], reauth_required_providers: [] as string[], failed_providers: [] as string[] };
  if (!job.userId) return result;
  const rows = await em.find(
    DeviceConnection,
    { user: job.userId, providerSlug: { $in: CLOUD_PROVIDERS }, status: DeviceConnectionStatus.connected },
    { orderBy: { createdAt: "asc" } },
  );
  const synced: string[] = [];
  for (const row of rows) {
    const token = await freshAccessToken(em, deps, row.id);
    if (token.status === "ok") {
      synced.push(row.id);
      result.refreshed_providers.push(row.providerSlug);
    } else if (token.status === "reauth_required") result.reauth_required_providers.push(row.providerSlug);
    else if (token.status === "failed") result.failed_providers.push(row.providerSlug);
  }
  const now = deps.now();
  if (synced.length) await em.nativeUpdate(DeviceConnection, { id: { $in: synced }, status: DeviceConnectionStatus.connected }, { lastSyncAt: now, updatedAt: now });
  return result;
};

/** Registers the devices domain's job handlers (called by the composition root). */
export function registerDeviceJobs(registry: JobRegistry): JobRegistry {
  return registry.register(DEVICE_JOB_TYPES.backfill, backfill).register(DEVICE_JOB_TYPES.refresh, refresh);
}

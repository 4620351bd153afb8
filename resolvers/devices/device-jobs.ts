import { BackfillStatus, DeviceConnection, DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import type { JobHandler, JobRegistry } from "../async-jobs";
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

/** Force-sync of the member's connected cloud providers (OAuth and credentials). Stamps last_sync_at; no data is fetched yet. */
const refresh: JobHandler = async (job, { em, deps }) => {
  if (!job.userId) return { refreshed_providers: [] };
  const rows = await em.find(
    DeviceConnection,
    { user: job.userId, providerSlug: { $in: CLOUD_PROVIDERS }, status: DeviceConnectionStatus.connected },
    { orderBy: { createdAt: "asc" } },
  );
  const now = deps.now();
  if (rows.length) await em.nativeUpdate(DeviceConnection, { id: { $in: rows.map((r) => r.id) } }, { lastSyncAt: now, updatedAt: now });
  return { refreshed_providers: rows.map((r) => r.providerSlug) };
};

/** Registers the devices domain's job handlers (called by the composition root). */
export function registerDeviceJobs(registry: JobRegistry): JobRegistry {
  return registry.register(DEVICE_JOB_TYPES.backfill, backfill).register(DEVICE_JOB_TYPES.refresh, refresh);
}

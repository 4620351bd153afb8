import type { EntityManager } from "@mikro-orm/postgresql";
import { BackfillStatus, DeviceConnection, DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import { User } from "../../entities/users/user.entity";
import { DomainError } from "../_shared/errors";
import type { JobHandler, JobRegistry } from "../async-jobs";
import { freshAccessToken } from "./device-tokens";
import { isSyncedProvider, syncConnection, type SyncOutcome } from "./provider-sync/sync";
import { DEVICE_PROVIDERS } from "./providers";

export const DEVICE_JOB_TYPES = { backfill: "devices.backfill", refresh: "devices.refresh" } as const;

const CLOUD_PROVIDERS = DEVICE_PROVIDERS.filter((p) => p.authType !== "native").map((p) => p.slug);

type Transient = Extract<SyncOutcome, { status: "rate_limited" | "failed" }>;

/** The job failure for transient provider problems: `rate_limited` (with the longest Retry-After) if any provider limited us, else `bad_gateway`. */
function transientError(failures: { provider: string; outcome: Transient }[]): DomainError {
  const limited = failures.filter((f) => f.outcome.status === "rate_limited");
  if (limited.length) {
    const waits = limited.map((f) => (f.outcome.status === "rate_limited" ? f.outcome.retryAfterSeconds : null)).filter((s): s is number => s !== null);
    const after = waits.length ? ` retry after ${Math.max(...waits)} seconds` : " retry later";
    return new DomainError("rate_limited", `The provider's rate limit was reached (${limited.map((f) => f.provider).join(", ")});${after}`);
  }
  return new DomainError(
    "bad_gateway",
    `The provider could not be reached (${failures.map((f) => `${f.provider}: ${f.outcome.status === "failed" ? f.outcome.reason : ""}`).join(", ")}); retry later`,
  );
}

/** Summaries as records; heart-rate and HRV samples counted apart (a day holds hundreds of samples). */
const counted = ({ counts: c }: Extract<SyncOutcome, { status: "synced" }>) => ({
  records_imported: c.activity.accepted + c.sleep.accepted,
  records_unchanged: c.activity.duplicate + c.sleep.duplicate,
  records_rejected: c.activity.rejected + c.sleep.rejected,
  samples_imported: c.heart_rate.accepted + c.heart_rate.updated + c.hrv.accepted + c.hrv.updated,
  samples_unchanged: c.heart_rate.duplicate + c.hrv.duplicate,
  samples_rejected: c.heart_rate.rejected + c.hrv.rejected,
});

async function loadUser(em: EntityManager, userId: string) {
  return em.findOneOrFail(User, { id: userId });
}

/**
 * Historical import after a link. For providers with a data fetch (provider-sync/: Oura, Fitbit)
 * it imports the last BACKFILL_DAYS local days as `is_backfill` rows; for the others it only moves
 * the backfill through in_progress to completed (0 records). A transient provider failure marks the
 * backfill failed and fails the job (`rate_limited` with Retry-After, or `bad_gateway`); a later
 * refresh without a previous sync reads the same window. A link deleted or re-linked meanwhile is
 * left alone.
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
  const complete = async () => {
    const done = deps.now();
    await em.nativeUpdate(
      DeviceConnection,
      { ...where, backfillStatus: BackfillStatus.in_progress },
      { backfillStatus: BackfillStatus.completed, backfillCompletedAt: done, lastSyncAt: done, updatedAt: done },
    );
  };
  if (!isSyncedProvider(providerSlug)) {
    await complete();
    return { provider_slug: providerSlug, backfill_status: BackfillStatus.completed, records_imported: 0 };
  }
  const conn = await em.findOneOrFail(DeviceConnection, where);
  const outcome = await syncConnection(em, deps, conn, await loadUser(em, job.userId), job.orgId, "backfill");
  if (outcome.status === "synced") {
    await complete();
    return { provider_slug: providerSlug, backfill_status: BackfillStatus.completed, ...counted(outcome) };
  }
  const error =
    outcome.status === "failed"
      ? "provider_unavailable"
      : outcome.status === "reauth_required" || outcome.status === "not_connected"
        ? "reauthorization_required"
        : outcome.status;
  await em.nativeUpdate(
    DeviceConnection,
    { ...where, backfillStatus: BackfillStatus.in_progress },
    { backfillStatus: BackfillStatus.failed, backfillError: error, updatedAt: deps.now() },
  );
  if (outcome.status === "rate_limited" || outcome.status === "failed") throw transientError([{ provider: providerSlug, outcome }]);
  return { provider_slug: providerSlug, backfill_status: BackfillStatus.failed, error };
};

/**
 * Force-sync of the member's connected cloud providers (OAuth and credentials). Oura and Fitbit
 * links fetch their data since the last sync minus LATE_DATA_DAYS (see provider-sync/); every link's
 * access token is refreshed first when it is due (see freshAccessToken). A link the provider refused
 * is reported under `reauth_required_providers` (now status error); a token refresh that failed for
 * a link without a data fetch under `failed_providers`. If a data fetch hit a rate limit or an
 * unavailable provider, the job fails (`rate_limited` with Retry-After, or `bad_gateway`) after
 * the other providers were synced. Synced links get last_sync_at stamped.
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
  const transient: { provider: string; outcome: Transient }[] = [];
  let user: User | undefined;
  for (const row of rows) {
    if (isSyncedProvider(row.providerSlug)) {
      const outcome = await syncConnection(em, deps, row, (user ??= await loadUser(em, job.userId)), job.orgId, "refresh");
      if (outcome.status === "synced") {
        synced.push(row.id);
        result.refreshed_providers.push(row.providerSlug);
      } else if (outcome.status === "reauth_required") result.reauth_required_providers.push(row.providerSlug);
      else if (outcome.status === "rate_limited" || outcome.status === "failed") transient.push({ provider: row.providerSlug, outcome });
      continue;
    }
    const token = await freshAccessToken(em, deps, row.id);
    if (token.status === "ok") {
      synced.push(row.id);
      result.refreshed_providers.push(row.providerSlug);
    } else if (token.status === "reauth_required") result.reauth_required_providers.push(row.providerSlug);
    else if (token.status === "failed") result.failed_providers.push(row.providerSlug);
  }
  const now = deps.now();
  if (synced.length) await em.nativeUpdate(DeviceConnection, { id: { $in: synced }, status: DeviceConnectionStatus.connected }, { lastSyncAt: now, updatedAt: now });
  if (transient.length) throw transientError(transient);
  return result;
};

/** Registers the devices domain's job handlers (called by the composition root). */
export function registerDeviceJobs(registry: JobRegistry): JobRegistry {
  return registry.register(DEVICE_JOB_TYPES.backfill, backfill).register(DEVICE_JOB_TYPES.refresh, refresh);
}

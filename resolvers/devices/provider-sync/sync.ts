import type { EntityManager } from "@mikro-orm/postgresql";
import { DateTime } from "luxon";
import type { DeviceConnection } from "../../../entities/devices/device-connection.entity";
import type { User } from "../../../entities/users/user.entity";
import { IngestStatus, SummaryKind } from "../../../schema/metrics/summary.type";
import type { AppDeps } from "../../_shared/deps";
import { ingestSummaries, ingestTimeseries, localDate, type TimeseriesWriteCounts } from "../../metrics";
import { freshAccessToken, markReauthorizationRequired } from "../device-tokens";
import { oauthConfigFor } from "../providers";
import { fitbitFetcher } from "./fitbit";
import { ProviderApiError, getJson } from "./http";
import { ouraFetcher } from "./oura";
import type { ProviderFetcher, SyncWindow } from "./types";

/** The backfill after a link imports this many local days, today included. */
export const BACKFILL_DAYS = 30;
/** A refresh re-reads this many days before the last sync's local date: providers revise recent days late. */
export const LATE_DATA_DAYS = 2;

/** Providers whose data is fetched; other links are only kept fresh (token) and stamped. */
const FETCHERS: Readonly<Record<string, ProviderFetcher>> = { oura: ouraFetcher, fitbit: fitbitFetcher };

export const isSyncedProvider = (slug: string): boolean => slug in FETCHERS;

export type SyncMode = "backfill" | "refresh";

export interface SyncCounts {
  activity: { accepted: number; duplicate: number; rejected: number };
  sleep: { accepted: number; duplicate: number; rejected: number };
  heart_rate: TimeseriesWriteCounts;
  hrv: TimeseriesWriteCounts;
}

export type SyncOutcome =
  | { status: "synced"; window: SyncWindow; counts: SyncCounts }
  | { status: "reauth_required" }
  | { status: "rate_limited"; retryAfterSeconds: number | null }
  | { status: "failed"; reason: string }
  | { status: "not_connected" };

type SyncDeps = Pick<AppDeps, "config" | "secretBox" | "logger" | "now">;

const minusDays = (date: string, days: number) => DateTime.fromISO(date, { zone: "UTC" }).minus({ days }).toISODate()!;

/** Backfill: the last BACKFILL_DAYS local days. Refresh: from the last sync's local date minus LATE_DATA_DAYS (never further back than a backfill). */
export function syncWindow(mode: SyncMode, now: Date, zone: string | null | undefined, lastSyncAt: Date | null | undefined): SyncWindow {
  const endDate = localDate(now, zone);
  const earliest = minusDays(endDate, BACKFILL_DAYS - 1);
  if (mode === "backfill" || !lastSyncAt) return { startDate: earliest, endDate };
  const from = minusDays(localDate(lastSyncAt, zone), LATE_DATA_DAYS);
  return { startDate: from < earliest ? earliest : from > endDate ? endDate : from, endDate };
}

function tally(results: { status: IngestStatus }[]) {
  return {
    accepted: results.filter((r) => r.status === IngestStatus.accepted).length,
    duplicate: results.filter((r) => r.status === IngestStatus.duplicate).length,
    rejected: results.filter((r) => r.status === IngestStatus.rejected).length,
  };
}

/**
 * Fetches one link's activity and sleep for the mode's window and writes them through the partner
 * ingest's path (ingestSummaries) stamped with the provider slug: dedup by the provider's row
 * identity, local-day rules, `is_backfill` for the backfill (no device.data.daily events), events
 * per changed day for a refresh. Heart rate and HRV samples of the same window go through the
 * partner timeseries ingest's path (ingestTimeseries: upsert by instant + the hourly rollup in one
 * transaction), stamped with the slug; they emit no events (device.data.daily is summary-only).
 *
 * Failures: a 401 gets one forced token refresh and one retry; a second 401 puts the link into
 * reauthorization (`reauth_required`). 429 → `rate_limited` (Retry-After kept, no in-process
 * sleep); 5xx, timeouts and network errors → `failed` with the link unchanged. Nothing is written
 * unless every call of the run succeeded. Tokens never reach logs or results.
 */
export async function syncConnection(em: EntityManager, deps: SyncDeps, conn: DeviceConnection, user: User, orgId: string, mode: SyncMode): Promise<SyncOutcome> {
  const slug = conn.providerSlug;
  const fetcher = FETCHERS[slug];
  const base = oauthConfigFor(deps.config.oauth.providers, slug)?.apiBaseUrl?.replace(/\/+$/, "");
  if (!fetcher || !base) return { status: "failed", reason: "provider_not_configured" };
  const log = { provider_slug: slug, mode };

  const first = await freshAccessToken(em, deps, conn.id);
  if (first.status !== "ok") return first;
  if (!first.accessToken) {
    await markReauthorizationRequired(em, deps, conn.id, "no_access_token");
    return { status: "reauth_required" };
  }
  let token = first.accessToken;
  let retried = false;
  const get = async (pathAndQuery: string): Promise<unknown> => {
    try {
      return await getJson(base + pathAndQuery, token, deps.now);
    } catch (e) {
      if (!(e instanceof ProviderApiError) || e.failure.kind !== "unauthorized" || retried) throw e;
      retried = true;
      const again = await freshAccessToken(em, deps, conn.id, { rejectedToken: token });
      if (again.status !== "ok" || !again.accessToken) throw new TokenOutcomeError(again.status === "failed" ? again.reason : again.status);
      token = again.accessToken;
      return getJson(base + pathAndQuery, token, deps.now);
    }
  };

  const window = syncWindow(mode, deps.now(), user.timezone, conn.lastSyncAt);
  let data;
  try {
    data = await fetcher.fetch(get, window, user.timezone ?? null);
  } catch (e) {
    if (e instanceof TokenOutcomeError) {
      if (e.message === "reauth_required") return { status: "reauth_required" };
      if (e.message === "not_connected") return { status: "not_connected" };
      deps.logger.warn({ ...log, reason: e.message }, "device sync failed");
      return { status: "failed", reason: e.message };
    }
    if (!(e instanceof ProviderApiError)) throw e;
    const f = e.failure;
    if (f.kind === "unauthorized") {
      await markReauthorizationRequired(em, deps, conn.id, "provider_rejected_refreshed_token");
      return { status: "reauth_required" };
    }
    deps.logger.warn({ ...log, reason: f.kind === "rate_limited" ? "rate_limited" : f.reason }, "device sync failed");
    return f.kind === "rate_limited" ? { status: "rate_limited", retryAfterSeconds: f.retryAfterSeconds } : { status: "failed", reason: f.reason };
  }

  const target = { user, orgId, provider: slug };
  const backfill = mode === "backfill";
  const counts: SyncCounts = {
    activity: tally(await ingestSummaries(em, deps, target, SummaryKind.activity, data.activity, backfill)),
    sleep: tally(await ingestSummaries(em, deps, target, SummaryKind.sleep, data.sleep, backfill)),
    heart_rate: await ingestTimeseries(em, deps, target, "heart_rate", data.heartRate),
    hrv: await ingestTimeseries(em, deps, target, "hrv", data.hrv),
  };
  deps.logger.info({ ...log, ...window, counts }, "device data synced");
  return { status: "synced", window, counts };
}

/** A token outcome other than ok while retrying after a 401 (message: the status or failure reason). */
class TokenOutcomeError extends Error {}

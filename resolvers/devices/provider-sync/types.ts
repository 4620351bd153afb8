/** The local-date window (inclusive, YYYY-MM-DD, in the member's zone) a sync asks a provider for. */
export interface SyncWindow {
  startDate: string;
  endDate: string;
}

/** An authenticated GET of the provider's data API: `pathAndQuery` is appended to the configured apiBaseUrl. */
export type ProviderGet = (pathAndQuery: string) => Promise<unknown>;

/**
 * Summary items in the partner ingest's wire shape (see metrics/summary-items.ts), ready for
 * ingestSummaries, and timeseries samples in the partner timeseries ingest's wire shape
 * (`timestamp`, `value`, `unit`, optional `client_id`, `device`, `source`; see
 * metrics/timeseries.validate.ts), ready for ingestTimeseries.
 */
export interface ProviderData {
  activity: Record<string, unknown>[];
  sleep: Record<string, unknown>[];
  heartRate: Record<string, unknown>[];
  hrv: Record<string, unknown>[];
}

/** One provider's data fetch and mapping to summary items. `zone` is the member's IANA zone (null → UTC). */
export interface ProviderFetcher {
  fetch(get: ProviderGet, window: SyncWindow, zone: string | null): Promise<ProviderData>;
}

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
export const int = (v: unknown): number | undefined => (num(v) === undefined ? undefined : Math.round(v as number));
export const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

/** Drops undefined fields: the item schemas reject nulls and unknown fields, and an absent value stays null in storage. */
export const compact = <T extends Obj>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** An instant as ISO 8601 UTC, or undefined when it does not parse. */
export const instant = (v: unknown): string | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
};

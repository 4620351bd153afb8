import { DateTime } from "luxon";
import { compact, instant, int, isObj, num, str, type ProviderFetcher, type ProviderGet, type SyncWindow } from "./types";

/**
 * Oura API v2 (https://cloud.ouraring.com/v2/docs). Both collections answer
 * `{ "data": [...], "next_token": string | null }`; a non-null `next_token` is passed back as a
 * query parameter for the next page.
 *
 * daily_activity → activity item (one per Oura `day`, which Oura already computes in the member's
 * local zone, so it is kept as the date):
 *   | Oura field                                          | item field                         |
 *   | `id`                                                | `client_id` = `oura:daily_activity:{id}` (else `{day}`) |
 *   | `day`                                               | `date`                             |
 *   | `steps`                                             | `steps`                            |
 *   | `total_calories` (kcal, incl. resting)              | `calories`                         |
 *   | `equivalent_walking_distance` (m)                   | `distance_meters`                  |
 *   | `high_activity_time` + `medium_activity_time` (s)   | `active_minutes` (rounded minutes) |
 *   `active_calories`, `low_activity_time` and the MET/class series are not stored (no column).
 *
 * sleep → sleep item (one per sleep period; types `long_sleep`, `sleep`, `late_nap`; `rest` and
 * `deleted` periods are skipped). The local date is derived by ingest from `end` (the wake day):
 *   | `id`                          | `client_id` = `oura:sleep:{id}`          |
 *   | `bedtime_start` / `bedtime_end` | `start` / `end` (instants)             |
 *   | `total_sleep_duration` (s)    | `duration_seconds` (time asleep)         |
 *   | `efficiency` (0–100)          | `efficiency`                             |
 *   `deep_sleep_duration`, `rem_sleep_duration`, `light_sleep_duration` and `awake_time` are
 *   totals, not intervals: the stage view holds only real intervals, and sleep summaries have no
 *   stage-total columns, so they are not stored.
 */
const SLEEP_TYPES = new Set(["long_sleep", "sleep", "late_nap"]);
const MAX_PAGES = 50;
const SOURCE = { activity: "oura:daily_activity", sleep: "oura:sleep" } as const;
const DEVICE = "Oura Ring";

async function collect(get: ProviderGet, path: string, window: SyncWindow): Promise<unknown[]> {
  // Oura treats end_date as exclusive on some collections: ask for one day more and filter.
  const params = { start_date: window.startDate, end_date: DateTime.fromISO(window.endDate, { zone: "UTC" }).plus({ days: 1 }).toISODate()! };
  const out: unknown[] = [];
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const q = new URLSearchParams(params);
    if (next) q.set("next_token", next);
    const body = await get(`${path}?${q}`);
    if (isObj(body) && Array.isArray(body.data)) out.push(...body.data);
    next = isObj(body) ? str(body.next_token) : undefined;
    if (!next) break;
  }
  return out;
}

export function mapOuraActivity(d: unknown, window: SyncWindow): Record<string, unknown> | null {
  if (!isObj(d)) return null;
  const day = str(d.day);
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day) || day < window.startDate || day > window.endDate) return null;
  const active = (num(d.high_activity_time) ?? 0) + (num(d.medium_activity_time) ?? 0);
  const hasActive = num(d.high_activity_time) !== undefined || num(d.medium_activity_time) !== undefined;
  return compact({
    client_id: `oura:daily_activity:${str(d.id) ?? day}`,
    date: day,
    steps: int(d.steps),
    calories: num(d.total_calories),
    distance_meters: num(d.equivalent_walking_distance),
    active_minutes: hasActive ? Math.round(active / 60) : undefined,
    device: DEVICE,
    source: SOURCE.activity,
  });
}

export function mapOuraSleep(s: unknown): Record<string, unknown> | null {
  if (!isObj(s)) return null;
  const id = str(s.id);
  const start = instant(s.bedtime_start);
  const end = instant(s.bedtime_end);
  if (!id || !start || !end || !SLEEP_TYPES.has(str(s.type) ?? "long_sleep")) return null;
  return compact({
    client_id: `oura:sleep:${id}`,
    start,
    end,
    duration_seconds: int(s.total_sleep_duration),
    efficiency: num(s.efficiency),
    device: DEVICE,
    source: SOURCE.sleep,
  });
}

export const ouraFetcher: ProviderFetcher = {
  async fetch(get, window) {
    const activity = await collect(get, "/v2/usercollection/daily_activity", window);
    const sleep = await collect(get, "/v2/usercollection/sleep", window);
    return {
      activity: activity.map((d) => mapOuraActivity(d, window)).filter((x): x is Record<string, unknown> => !!x),
      sleep: sleep.map(mapOuraSleep).filter((x): x is Record<string, unknown> => !!x),
    };
  },
};

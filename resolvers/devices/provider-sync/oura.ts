import { DateTime } from "luxon";
import { unlessForbidden } from "./http";
import { compact, instant, int, isObj, num, str, type ProviderFetcher, type ProviderGet, type SyncWindow } from "./types";

/**
 * Oura API v2 (https://cloud.ouraring.com/v2/docs). Every collection answers
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
 *   | `sleep_phase_5_min`           | `stage_intervals[]`: one digit per 5 minutes from `bedtime_start`, 1 → deep, 2 → light, 3 → rem, 4 → awake; runs of equal digits merged, clipped to the session, other digits skipped |
 *   `deep_sleep_duration`, `rem_sleep_duration`, `light_sleep_duration` and `awake_time` are
 *   totals, not intervals, and sleep summaries have no stage-total columns, so they are not stored.
 *
 * heartrate (`start_datetime`/`end_datetime`: the window's local days as instants in the member's
 * zone) → `heart_rate` samples (bpm):
 *   | `timestamp` / `bpm`  | `timestamp` / `value`                                           |
 *   | `source` (awake, rest, sleep, session, live, workout) | `source` = `oura:heartrate:{source}` |
 *   A 403 (heartrate scope withheld at consent) yields no samples rather than failing the sync.
 *   Sleep documents' own `heart_rate` series is not read: the heartrate collection already holds
 *   the sleep samples (source `sleep`).
 *
 * sleep (the periods imported above) → `hrv` samples (ms, RMSSD):
 *   | `hrv.items[i]` (5-minute series), at `hrv.timestamp` + i × `hrv.interval` s | one sample each, `source` = `oura:sleep:hrv`; null items skipped |
 *   | `average_hrv`, only when the period has no `hrv.items` | one sample at `bedtime_end` (on the wake day, like the sleep summary), `client_id` = `oura:sleep:{id}:average_hrv`, `source` = `oura:sleep:average_hrv` |
 *   Storing the average next to the series would count the night twice in daily means.
 */
const SLEEP_TYPES = new Set(["long_sleep", "sleep", "late_nap"]);
/** Page caps (a provider that keeps answering next_token cannot hold a worker): 50 for the daily collections, more for heartrate's intraday samples (~288 a day). */
const MAX_PAGES = 50;
const MAX_HEARTRATE_PAGES = 1000;
const SOURCE = {
  activity: "oura:daily_activity",
  sleep: "oura:sleep",
  heartRate: "oura:heartrate",
  hrv: "oura:sleep:hrv",
  averageHrv: "oura:sleep:average_hrv",
} as const;
const DEVICE = "Oura Ring";
const PHASES: Record<string, string> = { "1": "deep", "2": "light", "3": "rem", "4": "awake" };
const PHASE_MS = 5 * 60_000;

/** The collections of daily documents, by local date. */
function dateParams(window: SyncWindow): Record<string, string> {
  // Oura treats end_date as exclusive on some collections: ask for one day more and filter.
  return { start_date: window.startDate, end_date: DateTime.fromISO(window.endDate, { zone: "UTC" }).plus({ days: 1 }).toISODate()! };
}

/** The heartrate collection, by instant: the window's local days in the member's zone, [first midnight, midnight after the last day). */
function datetimeParams(window: SyncWindow, memberZone: string): Record<string, string> {
  const zone = DateTime.now().setZone(memberZone).isValid ? memberZone : "UTC";
  const from = DateTime.fromISO(window.startDate, { zone });
  const to = DateTime.fromISO(window.endDate, { zone }).plus({ days: 1 });
  return { start_datetime: from.toISO({ suppressMilliseconds: true })!, end_datetime: to.toISO({ suppressMilliseconds: true })! };
}

async function collect(get: ProviderGet, path: string, params: Record<string, string>, maxPages = MAX_PAGES): Promise<unknown[]> {
  const out: unknown[] = [];
  let next: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const q = new URLSearchParams(params);
    if (next) q.set("next_token", next);
    const body = await get(`${path}?${q.toString()}`);
    if (isObj(body) && Array.isArray(body.data)) out.push(...(body.data as unknown[]));
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

/** An imported sleep period's id and bounds, or null for periods that are skipped. */
function sleepPeriod(s: unknown): { s: Record<string, unknown>; id: string; start: string; end: string } | null {
  if (!isObj(s)) return null;
  const id = str(s.id);
  const start = instant(s.bedtime_start);
  const end = instant(s.bedtime_end);
  if (!id || !start || !end || !SLEEP_TYPES.has(str(s.type) ?? "long_sleep")) return null;
  return { s, id, start, end };
}

/** `sleep_phase_5_min` as stage intervals: runs of equal digits merged, clipped to [start, end). */
export function ouraStageIntervals(phases: unknown, start: string, end: string): { stage: string; start: string; end: string }[] {
  const p = str(phases);
  if (!p) return [];
  const t0 = Date.parse(start);
  const t1 = Date.parse(end);
  const out: { stage: string; start: string; end: string }[] = [];
  for (let i = 0, j = 0; i < p.length; i = j) {
    while (j < p.length && p[j] === p[i]) j++;
    const stage = PHASES[p[i]];
    const a = t0 + i * PHASE_MS;
    const b = Math.min(t0 + j * PHASE_MS, t1);
    if (stage && b > a) out.push({ stage, start: new Date(a).toISOString(), end: new Date(b).toISOString() });
  }
  return out;
}

export function mapOuraSleep(doc: unknown): Record<string, unknown> | null {
  const period = sleepPeriod(doc);
  if (!period) return null;
  const { s, id, start, end } = period;
  if (Date.parse(end) <= Date.parse(start)) return null;
  const stages = ouraStageIntervals(s.sleep_phase_5_min, start, end);
  return compact({
    client_id: `oura:sleep:${id}`,
    start,
    end,
    duration_seconds: int(s.total_sleep_duration),
    efficiency: num(s.efficiency),
    stage_intervals: stages.length ? stages : undefined,
    device: DEVICE,
    source: SOURCE.sleep,
  });
}

export function mapOuraHeartRate(d: unknown): Record<string, unknown> | null {
  if (!isObj(d)) return null;
  const timestamp = instant(d.timestamp);
  const bpm = num(d.bpm);
  if (!timestamp || bpm === undefined) return null;
  const source = str(d.source);
  return compact({ timestamp, value: bpm, unit: "bpm", device: DEVICE, source: source ? `${SOURCE.heartRate}:${source}` : SOURCE.heartRate });
}

/** A sleep period's HRV: its 5-minute series when present, else its `average_hrv` at `bedtime_end`. */
export function mapOuraSleepHrv(doc: unknown): Record<string, unknown>[] {
  const period = sleepPeriod(doc);
  if (!period) return [];
  const { s, id, end } = period;
  const series = isObj(s.hrv) ? s.hrv : null;
  const t0 = series ? instant(series.timestamp) : undefined;
  const interval = series ? num(series.interval) : undefined;
  const items = series && Array.isArray(series.items) ? series.items : [];
  if (t0 && interval && interval > 0 && items.some((v) => num(v) !== undefined)) {
    const base = Date.parse(t0);
    return items.flatMap((v, i) => {
      const value = num(v);
      return value === undefined ? [] : [{ timestamp: new Date(base + i * interval * 1000).toISOString(), value, unit: "ms", device: DEVICE, source: SOURCE.hrv }];
    });
  }
  const avg = num(s.average_hrv);
  return avg === undefined ? [] : [{ client_id: `oura:sleep:${id}:average_hrv`, timestamp: end, value: avg, unit: "ms", device: DEVICE, source: SOURCE.averageHrv }];
}

export const ouraFetcher: ProviderFetcher = {
  async fetch(get, window, zone) {
    const activity = await collect(get, "/v2/usercollection/daily_activity", dateParams(window));
    const sleep = await collect(get, "/v2/usercollection/sleep", dateParams(window));
    const heartRate = (await unlessForbidden(collect(get, "/v2/usercollection/heartrate", datetimeParams(window, zone || "UTC"), MAX_HEARTRATE_PAGES))) ?? [];
    const present = (x: Record<string, unknown> | null): x is Record<string, unknown> => !!x;
    return {
      activity: activity.map((d) => mapOuraActivity(d, window)).filter(present),
      sleep: sleep.map(mapOuraSleep).filter(present),
      heartRate: heartRate.map(mapOuraHeartRate).filter(present),
      hrv: sleep.flatMap(mapOuraSleepHrv),
    };
  },
};

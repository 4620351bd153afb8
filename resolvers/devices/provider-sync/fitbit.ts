import { DateTime } from "luxon";
import { unlessForbidden } from "./http";
import { compact, int, isObj, num, str, type ProviderFetcher, type SyncWindow } from "./types";

/**
 * Fitbit Web API (https://dev.fitbit.com/build/reference/web-api/). No Accept-Language header is
 * sent, so values come in metric units (distance in km). Rate limit: 150 calls per member-hour,
 * answered with 429 and Retry-After.
 *
 * GET /1/user/-/activities/date/{date}.json → `summary` → activity item (one call per local date;
 * Fitbit's date is the account's local day, kept as is):
 *   | Fitbit field                                         | item field                               |
 *   | (the requested date)                                 | `client_id` = `fitbit:activities:{date}`, `date` |
 *   | `summary.steps`                                      | `steps`                                  |
 *   | `summary.caloriesOut` (kcal, incl. BMR)              | `calories`                               |
 *   | `summary.distances[activity = "total"].distance` km  | `distance_meters` (× 1000)               |
 *   | `summary.veryActiveMinutes` + `fairlyActiveMinutes`  | `active_minutes`                         |
 *   A day with no steps, distance or active minutes (device not worn: Fitbit still reports BMR
 *   calories) is skipped.
 *
 * GET /1.2/user/-/sleep/date/{start}/{end}.json → `sleep[]` → sleep item (one per log, naps
 * included; the local date is derived by ingest from `end`):
 *   | `logId`                                   | `client_id` = `fitbit:sleep:{logId}`            |
 *   | `startTime` / `endTime` (local, no offset) | `start` / `end`, read in the member's zone     |
 *   | `minutesAsleep` (else `duration` ms)       | `duration_seconds` (time asleep, like Oura)     |
 *   | `efficiency` (0–100)                       | `efficiency`                                    |
 *   | `levels.data[]{dateTime, level, seconds}`  | `stage_intervals[]` (stage logs only): deep→deep, light→light, rem→rem, wake→awake |
 *   `levels.shortData` (short wakes overlapping `data`) and classic logs' asleep/restless/awake
 *   levels are not stages and are not stored.
 *
 * GET /1/user/-/activities/heart/date/{date}/1d/1min.json → `heart_rate` samples (one call per
 * local date; intraday data needs a personal app or Fitbit's intraday approval, and a response
 * without `activities-heart-intraday` simply yields no samples):
 *   | `activities-heart-intraday.dataset[]{time, value}` | `timestamp` = {date}T{time} read in the member's zone, `value` (bpm), `source` = `fitbit:heart:intraday` |
 *   Around DST changes a local minute that does not exist or repeats maps to a single instant
 *   (the later sample for an instant wins); `activities-heart` (zones, resting heart rate) is not stored.
 *
 * GET /1/user/-/hrv/date/{start}/{end}.json → `hrv` samples (one range call):
 *   | `hrv[]{dateTime, value.dailyRmssd}` | one sample at 12:00 local on `dateTime` (ms), `client_id` = `fitbit:hrv:{dateTime}`, `source` = `fitbit:hrv:daily_rmssd` |
 *   A 403 on either call (heartrate scope withheld at consent, no intraday access) yields no
 *   samples rather than failing the sync (see unlessForbidden).
 *   Fitbit gives one value per day (computed over the main sleep) without the instant it belongs
 *   to; local noon keeps it on its own local day in daily means and in one rollup hour, and the
 *   client_id moves it (never duplicates it) if the member's zone changes. `deepRmssd` (deep sleep
 *   only) is not stored: one HRV series per provider, not two that would be averaged together.
 */
const STAGES: Record<string, string> = { deep: "deep", light: "light", rem: "rem", wake: "awake" };
const SOURCE = { activity: "fitbit:activities", sleep: "fitbit:sleep", heartRate: "fitbit:heart:intraday", hrv: "fitbit:hrv:daily_rmssd" } as const;
const DEVICE = "Fitbit";

/** Fitbit's local wall times (no offset) as instants in the member's zone. */
const wall = (v: unknown, zone: string): DateTime | null => {
  const s = str(v);
  if (!s) return null;
  const t = DateTime.fromISO(s, { zone });
  return t.isValid ? t : null;
};

export function mapFitbitActivity(date: string, body: unknown): Record<string, unknown> | null {
  const s = isObj(body) && isObj(body.summary) ? body.summary : null;
  if (!s) return null;
  const distances = Array.isArray(s.distances) ? s.distances.filter(isObj) : [];
  const km = num(distances.find((d) => d.activity === "total")?.distance);
  const very = num(s.veryActiveMinutes);
  const fairly = num(s.fairlyActiveMinutes);
  const active = very === undefined && fairly === undefined ? undefined : Math.round((very ?? 0) + (fairly ?? 0));
  const steps = int(s.steps);
  if (!steps && !km && !active) return null;
  return compact({
    client_id: `fitbit:activities:${date}`,
    date,
    steps,
    calories: num(s.caloriesOut),
    distance_meters: km === undefined ? undefined : Math.round(km * 1000 * 100) / 100,
    active_minutes: active,
    device: DEVICE,
    source: SOURCE.activity,
  });
}

export function mapFitbitSleep(log: unknown, zone: string | null): Record<string, unknown> | null {
  if (!isObj(log)) return null;
  const z = zone || "UTC";
  const logId = num(log.logId) ?? str(log.logId);
  const start = wall(log.startTime, z);
  const end = wall(log.endTime, z);
  if (logId === undefined || !start || !end || end <= start) return null;
  const asleep = num(log.minutesAsleep);
  const durationMs = num(log.duration);
  const levels = isObj(log.levels) && Array.isArray(log.levels.data) && log.type !== "classic" ? log.levels.data.filter(isObj) : [];
  const stageIntervals = levels.flatMap((l) => {
    const stage = STAGES[String(l.level)];
    const from = wall(l.dateTime, z);
    const seconds = num(l.seconds);
    if (!stage || !from || !seconds || seconds <= 0) return [];
    // Clip to the session: the ingest rejects intervals outside it.
    const a = from < start ? start : from;
    const b0 = from.plus({ seconds });
    const b = b0 > end ? end : b0;
    return b > a ? [{ stage, start: a.toUTC().toISO()!, end: b.toUTC().toISO()! }] : [];
  });
  return compact({
    client_id: `fitbit:sleep:${logId}`,
    start: start.toUTC().toISO()!,
    end: end.toUTC().toISO()!,
    duration_seconds: asleep !== undefined ? Math.round(asleep * 60) : durationMs !== undefined ? Math.round(durationMs / 1000) : undefined,
    efficiency: num(log.efficiency),
    stage_intervals: stageIntervals.length ? stageIntervals : undefined,
    device: DEVICE,
    source: SOURCE.sleep,
  });
}

export function mapFitbitHeartRate(date: string, body: unknown, zone: string | null): Record<string, unknown>[] {
  const intraday = isObj(body) ? body["activities-heart-intraday"] : undefined;
  const dataset = isObj(intraday) && Array.isArray(intraday.dataset) ? intraday.dataset.filter(isObj) : [];
  const z = zone || "UTC";
  return dataset.flatMap((p) => {
    const time = str(p.time);
    const value = num(p.value);
    const t = time && /^\d{2}:\d{2}(:\d{2})?$/.test(time) ? wall(`${date}T${time}`, z) : null;
    return t && value !== undefined ? [{ timestamp: t.toUTC().toISO()!, value, unit: "bpm", device: DEVICE, source: SOURCE.heartRate }] : [];
  });
}

export function mapFitbitHrv(body: unknown, zone: string | null): Record<string, unknown>[] {
  const days = isObj(body) && Array.isArray(body.hrv) ? body.hrv.filter(isObj) : [];
  const z = zone || "UTC";
  return days.flatMap((d) => {
    const date = str(d.dateTime);
    const value = isObj(d.value) ? num(d.value.dailyRmssd) : undefined;
    const noon = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? wall(`${date}T12:00:00`, z) : null;
    return noon && value !== undefined
      ? [{ client_id: `fitbit:hrv:${date}`, timestamp: noon.toUTC().toISO()!, value, unit: "ms", device: DEVICE, source: SOURCE.hrv }]
      : [];
  });
}

function datesOf(window: SyncWindow): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(window.startDate, { zone: "UTC" }); d.toISODate()! <= window.endDate; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

export const fitbitFetcher: ProviderFetcher = {
  async fetch(get, window, zone) {
    const activity: Record<string, unknown>[] = [];
    const heartRate: Record<string, unknown>[] = [];
    // Sequential on purpose: Fitbit's per-member hourly quota (150 calls), not latency, is the
    // constraint. A 30-day backfill makes 2 calls a day + 2 range calls = 62.
    for (const date of datesOf(window)) {
      const item = mapFitbitActivity(date, await get(`/1/user/-/activities/date/${date}.json`));
      if (item) activity.push(item);
      heartRate.push(...mapFitbitHeartRate(date, await unlessForbidden(get(`/1/user/-/activities/heart/date/${date}/1d/1min.json`)), zone));
    }
    const body = await get(`/1.2/user/-/sleep/date/${window.startDate}/${window.endDate}.json`);
    const logs = isObj(body) && Array.isArray(body.sleep) ? body.sleep : [];
    const hrv = mapFitbitHrv(await unlessForbidden(get(`/1/user/-/hrv/date/${window.startDate}/${window.endDate}.json`)), zone);
    return { activity, sleep: logs.map((l) => mapFitbitSleep(l, zone)).filter((x): x is Record<string, unknown> => !!x), heartRate, hrv };
  },
};

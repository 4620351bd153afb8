import { DateTime } from "luxon";
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
 */
const STAGES: Record<string, string> = { deep: "deep", light: "light", rem: "rem", wake: "awake" };
const SOURCE = { activity: "fitbit:activities", sleep: "fitbit:sleep" } as const;
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

function datesOf(window: SyncWindow): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(window.startDate, { zone: "UTC" }); d.toISODate()! <= window.endDate; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

export const fitbitFetcher: ProviderFetcher = {
  async fetch(get, window, zone) {
    const activity: Record<string, unknown>[] = [];
    // Sequential on purpose: Fitbit's per-member hourly quota, not latency, is the constraint.
    for (const date of datesOf(window)) {
      const item = mapFitbitActivity(date, await get(`/1/user/-/activities/date/${date}.json`));
      if (item) activity.push(item);
    }
    const body = await get(`/1.2/user/-/sleep/date/${window.startDate}/${window.endDate}.json`);
    const logs = isObj(body) && Array.isArray(body.sleep) ? body.sleep : [];
    return { activity, sleep: logs.map((l) => mapFitbitSleep(l, zone)).filter((x): x is Record<string, unknown> => !!x) };
  },
};

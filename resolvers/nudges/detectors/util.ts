/**
 * Shared helpers of the nudge detectors: the member's local clock (luxon, DST-correct), window
 * keys, small statistics and tolerant threshold comparisons. Pure: only `snapshot.now` is a clock.
 */
import { DateTime, FixedOffsetZone, IANAZone } from "luxon";
import { THRESHOLDS } from "./thresholds";
import type { MemberSnapshot } from "./types";

/** The member's zone; an unknown or empty zone falls back to UTC (as the snapshot contract says for "none"). */
const validZones = new Map<string, boolean>();
export function zoneOf(s: Pick<MemberSnapshot, "timezone">): string {
  if (!s.timezone) return "UTC";
  let ok = validZones.get(s.timezone);
  if (ok === undefined) validZones.set(s.timezone, (ok = IANAZone.isValidZone(s.timezone)));
  return ok ? s.timezone : "UTC";
}

/**
 * UTC offsets (minutes) by zone and 15-minute slot. Real-world offset changes happen on quarter-hour
 * instants, so an offset looked up once per slot is exact; the cache keeps a sweep of thousands of
 * members from asking Intl for the same offsets over and over (the dominant cost otherwise).
 */
const offsets = new Map<string, number>();
const SLOT_MS = 15 * 60_000;
function offsetAt(zone: string, ms: number): number {
  const key = `${zone}|${Math.floor(ms / SLOT_MS)}`;
  let off = offsets.get(key);
  if (off === undefined) {
    if (offsets.size > 200_000) offsets.clear();
    offsets.set(key, (off = IANAZone.create(zone).offset(ms)));
  }
  return off;
}

/**
 * An instant on the member's local clock: the zone's offset at that instant, as a fixed-offset
 * DateTime (same wall clock and same instant as the IANA zone; the detectors only read wall-clock
 * fields and do calendar arithmetic on dates, never instant arithmetic across a DST change).
 */
export function local(instant: Date, zone: string): DateTime {
  const ms = instant.getTime();
  return DateTime.fromMillis(ms, { zone: FixedOffsetZone.instance(offsetAt(zone, ms)) });
}

/** The sweep's instant on the member's local clock (computed once per snapshot). */
const nows = new WeakMap<MemberSnapshot, DateTime>();
export function localNow(s: MemberSnapshot): DateTime {
  let dt = nows.get(s);
  if (!dt) nows.set(s, (dt = local(s.now, zoneOf(s))));
  return dt;
}

/** Local calendar date `YYYY-MM-DD` of an instant. */
export function localDate(instant: Date, zone: string): string {
  return local(instant, zone).toISODate()!;
}

/** `YYYY-MM-DD` plus `n` calendar days (pure date arithmetic; no zone involved). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** ISO week window key of a local date-time, e.g. `2026-W47` (ISO week-year, so 2027-01-01 may be `2026-W53`). */
export function isoWeekKey(dt: DateTime): string {
  return dt.toFormat("kkkk-'W'WW");
}

/** Dates `[from, to]` inclusive test for `YYYY-MM-DD` strings (lexicographic order is date order). */
export function inRange(date: string, from: string, to: string): boolean {
  return date >= from && date <= to;
}

const DAY_MINUTES = 24 * 60;

/**
 * Local clock minutes of an instant measured from 18:00 (0–1439): 18:00 → 0, 23:30 → 330,
 * 00:30 → 390. Uses the wall clock of the member's zone at that instant, so a 23:00 bedtime is 300
 * on both sides of a DST change.
 */
export function clockMinutesFromOrigin(instant: Date, zone: string): number {
  const t = local(instant, zone);
  const m = t.hour * 60 + t.minute + t.second / 60 + t.millisecond / 60000;
  return (((m - THRESHOLDS.CLOCK_ORIGIN_HOUR * 60) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

/**
 * The local date of the evening a night belongs to under the same 18:00 origin: a sleep start at
 * 23:30 Friday or 00:30 Saturday both belong to Friday's evening.
 */
export function eveningDate(start: Date, zone: string): DateTime {
  const t = local(start, zone);
  return (t.hour < THRESHOLDS.CLOCK_ORIGIN_HOUR ? t.minus({ days: 1 }) : t).startOf("day");
}

/** Minutes from the 18:00 origin back to a wall-clock `HH:MM` string (for facts). */
export function originMinutesToClock(minutes: number): string {
  const m = (((Math.round(minutes) + THRESHOLDS.CLOCK_ORIGIN_HOUR * 60) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Percentile p (0–100) with linear interpolation between closest ranks (numpy's default, Excel PERCENTILE.INC). */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

function tol(a: number, b: number): number {
  return THRESHOLDS.EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}
/** a < b, where values equal up to floating-point noise count as equal (so not less). */
export function lt(a: number, b: number): boolean {
  return a < b - tol(a, b);
}
/** a ≤ b, where values equal up to floating-point noise count as equal. */
export function le(a: number, b: number): boolean {
  return a <= b + tol(a, b);
}
/** a > b, tolerant as above. */
export function gt(a: number, b: number): boolean {
  return lt(b, a);
}
/** a ≥ b, tolerant as above. */
export function ge(a: number, b: number): boolean {
  return le(b, a);
}

/** Rounded for display: integers. */
export function int(x: number): number {
  return Math.round(x);
}
/** Rounded for display: one decimal (hours, mood). */
export function dec1(x: number): number {
  return Math.round(x * 10) / 10;
}
/** Seconds to hours with one decimal. */
export function hours1(seconds: number): number {
  return dec1(seconds / 3600);
}

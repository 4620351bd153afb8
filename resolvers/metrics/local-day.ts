import { DateTime } from "luxon";

/**
 * The member's local calendar day of an instant, from their stored IANA zone (UTC when unset).
 * A 23:00 Pacific workout stays on its own date; DST is the zone database's business.
 */
export function localDate(instant: Date, zone: string | null | undefined): string {
  return DateTime.fromJSDate(instant, { zone: zone || "UTC" }).toISODate()!;
}

/** Days from `start` to `end` (inclusive), both strict YYYY-MM-DD. */
export function daysInclusive(start: string, end: string): number {
  return DateTime.fromISO(end, { zone: "UTC" }).diff(DateTime.fromISO(start, { zone: "UTC" }), "days").days + 1;
}

import { DateTime } from "luxon";

/** Members younger than this on their local today get no proactive nudges and are not onboarding-eligible. */
export const MIN_NUDGE_AGE = 18;

/**
 * Whether a member may receive proactive nudges: false only when the birthday is known and the
 * member is under MIN_NUDGE_AGE on `localToday` (their own calendar date, YYYY-MM-DD). Eligible from
 * the 18th birthday itself; a 29 February birthday turns 18 on 28 February in common years (the
 * same arithmetic as PostgreSQL's `date + interval '18 years'`, see ineligibleSql).
 */
export function isEligible(birthday: string | null, localToday: string): boolean {
  if (!birthday) return true;
  const adult = DateTime.fromISO(birthday, { zone: "UTC" }).plus({ years: MIN_NUDGE_AGE }).toISODate()!;
  return adult <= localToday;
}

/**
 * A SQL boolean, true when the `users` row aliased `userAlias` belongs to a member under
 * MIN_NUDGE_AGE on their local date at `instantSql` (default `now()`) in their time zone (UTC when
 * unset). Members without a birthday are never ineligible. Aliases are code, never input.
 */
export function ineligibleSql(userAlias: string, instantSql = "now()"): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(userAlias)) throw new Error(`ineligibleSql: bad alias ${userAlias}`);
  return (
    `(${userAlias}.birthday is not null and (${userAlias}.birthday + interval '${MIN_NUDGE_AGE} years')::date > ` +
    `((${instantSql}) at time zone coalesce(${userAlias}.timezone, 'UTC'))::date)`
  );
}

import { ineligibleSql } from "../onboarding/eligibility";
import { PRIORITY_CTE_SQL, rankJoinSql, rankOrderSql } from "../metrics";

/**
 * The sweep's set-based reads: each statement loads one kind of data for a whole batch of members
 * (ids travel as one JSON array parameter), so a sweep costs a fixed number of statements per batch,
 * never a query per member. Reads pick one winning provider per local day / hour, like the metrics reads.
 */
const IDS = "array(select json_array_elements_text(?::json)::uuid)";

/**
 * Members due for a sweep, keyset-paged by internal id: nudges enabled in their privacy settings and
 * not under the minimum age on their local today (the onboarding eligibility rule).
 * Params: now, after id, limit.
 */
export const MEMBERS_SQL = `
select u.id, u.partner_user_id, u.org_id, u.first_name, coalesce(u.timezone, 'UTC') as tz, o.nudge_delivery as delivery
  from users u
  join orgs o on o.id = u.org_id
  left join privacy_settings ps on ps.user_id = u.id
 where coalesce(ps.nudges_enabled, true)
   and not ${ineligibleSql("u", "?::timestamptz")}
   and u.id > ?::uuid
 order by u.id
 limit ?`;

/** One member by internal id (sandbox), same columns. Params: id. */
export const MEMBER_SQL = `
select u.id, u.partner_user_id, u.org_id, u.first_name, coalesce(u.timezone, 'UTC') as tz, o.nudge_delivery as delivery
  from users u join orgs o on o.id = u.org_id where u.id = ?::uuid`;

/** Winning daily step totals since a date. Params: priority, ids, since (date). */
export const DAILY_STEPS_SQL = `
with ${PRIORITY_CTE_SQL}
select distinct on (a.user_id, a.date) a.user_id, a.date::text as date, a.steps
  from activity_summaries a ${rankJoinSql("a")}
 where a.user_id = any(${IDS}) and a.date >= ?::date and a.steps is not null
 order by a.user_id, a.date, ${rankOrderSql("a")}`;

/**
 * Winning nights since a date, with per-stage seconds for the nights woken up on or after
 * `stages since` (only the latest night's stages matter to a detector). Params: priority, ids,
 * since (date), stages since (date).
 */
export const NIGHTS_SQL = `
with ${PRIORITY_CTE_SQL},
w as (
  select distinct on (s.user_id, s.date) s.id, s.user_id, s.date, s.start, s."end", s.duration_seconds, s.efficiency
    from sleep_summaries s ${rankJoinSql("s")}
   where s.user_id = any(${IDS}) and s.date >= ?::date
   order by s.user_id, s.date, ${rankOrderSql("s")}
)
select w.user_id, w.date::text as date, w.start, w."end", w.duration_seconds, w.efficiency,
       st.deep, st.rem, st.awake, st.n
  from w
  left join lateral (
    select sum(extract(epoch from (g."end" - g.start))) filter (where g.stage = 'deep') as deep,
           sum(extract(epoch from (g."end" - g.start))) filter (where g.stage = 'rem') as rem,
           sum(extract(epoch from (g."end" - g.start))) filter (where g.stage = 'awake') as awake,
           count(*) as n
      from sleep_stages g where g.sleep_id = w.id and w.date >= ?::date
  ) st on true
 order by w.user_id, w.date`;

/** Check-ins since a date. Params: ids, since (date). */
export const CHECK_INS_SQL = `
select c.user_id, c.calendar_date::text as date, c.mood_rating, c.energy_level, c.sleep_quality
  from daily_check_ins c
 where c.user_id = any(${IDS}) and c.calendar_date >= ?::date
 order by c.user_id, c.calendar_date`;

/** Health actions scheduled in [from, to]. Params: ids, from, to. */
export const ACTIONS_SQL = `
select a.id, a.user_id, a.title, a.status, a.scheduled_at, a.is_focus
  from health_actions a
 where a.user_id = any(${IDS}) and a.scheduled_at >= ? and a.scheduled_at <= ?
 order by a.user_id, a.scheduled_at, a.id`;

/**
 * Intraday steps per local date and local hour, from the hourly rollup (winning provider per hour),
 * only for members whose local hour is in [from, until) (the only ones the momentum detector
 * evaluates), and only the local hours before the current one (all the detector compares).
 * Params: priority, now, ids, from hour, until hour, since (instant).
 */
export const INTRADAY_STEPS_SQL = `
with ${PRIORITY_CTE_SQL},
m as (
  select x.id, x.tz, x.cur from (
    select u.id, coalesce(u.timezone, 'UTC') as tz, extract(hour from (?::timestamptz at time zone coalesce(u.timezone, 'UTC'))) as cur
      from users u where u.id = any(${IDS})
  ) x where x.cur >= ? and x.cur < ?
),
h as (
  select distinct on (t.user_id, t.hour) t.user_id, t.hour, t.value_sum, m.tz
    from m join timeseries_hourly t on t.user_id = m.id and t.metric = 'steps' and t.hour >= ?
    ${rankJoinSql("t")}
   where extract(hour from (t.hour at time zone m.tz)) < m.cur
   order by t.user_id, t.hour, ${rankOrderSql("t")}
)
select h.user_id, (h.hour at time zone h.tz)::date::text as date, extract(hour from (h.hour at time zone h.tz))::int as hr, sum(h.value_sum)::float8 as steps
  from h group by 1, 2, 3
 order by 1, 2, 3`;

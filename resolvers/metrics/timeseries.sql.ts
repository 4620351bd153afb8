import { providerKeySql } from "./source-priority";

/** UTC hours: date_bin's origin, so hour buckets never depend on the session's time zone. */
const EPOCH = "timestamptz 'epoch'";

/**
 * The timeseries statements. Parameters use knex `?` placeholders (MikroORM `execute`), which
 * expand JS arrays, so row sets travel as one JSON parameter (`json_to_recordset`), as in the
 * event dispatcher.
 */

/**
 * One statement per batch. `moved` first deletes a stored sample whose client_id arrives with a
 * new timestamp (the insert's WHERE reads `moved`, so the delete completes before the first row is
 * inserted); the insert then upserts on (user, metric, provider, instant). Unchanged rows are not
 * updated (the DO UPDATE … WHERE), so they are neither returned nor counted: they are duplicates.
 * `xmax = 0` tells a fresh insert from an update; a moved sample counts as updated. It also returns
 * the provider it stamped and the hours (epoch seconds) the moved samples left, for ROLLUP_SQL.
 *
 * Parameters: provider (null → the org's partner ingest, `partner:{org key}`; a device provider
 * slug for provider sync), org id, samples JSON (`ts` in epoch seconds), user id, metric, user id,
 * metric, unit.
 */
export const INGEST_SQL = `
with p as (select coalesce(?::text, 'partner:' || o.key) as provider from orgs o where o.id = ?),
input as (
  select to_timestamp(t.ts) as ts, t.value, t.systolic, t.diastolic, t.client_id, t.device, t.source
    from json_to_recordset(?::json) as t(ts float8, value float8, systolic float8, diastolic float8, client_id text, device text, source text)
),
moved as (
  delete from timeseries_samples s using input, p
   where s.user_id = ? and s.metric = ? and s.provider = p.provider
     and input.client_id is not null and s.client_id = input.client_id and s.ts <> input.ts
  returning s.client_id, s.ts
),
ins as (
  insert into timeseries_samples as s
    (id, user_id, metric, ts, value, systolic, diastolic, unit, provider, device, source, client_id, created_at, updated_at)
  select gen_random_uuid(), ?, ?, input.ts, input.value, input.systolic, input.diastolic, ?, p.provider,
         input.device, input.source, input.client_id, now(), now()
    from input cross join p
   where (select count(*) from moved) >= 0
   order by input.ts
  on conflict (user_id, metric, provider, ts) do update
     set value = excluded.value, systolic = excluded.systolic, diastolic = excluded.diastolic, unit = excluded.unit,
         device = excluded.device, source = excluded.source, client_id = coalesce(excluded.client_id, s.client_id),
         updated_at = now()
   where (s.value, s.systolic, s.diastolic, s.unit, s.device, s.source, s.client_id)
         is distinct from
         (excluded.value, excluded.systolic, excluded.diastolic, excluded.unit, excluded.device, excluded.source,
          coalesce(excluded.client_id, s.client_id))
  returning (xmax = 0) as inserted, s.client_id
)
select (count(*) filter (where ins.inserted and m.client_id is null))::int as inserted,
       (count(*) filter (where not ins.inserted or m.client_id is not null))::int as updated,
       (select provider from p) as provider,
       (select coalesce(json_agg(distinct extract(epoch from date_bin('1 hour', mv.ts, ${EPOCH}))), '[]') from moved mv) as moved_hours
  from ins left join (select distinct client_id from moved) m on m.client_id = ins.client_id`;

/**
 * Recomputes the hourly rollup (timeseries_hourly) of one member, metric and provider for the given
 * UTC hours from timeseries_samples: hours that still have samples are upserted (unchanged rows are
 * not rewritten), hours left without samples are deleted. A recomputation rather than an increment,
 * so revised values, moved client_ids and replays need no special case. Exact only if it runs after
 * the samples' write in the same transaction and no other transaction writes the same member and
 * metric in between: the ingest holds a per-member-and-metric advisory lock for that (a concurrent
 * batch's recomputation would otherwise read a snapshot without this batch's samples and overwrite
 * the hour with it). Any other writer of timeseries_samples must run this for the hours it touched.
 *
 * Parameters: hours JSON (epoch seconds, hour-aligned), then (user id, metric, provider) three times.
 */
export const ROLLUP_SQL = `
with h as (select distinct to_timestamp(j.x::float8) as hour from json_array_elements_text(?::json) as j(x)),
agg as (
  -- LATERAL: one index range scan per touched hour. A plain join on the range condition lets the
  -- planner scan all of the member's samples once per batch instead, which grows with their history.
  select h.hour, x.n, x.value_sum, x.systolic_sum, x.diastolic_sum
    from h cross join lateral (
      select count(*)::int as n, sum(s.value) as value_sum, sum(s.systolic) as systolic_sum, sum(s.diastolic) as diastolic_sum
        from timeseries_samples s
       where s.user_id = ? and s.metric = ? and s.provider = ? and s.ts >= h.hour and s.ts < h.hour + interval '1 hour'
    ) x
   where x.n > 0
),
up as (
  insert into timeseries_hourly as t (user_id, metric, hour, provider, sample_count, value_sum, systolic_sum, diastolic_sum)
  select ?, ?, agg.hour, ?, agg.n, agg.value_sum, agg.systolic_sum, agg.diastolic_sum from agg
  on conflict (user_id, metric, hour, provider) do update
     set sample_count = excluded.sample_count, value_sum = excluded.value_sum,
         systolic_sum = excluded.systolic_sum, diastolic_sum = excluded.diastolic_sum
   where (t.sample_count, t.value_sum, t.systolic_sum, t.diastolic_sum)
         is distinct from (excluded.sample_count, excluded.value_sum, excluded.systolic_sum, excluded.diastolic_sum)
  returning 1
),
gone as (
  delete from timeseries_hourly t using h
   where t.user_id = ? and t.metric = ? and t.provider = ? and t.hour = h.hour
     and not exists (select 1 from agg where agg.hour = h.hour)
  returning 1
)
select (select count(*) from up)::int as upserted, (select count(*) from gone)::int as deleted`;

/** ROLLUP_SQL's parameters. `hours`: epoch seconds of UTC hour starts. */
export const rollupParams = (userId: string, metric: string, provider: string, hours: Iterable<number>) => {
  const key = [userId, metric, provider];
  return [JSON.stringify([...new Set(hours)]), ...key, ...key, ...key];
};

/** Rank of `<alias>.provider` in the configured priority (`partner:*` ranks as `partner`); unknown providers last. */
const rank = (alias: string) => `coalesce((select pr.ord from pr where pr.name = ${providerKeySql(alias)}), 1000000)`;
const PRIORITY_CTE = "pr as (select name, ord from jsonb_array_elements_text(?::jsonb) with ordinality as p(name, ord))";
const WINDOW = "s.user_id = ? and s.metric = ? and s.ts >= ? and s.ts < ?";
/** `partner` selects the member's partner ingest (`partner:{org key}`); anything else is exact. */
const PROVIDER = "(case when ?::text = 'partner' then s.provider like 'partner:%' else s.provider = ? end)";

export interface ReadQuery {
  userId: string;
  metric: string;
  shape: "scalar" | "blood_pressure";
  start: Date;
  end: Date;
  /** Bucket width (a PostgreSQL interval) or null for raw samples. */
  bucket: string | null;
  aggregate: "avg" | "sum";
  provider: string | null;
  priority: readonly string[];
  limit: number;
  offset: number;
  /** Aggregate buckets from the samples even where the hourly rollup could serve them (the reference the tests and the bench compare against). */
  samplesOnly?: boolean;
}

/**
 * Rows: `start` (timestamptz) and `value`, or `systolic` and `diastolic` for blood pressure. Only
 * the shape's columns are read and aggregated: each aggregate runs once per sample of the window.
 */
export function readStatement(q: ReadQuery): { sql: string; params: unknown[] } {
  const win = [q.userId, q.metric, q.start, q.end];
  const page = [q.limit, q.offset];
  const provider = q.provider === null ? [] : [q.provider, q.provider];
  const bp = q.shape === "blood_pressure";
  const cols = bp ? "s.systolic, s.diastolic" : "s.value";

  if (q.bucket === null && q.provider !== null) {
    return {
      sql: `select s.ts as start, ${cols} from timeseries_samples s where ${WINDOW} and ${PROVIDER} order by s.ts limit ? offset ?`,
      params: [...win, ...provider, ...page],
    };
  }
  if (q.bucket === null) {
    // Raw, one provider per one-minute slot (aligned to start_time): a sample is kept when its
    // provider is the slot's highest-priority one. A correlated scalar subquery (one index probe
    // per sample) rather than a join, so no statistics can turn it into a hash join of the whole
    // window with itself; the window streams in index order, so a page costs ~(offset + limit) probes.
    return {
      sql: `with ${PRIORITY_CTE}
            select s.ts as start, ${cols} from timeseries_samples s
             where ${WINDOW}
               and s.provider = (
                 select o.provider from timeseries_samples o
                  where o.user_id = ? and o.metric = ?
                    and o.ts >= date_bin('1 minute', s.ts, ?::timestamptz)
                    and o.ts < date_bin('1 minute', s.ts, ?::timestamptz) + interval '1 minute' and o.ts < ?
                  order by ${rank("o")}, o.provider limit 1)
             order by s.ts limit ? offset ?`,
      params: [JSON.stringify(q.priority), ...win, q.userId, q.metric, q.start, q.start, q.end, ...page],
    };
  }
  if (readsHourlyRollup(q)) return hourlyStatement(q);
  const agg = bp ? "avg(s.systolic) as systolic, avg(s.diastolic) as diastolic" : `${q.aggregate}(s.value) as value`;
  const bin = "date_bin(?::interval, s.ts, ?::timestamptz)";
  if (q.provider !== null) {
    return {
      sql: `select ${bin} as start, ${agg} from timeseries_samples s where ${WINDOW} and ${PROVIDER} group by 1 order by 1 limit ? offset ?`,
      params: [q.bucket, q.start, ...win, ...provider, ...page],
    };
  }
  // Per bucket, only the highest-priority provider's aggregate: two sources are never added together.
  return {
    sql: `with ${PRIORITY_CTE},
          g as (select ${bin} as start, s.provider, ${agg} from timeseries_samples s where ${WINDOW} group by 1, 2)
          select distinct on (g.start) g.*
            from g left join pr on pr.name = ${providerKeySql("g")}
           order by g.start, coalesce(pr.ord, 1000000), g.provider
           limit ? offset ?`,
    params: [JSON.stringify(q.priority), q.bucket, q.start, ...win, ...page],
  };
}

const HOUR_MS = 3_600_000;

/** `one_hour` buckets that start on UTC hours are read from timeseries_hourly; any other start falls back to the samples. */
export const readsHourlyRollup = (q: Pick<ReadQuery, "bucket" | "start" | "samplesOnly">) => !q.samplesOnly && q.bucket === "1 hour" && q.start.getTime() % HOUR_MS === 0;

/**
 * `one_hour` from the hourly rollup: the window's whole hours come from timeseries_hourly (24 rows a
 * day and provider instead of 288 samples), and a partial last hour before a non-aligned end_time
 * from the samples (`tail`), so the result equals the raw aggregation. Without a provider filter each
 * hour keeps the highest-priority provider (as the raw statement); with one, the matching providers'
 * sums and counts are combined per hour, as the raw statement averages all their samples together.
 *
 * A page costs its `limit`, not the window: `page` finds the page's non-empty hours by walking the
 * distinct hours of the primary key in order (an index-only scan: `offset` index entries are skipped,
 * no row is read or ranked for them; the tail hour, after every whole hour, joins by a merge append),
 * then only the rollup rows between the page's first and last hour are read, ranked and aggregated.
 */
function hourlyStatement(q: ReadQuery): { sql: string; params: unknown[] } {
  const bp = q.shape === "blood_pressure";
  const fullEnd = new Date(Math.floor(q.end.getTime() / HOUR_MS) * HOUR_MS);
  const tail = fullEnd.getTime() < q.end.getTime();
  const key = [q.userId, q.metric];
  const filtered = q.provider !== null;
  const where = (a: string) => (filtered ? `and ${PROVIDER.replace(/\bs\./g, `${a}.`)}` : "");
  const provider = filtered ? [q.provider, q.provider] : [];
  const KEY = (a: string) => `${a}.user_id = ? and ${a}.metric = ?`;

  // The tail: samples in [fullEnd, end), one row per provider (or one combined row when filtered).
  const tailCte = !tail
    ? ""
    : filtered
      ? `tail as (select ?::timestamptz as start, count(*)::int as n, sum(s.value) as v, sum(s.systolic) as sy, sum(s.diastolic) as di
                  from timeseries_samples s where ${KEY("s")} and s.ts >= ? and s.ts < ? ${where("s")} having count(*) > 0),`
      : `tail as (select ?::timestamptz as start, s.provider, ${bp ? "avg(s.systolic) as systolic, avg(s.diastolic) as diastolic" : `${q.aggregate}(s.value) as value`}
                  from timeseries_samples s where ${KEY("s")} and s.ts >= ? and s.ts < ? group by s.provider),`;
  const tailParams = tail ? [fullEnd, ...key, fullEnd, q.end, ...provider] : [];
  const page = `page as (
    select u.hour from (
      select h.hour from timeseries_hourly h where ${KEY("h")} and h.hour >= ? and h.hour < ? ${where("h")} group by h.hour
      ${tail ? "union all select distinct t.start from tail t" : ""}
    ) u order by u.hour limit ? offset ?),
  b as (select min(hour) as lo, max(hour) as hi from page)`;
  const pageParams = [...key, q.start, fullEnd, ...provider, q.limit, q.offset];
  const inPage = (col: string) => `${col} >= (select lo from b) and ${col} <= (select hi from b)`;
  const rows = (cols: string) => `select h.hour as start, ${cols} from timeseries_hourly h
      where ${KEY("h")} and ${inPage("h.hour")} and h.hour < ? ${where("h")}
      ${tail ? `union all select t.* from tail t where ${inPage("t.start")}` : ""}`;
  const rowsParams = [...key, fullEnd, ...provider];

  if (filtered) {
    const value = bp
      ? "sum(g.sy) / sum(g.n) as systolic, sum(g.di) / sum(g.n) as diastolic"
      : q.aggregate === "avg"
        ? "sum(g.v) / sum(g.n) as value"
        : "sum(g.v) as value";
    return {
      sql: `with ${tailCte} ${page},
            g as (${rows("h.sample_count as n, h.value_sum as v, h.systolic_sum as sy, h.diastolic_sum as di")})
            select g.start, ${value} from g group by g.start order by g.start`,
      params: [...tailParams, ...pageParams, ...rowsParams],
    };
  }
  const hourly = bp
    ? "h.provider, h.systolic_sum / h.sample_count as systolic, h.diastolic_sum / h.sample_count as diastolic"
    : `h.provider, ${q.aggregate === "avg" ? "h.value_sum / h.sample_count" : "h.value_sum"} as value`;
  return {
    sql: `with ${PRIORITY_CTE}, ${tailCte} ${page},
          g as (${rows(hourly)})
          select distinct on (g.start) g.*
            from g left join pr on pr.name = ${providerKeySql("g")}
           order by g.start, coalesce(pr.ord, 1000000), g.provider`,
    params: [JSON.stringify(q.priority), ...tailParams, ...pageParams, ...rowsParams],
  };
}

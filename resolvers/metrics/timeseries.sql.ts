import { providerKeySql } from "./source-priority";

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
 * `xmax = 0` tells a fresh insert from an update; a moved sample counts as updated.
 *
 * Parameters: org id, samples JSON (`ts` in epoch seconds), user id, metric, user id, metric, unit.
 */
export const INGEST_SQL = `
with p as (select 'partner:' || o.key as provider from orgs o where o.id = ?),
input as (
  select to_timestamp(t.ts) as ts, t.value, t.systolic, t.diastolic, t.client_id, t.device, t.source
    from json_to_recordset(?::json) as t(ts float8, value float8, systolic float8, diastolic float8, client_id text, device text, source text)
),
moved as (
  delete from timeseries_samples s using input, p
   where s.user_id = ? and s.metric = ? and s.provider = p.provider
     and input.client_id is not null and s.client_id = input.client_id and s.ts <> input.ts
  returning s.client_id
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
       (count(*) filter (where not ins.inserted or m.client_id is not null))::int as updated
  from ins left join (select distinct client_id from moved) m on m.client_id = ins.client_id`;

/** Rank of `<alias>.provider` in the configured priority (`partner:*` ranks as `partner`); unknown providers last. */
const rank = (alias: string) =>
  `coalesce((select pr.ord from pr where pr.name = ${providerKeySql(alias)}), 1000000)`;
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

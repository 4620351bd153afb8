/**
 * One nudge detector sweep over 10,000 members with 90 days of data each, in-process against a
 * real PostgreSQL: daily activity, nightly sleep (with stages), daily check-ins, health actions and
 * 28 days of hourly intraday steps (the rollup the momentum detector reads). Prints the sweep's
 * wall time, SQL statements in total and per member, and what fired; then a second sweep a few
 * minutes later (every window already used: the steady-state cost of a 15-minute tick).
 *
 *   npm run bench:nudges
 *   BENCH_MEMBERS=10000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/thrive_bench_nudges npm run bench:nudges
 */
import crypto from "node:crypto";
import { DateTime } from "luxon";
import pino from "pino";
import { OrgEnvironment } from "../entities/partners/org.entity";
import { provisionTenant } from "../resolvers/auth/provisioning";
import { SecretBox } from "../resolvers/_shared/crypto";
import { runNudgeSweep } from "../resolvers/nudges";
import { loadConfig } from "../server/config";
import { initOrm, migrate } from "../server/orm";
import { standaloneDeps } from "../server/standalone-deps";
import { ensureDatabase } from "./lib/server-process";

const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/thrive_bench_nudges";
const MEMBERS = Number(process.env.BENCH_MEMBERS || 10_000);
const DAYS = 90;
const NOW = DateTime.fromISO("2026-11-20T15:00:00Z");
const ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles"];

async function main() {
  await ensureDatabase(DATABASE_URL);
  let statements = 0;
  let counting = false;
  const orm = await initOrm({ clientUrl: DATABASE_URL, poolMax: 8, onQuery: () => (counting ? (statements += 1) : 0) });
  await migrate(orm, DATABASE_URL);
  const conn = orm.em.getConnection();
  const config = loadConfig({ ...process.env, NODE_ENV: "production", DATABASE_URL, MASTER_KEY: crypto.randomBytes(32).toString("base64") });
  const masterKey = crypto.randomBytes(32);
  const secretBox = new SecretBox(masterKey);
  const deps = standaloneDeps({ orm, config, logger: pino({ level: "silent" }), masterKey, now: () => NOW.toJSDate() });

  const have = Number((await conn.execute<{ n: string }[]>("select count(*) as n from users"))[0].n);
  if (have !== MEMBERS) {
    console.log(`seeding ${MEMBERS} members × ${DAYS} days …`);
    const t0 = Date.now();
    await conn.execute("truncate orgs cascade");
    const org = await provisionTenant(orm.em.fork(), secretBox, { name: "Bench", environment: OrgEnvironment.sandbox });
    const since = NOW.minus({ days: DAYS }).toISODate();
    const zones = `(array[${ZONES.map((z) => `'${z}'`).join(",")}])[1 + (g % ${ZONES.length})]`;
    await conn.execute(`insert into users (id, org_id, partner_user_id, first_name, timezone, created_at, updated_at)
      select gen_random_uuid(), '${org.org_id}', gen_random_uuid(), 'Member' || g, ${zones}, now(), now() from generate_series(1, ${MEMBERS}) g`);
    // Daily steps: a per-member level; a fifth of the members decline over the last 10 days.
    await conn.execute(`insert into activity_summaries (id, user_id, provider, date, steps, is_backfill, created_at, updated_at)
      select gen_random_uuid(), u.id, 'apple_health', d::date,
             (6000 + (abs(hashtext(u.id::text)) % 5000) + (abs(hashtext(u.id::text || d::text)) % 2000))
             * case when abs(hashtext(u.id::text)) % 5 = 0 and d > '${since}'::date + ${DAYS - 11} then 0.6 else 1 end,
             false, now(), now()
        from users u cross join generate_series('${since}'::date, '${NOW.minus({ days: 1 }).toISODate()}'::date, interval '1 day') d`);
    // Nights: 23:00 local-ish starts, 6–8.5 h; a few short ones.
    await conn.execute(`insert into sleep_summaries (id, user_id, provider, date, start, "end", duration_seconds, efficiency, is_backfill, created_at, updated_at)
      select gen_random_uuid(), u.id, 'oura', d::date, d - interval '9 hours', d - interval '9 hours' + make_interval(secs => s.dur), s.dur,
             80 + (abs(hashtext(u.id::text || d::text)) % 18), false, now(), now()
        from users u cross join generate_series('${since}'::date, '${NOW.toISODate()}'::date, interval '1 day') d
        cross join lateral (select 21600 + (abs(hashtext(d::text || u.id::text)) % 9000) as dur) s`);
    await conn.execute(`insert into sleep_stages (id, sleep_id, stage, start, "end")
      select gen_random_uuid(), s.id, st.stage, s.start + st.o * (s."end" - s.start), s.start + (st.o + st.w) * (s."end" - s.start)
        from sleep_summaries s cross join (values ('light', 0.0, 0.5), ('deep', 0.5, 0.2), ('rem', 0.7, 0.25), ('awake', 0.95, 0.05)) st(stage, o, w)
       where s.date > '${NOW.minus({ days: 36 }).toISODate()}'::date`);
    await conn.execute(`insert into daily_check_ins (id, user_id, calendar_date, status, mood_rating, energy_level, sleep_quality, streak_count, created_at, updated_at)
      select gen_random_uuid(), u.id, d::date, 'completed', 1 + (abs(hashtext(u.id::text || d::text)) % 5), 3, 3, 1, now(), now()
        from users u cross join generate_series('${since}'::date, '${NOW.minus({ days: 1 }).toISODate()}'::date, interval '1 day') d`);
    // Three actions a day for the last two days and today; one due within the hour for some members.
    await conn.execute(`insert into health_actions (id, user_id, title, status, scheduled_at, execution_options, source, is_focus, created_at, updated_at)
      select gen_random_uuid(), u.id, 'Action ' || k, (case when k = 3 then 'pending' else 'completed' end)::health_action_status,
             d + make_interval(hours => 6 + k * 4), '{}', 'program', k = 1, now(), now()
        from users u cross join generate_series('${NOW.minus({ days: 2 }).toISODate()}'::date, '${NOW.toISODate()}'::date, interval '1 day') d
        cross join generate_series(1, 3) k`);
    // Hourly intraday steps (rollup) for 28 days, 07:00–21:00 UTC.
    await conn.execute(`insert into timeseries_hourly (user_id, metric, hour, provider, sample_count, value_sum)
      select u.id, 'steps', h, 'apple_health', 12, 200 + (abs(hashtext(u.id::text || h::text)) % 900)
        from users u cross join generate_series('${NOW.minus({ days: 28 }).toISODate()}'::timestamptz + interval '7 hours', '${NOW.toISO()}'::timestamptz, interval '1 hour') h
       where extract(hour from h) between 7 and 21`);
    await conn.execute("vacuum analyze");
    console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  await conn.execute("truncate nudge_firings, nudge_cards, events cascade");
  await conn.execute("vacuum analyze nudge_firings");

  const sizes = await conn.execute<{ t: string; n: string }[]>(
    `select 'activity_summaries' t, count(*) n from activity_summaries union all select 'sleep_summaries', count(*) from sleep_summaries
     union all select 'daily_check_ins', count(*) from daily_check_ins union all select 'health_actions', count(*) from health_actions
     union all select 'timeseries_hourly', count(*) from timeseries_hourly`,
  );
  console.log("rows:", Object.fromEntries(sizes.map((r) => [r.t, Number(r.n)])));

  for (const [label, at] of [
    ["first sweep (windows open)", NOW],
    ["next tick, +15 min (windows used)", NOW.plus({ minutes: 15 })],
  ] as const) {
    statements = 0;
    counting = true;
    const rss0 = process.memoryUsage().rss;
    const r = await runNudgeSweep(deps, { now: at.toJSDate() });
    counting = false;
    console.log(`\n${label}: ${r.members} members in ${r.batches} batches`);
    console.log(`  wall time ${(r.durationMs / 1000).toFixed(2)} s (${((r.durationMs / r.members) * 1000).toFixed(0)} µs/member); window 900 s`);
    console.log(`  SQL statements ${statements} total, ${(statements / r.members).toFixed(4)} per member, ${(statements / r.batches).toFixed(1)} per batch`);
    console.log(`  fired ${r.fired}:`, r.byTrigger);
    console.log(`  RSS ${Math.round(rss0 / 2 ** 20)} → ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
  }
  await orm.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

import { UniqueConstraintViolationException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { DateTime } from "luxon";
import { DailyCheckIn } from "../../entities/check-ins/daily-check-in.entity";
import type { User } from "../../entities/users/user.entity";
import { MIN_LOCAL_DATE } from "../../schema/_shared/scalars";
import type { CheckInSummaryType, CreateDailyCheckInInput, DailyCheckInPageType, DailyCheckInType } from "../../schema/check-ins/daily-check-in.type";
import type { Context } from "../_shared/context";
import { DomainError, notFound, validationError } from "../_shared/errors";
import { daysInclusive, localDate } from "../metrics";

export const DEFAULT_WINDOW_DAYS = 30;
export const MAX_WINDOW_DAYS = 366;
/** Lookups by id only reach this many days back from the member's today (spec §11). */
export const LOOKUP_DAYS = 90;

const shift = (date: string, days: number) => DateTime.fromISO(date, { zone: "UTC" }).plus({ days }).toISODate()!;

/**
 * Recomputes `streak_count` for the new check-in's date and every later date in the same run of
 * consecutive dates (gaps and islands: `date - row_number` is constant within a run), so that a
 * back-filled missing day also lengthens the streaks after it.
 */
const RESTREAK_SQL = `
  with runs as (
    select id, calendar_date, calendar_date - (row_number() over (order by calendar_date))::int as run
      from daily_check_ins where user_id = ?),
  mine as (
    select id, calendar_date, (calendar_date - min(calendar_date) over () + 1)::int as streak
      from runs where run = (select run from runs where calendar_date = ?::date))
  update daily_check_ins c set streak_count = mine.streak, updated_at = now()
    from mine where c.id = mine.id and mine.calendar_date >= ?::date and c.streak_count <> mine.streak`;

/** Daily check-ins (spec §11): one per member and local calendar date, with streaks. */
export class CheckInsService {
  constructor(private readonly ctx: Context) {}

  private today(user: User): string {
    return localDate(this.ctx.deps.now(), user.timezone);
  }

  /**
   * Creates the check-in for `calendarDate` (default: the member's local today). The unique
   * (member, date) constraint decides a duplicate, so two concurrent creates give one 201 and one
   * 409; a per-member advisory lock serialises the streak bookkeeping of concurrent back-fills.
   */
  async create(userId: string, input: CreateDailyCheckInInput): Promise<DailyCheckInType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const today = this.today(user);
    const date = input.calendarDate ?? today;
    if (date > today) {
      throw validationError([{ field: "calendarDate", code: "out_of_range", message: "must not be after today in the member's time zone" }]);
    }
    let id: string;
    try {
      id = await this.ctx.em.transactional(async (em) => {
        await em.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [`daily_check_ins:${user.id}`]);
        const now = this.ctx.deps.now();
        const row = em.create(DailyCheckIn, {
          user: user.id,
          calendarDate: date,
          moodRating: input.moodRating ?? null,
          energyLevel: input.energyLevel ?? null,
          sleepQuality: input.sleepQuality ?? null,
          notes: input.notes ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await em.flush();
        await em.execute(RESTREAK_SQL, [user.id, date, date]);
        return row.id;
      });
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) throw new DomainError("duplicate_check_in", "A check-in already exists for this date");
      throw e;
    }
    const row = await this.ctx.em.fork().findOneOrFail(DailyCheckIn, { id });
    return toView(row, user);
  }

  /** One check-in of the member, within the last 90 local days; older (even if stored) or unknown: 404. */
  async get(userId: string, checkInId: string): Promise<DailyCheckInType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const row = await this.ctx.em.findOne(DailyCheckIn, { id: checkInId, user: user.id, calendarDate: { $gte: shift(this.today(user), -LOOKUP_DAYS) } });
    if (!row) throw notFound("Check-in");
    return toView(row, user);
  }

  /** Newest first within an inclusive local-date window (default: the last 30 days ending today), with the summary. */
  async list(userId: string, args: { startDate?: string | null; endDate?: string | null; limit: number; offset: number }): Promise<DailyCheckInPageType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const today = this.today(user);
    // PostgreSQL has no year 0: the LocalDate scalar refuses explicit dates before 0001-01-01, and
    // the default start stops there.
    const endDate = args.endDate ?? today;
    const defaultStart = shift(endDate, -(DEFAULT_WINDOW_DAYS - 1));
    const startDate = args.startDate ?? (defaultStart < MIN_LOCAL_DATE ? MIN_LOCAL_DATE : defaultStart);
    const days = daysInclusive(startDate, endDate);
    if (days < 1) throw validationError([{ field: "endDate", code: "invalid_value", message: "must not be before start_date" }]);
    if (days > MAX_WINDOW_DAYS) throw validationError([{ field: "endDate", code: "out_of_range", message: `must be within ${MAX_WINDOW_DAYS} days of start_date` }]);
    const [rows, total] = await this.ctx.em.findAndCount(
      DailyCheckIn,
      { user: user.id, calendarDate: { $gte: startDate, $lte: endDate } },
      { orderBy: { calendarDate: "desc" }, limit: args.limit, offset: args.offset },
    );
    return {
      items: rows.map((r) => toView(r, user)),
      pagination: { limit: args.limit, offset: args.offset, total },
      summary: await summarize(this.ctx.em, user.id, { startDate, endDate, today }),
    };
  }
}

/** Current streak (from the stored streak of today's or else yesterday's check-in), longest run and total inside the window. */
async function summarize(em: EntityManager, userId: string, w: { startDate: string; endDate: string; today: string }): Promise<CheckInSummaryType> {
  const [r] = await em.execute<{ current: number | null; longest: number | null; total: number }[]>(
    `with w as (
       select calendar_date - (row_number() over (order by calendar_date))::int as run
         from daily_check_ins where user_id = ? and calendar_date between ?::date and ?::date)
     select (select streak_count from daily_check_ins where user_id = ? and calendar_date in (?::date, ?::date)
              order by calendar_date desc limit 1) as current,
            (select max(n) from (select count(*)::int as n from w group by run) runs) as longest,
            (select count(*)::int from w) as total`,
    [userId, w.startDate, w.endDate, userId, w.today, shift(w.today, -1)],
  );
  return { currentStreak: Number(r?.current ?? 0), longestStreak: Number(r?.longest ?? 0), totalCheckIns: Number(r?.total ?? 0) };
}

function toView(row: DailyCheckIn, user: User): DailyCheckInType {
  return {
    checkInId: row.id,
    userId: user.partnerUserId,
    calendarDate: row.calendarDate,
    status: row.status,
    moodRating: row.moodRating ?? null,
    energyLevel: row.energyLevel ?? null,
    sleepQuality: row.sleepQuality ?? null,
    notes: row.notes ?? null,
    threadId: row.threadId ?? null,
    sessionId: row.sessionId ?? null,
    streakCount: row.streakCount,
  };
}

/**
 * The nudge detectors' contract (spec §19). A detector is a pure function of one member's
 * snapshot: no I/O, no clock other than `snapshot.now`. The sweep loads snapshots for many members
 * with a few set-based queries, runs every detector on each, and fires what they return through
 * the nudge engine, which guarantees at most one firing per (member, trigger, window_key).
 */

export const TRIGGER_NAMES = [
  "missed_first_action",
  "multiple_missed_actions",
  "activity_momentum",
  "sleep_recovery",
  "step_trend_declining",
  "sleep_trend_declining",
  "mood_trend_down",
  "bedtime_drift",
  "jet_lag",
  "bounce_back",
  "morning_report",
  "daily_content_recommendation",
  "action_reminder",
] as const;
export type TriggerName = (typeof TRIGGER_NAMES)[number];

/** One local day's winning (highest-priority source) step total. */
export interface DaySteps {
  /** Local date `YYYY-MM-DD`. */
  date: string;
  steps: number;
}

/** One night's winning sleep summary; `date` is the local date the member woke. */
export interface Night {
  date: string;
  start: Date;
  end: Date;
  durationSeconds: number;
  /** 0–100 (percent) or null when unknown. */
  efficiency: number | null;
  /** Seconds per stage when stage intervals were sent, else null. Loaded for the latest nights only (woken up within the last 2 UTC days): older nights carry null. */
  deepSeconds: number | null;
  remSeconds: number | null;
  awakeSeconds: number | null;
}

export interface CheckInPoint {
  date: string;
  moodRating: number | null;
  energyLevel: number | null;
  sleepQuality: number | null;
}

export interface ActionPoint {
  id: string;
  title: string;
  /** pending | completed | skipped | missed | cancelled */
  status: string;
  scheduledAt: Date;
  /** A program focus action (accepted recommendation). */
  isFocus: boolean;
}

/**
 * Cumulative steps by local hour: `hours[h]` = steps taken from local midnight up to the end of
 * local hour h on `date`, from the intraday `steps` timeseries (winning provider per hour). The
 * sweep loads only the hours before the current local hour, so arrays may end there (the momentum
 * detector reads the last completed hour; past an array's end the last value holds).
 */
export interface IntradaySteps {
  date: string;
  cumulative: number[];
}

export interface MemberSnapshot {
  /** Internal user id. */
  userId: string;
  /** IANA zone (UTC when the member has none). */
  timezone: string;
  /** The sweep's instant. */
  now: Date;
  /** Daily steps, ascending by date, for (at least) the 35 local days before and including today. Days without data are absent. */
  dailySteps: DaySteps[];
  /** Nights ascending by `date`, the last 35 days (today included when the member already woke). */
  nights: Night[];
  /** Check-ins ascending by date, the last 35 days. */
  checkIns: CheckInPoint[];
  /** Health actions scheduled from the start of yesterday (local) to now + 2 h, ascending by scheduledAt. */
  actions: ActionPoint[];
  /** Intraday cumulative steps for today and up to 28 previous local days (ascending; days without samples absent). */
  intradaySteps: IntradaySteps[];
}

/** What a detector asks the engine to fire. */
export interface Firing {
  trigger: TriggerName;
  /** The once-per window: a local date (`2026-11-22`), an ISO week (`2026-W47`) or `action:{id}:{scheduled epoch}`. */
  windowKey: string;
  /** `card` for feed cards; `health_action` for `action_reminder`. */
  target: "card" | "health_action";
  /** The health action the nudge is about (reminders, missed actions). */
  healthActionId?: string;
  /**
   * The member's actual numbers behind the firing (e.g. `{steps_10d_avg: 4120, steps_28d_avg: 6011,
   * drop_pct: 31}`): the AI provider turns them into card text. Numbers are rounded for display.
   */
  facts: Record<string, number | string>;
}

export type Detector = (snapshot: MemberSnapshot) => Firing | null;

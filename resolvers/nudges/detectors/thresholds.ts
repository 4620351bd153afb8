/**
 * Every number the nudge detectors compare against (spec §19). Where the spec states a threshold it
 * is binding and marked "spec"; everything else is our design decision, explained next to it.
 * Comparisons that the spec phrases as "≥", "<", "> 45 min" keep exactly that strictness.
 */
export const THRESHOLDS = {
  // ── actions ────────────────────────────────────────────────────────────────────────────────
  /** spec: a pending action counts as missed once it is ≥ this many minutes past its scheduled time. */
  OVERDUE_MINUTES: 60,
  /** spec: `multiple_missed_actions` fires at ≥ this many missed actions today (local). */
  MULTIPLE_MISSED_MIN_COUNT: 3,
  /** spec: `action_reminder` fires for now ∈ [scheduledAt − this many minutes, scheduledAt). */
  REMINDER_LEAD_MINUTES: 60,

  // ── activity_momentum ─────────────────────────────────────────────────────────────────────
  /** spec: today's cumulative steps below this percentile (linear interpolation) of the same hour. */
  MOMENTUM_PERCENTILE: 25,
  /** ours: previous days of intraday data compared against (the snapshot carries up to 28). */
  MOMENTUM_HISTORY_DAYS: 28,
  /** ours: at least this many previous days must have intraday data, or a percentile means nothing. */
  MOMENTUM_MIN_HISTORY_DAYS: 7,
  /** ours: only evaluated when the local time is in [FROM, UNTIL) hours; earlier the day has barely started, later it is over. */
  MOMENTUM_FROM_HOUR: 10,
  MOMENTUM_UNTIL_HOUR: 20,

  // ── sleep_recovery ────────────────────────────────────────────────────────────────────────
  /** ours ("poor sleep-quality metrics"): a night shorter than this many hours is poor. */
  SLEEP_RECOVERY_MIN_HOURS: 6,
  /** ours: a night with efficiency (percent) below this is poor. */
  SLEEP_RECOVERY_MIN_EFFICIENCY: 85,
  /** ours: a night with awake time above this fraction of its duration is poor (stages known only). */
  SLEEP_RECOVERY_MAX_AWAKE_FRACTION: 0.2,

  // ── step_trend_declining ──────────────────────────────────────────────────────────────────
  /** spec: recent window of complete local days (today excluded). */
  STEP_TREND_RECENT_DAYS: 10,
  /** spec: baseline window of complete local days (today excluded; includes the recent window). */
  STEP_TREND_BASELINE_DAYS: 28,
  /** ours: days with data required in each window. */
  STEP_TREND_MIN_RECENT_DAYS: 7,
  STEP_TREND_MIN_BASELINE_DAYS: 20,
  /** spec: fires when the recent mean is ≥ 25 % below the baseline mean (recent ≤ 0.75 × baseline). */
  STEP_TREND_DROP: 0.25,

  // ── sleep_trend_declining ─────────────────────────────────────────────────────────────────
  /** spec: recent nights (including today's when the member already woke). */
  SLEEP_TREND_RECENT_NIGHTS: 3,
  /** spec: baseline window in nights (dates), ending with the same night as the recent window. */
  SLEEP_TREND_BASELINE_NIGHTS: 28,
  /** ours: nights with data required in the baseline window. */
  SLEEP_TREND_MIN_BASELINE_NIGHTS: 14,
  /** spec: fires when the recent mean duration < 0.85 × the baseline mean. */
  SLEEP_TREND_RATIO: 0.85,

  // ── mood_trend_down ───────────────────────────────────────────────────────────────────────
  /** spec: recent window of local days (today included) for the median mood. */
  MOOD_TREND_RECENT_DAYS: 5,
  /** ours: check-ins with a mood needed in the recent window. */
  MOOD_TREND_MIN_RECENT: 3,
  /** spec: baseline window of local days (today included) for the mean mood. */
  MOOD_TREND_BASELINE_DAYS: 28,
  /** ours: check-ins with a mood needed in the baseline window. */
  MOOD_TREND_MIN_BASELINE: 7,
  /** spec: fires when the recent median ≤ baseline mean − this many points. */
  MOOD_TREND_DROP_POINTS: 2,

  // ── sleep timing (bedtime_drift, jet_lag) ─────────────────────────────────────────────────
  /** ours: local clock minutes are measured from 18:00, so 23:30 and 00:30 are 60 min apart. */
  CLOCK_ORIGIN_HOUR: 18,
  /** spec: bedtime drift is looked for within the nights of the last 7 local days (today included). */
  BEDTIME_WINDOW_DAYS: 7,
  /** ours: the recent group is the last 3 nights of that window; the rest (up to 4) is the reference. */
  BEDTIME_RECENT_NIGHTS: 3,
  /** ours: reference nights required. */
  BEDTIME_MIN_PREVIOUS_NIGHTS: 2,
  /** spec: fires when the mean bedtimes differ by more than this many minutes. */
  BEDTIME_DRIFT_MINUTES: 45,
  /** ours: social jet lag looks at the nights of the last 14 local days (today included). */
  JET_LAG_WINDOW_NIGHTS: 14,
  /** ours: weekend (Fri/Sat evening) and weekday nights required. */
  JET_LAG_MIN_WEEKEND_NIGHTS: 2,
  JET_LAG_MIN_WEEKDAY_NIGHTS: 4,
  /** ours: fires when the weekend and weekday mean sleep midpoints differ by ≥ this many minutes. */
  JET_LAG_MINUTES: 60,

  // ── bounce_back (the spec's rule is cut off; all ours) ────────────────────────────────────
  /** Baseline: complete local days before yesterday. */
  BOUNCE_BASELINE_DAYS: 28,
  BOUNCE_MIN_BASELINE_DAYS: 14,
  /** The dip: of the this-many days before yesterday, at least MIN were below RATIO × baseline mean. */
  BOUNCE_DIP_DAYS: 3,
  BOUNCE_MIN_DIP_DAYS: 2,
  BOUNCE_DIP_RATIO: 0.75,

  // ── scheduled daily cards (all ours) ──────────────────────────────────────────────────────
  /** morning_report: local time in [FROM, UNTIL) hours. */
  MORNING_FROM_HOUR: 7,
  MORNING_UNTIL_HOUR: 12,
  /** daily_content_recommendation: local time in [FROM, UNTIL) hours. */
  CONTENT_FROM_HOUR: 12,
  CONTENT_UNTIL_HOUR: 20,
  /** Topic choice looks at the last 7 local days (sleep: nights dated today−6…today; steps: today−7…today−1). */
  CONTENT_WINDOW_DAYS: 7,
  /** A mean over fewer days than this is not used to pick the topic. */
  CONTENT_MIN_DAYS: 3,
  /** Topic `sleep` when the 7-day mean sleep is below this many hours… */
  CONTENT_SLEEP_HOURS: 7,
  /** …else `activity` when the 7-day mean steps are below this, else `mindfulness`. */
  CONTENT_STEPS: 7000,

  // ── numerics ──────────────────────────────────────────────────────────────────────────────
  /** Relative tolerance for threshold comparisons, so "exactly at the threshold" is decided the same way whatever the floating-point rounding of e.g. 0.85 × mean. */
  EPSILON: 1e-9,
} as const;

export type Thresholds = typeof THRESHOLDS;

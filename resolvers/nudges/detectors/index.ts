/**
 * The 13 nudge trigger detectors (spec §19) as pure functions of a MemberSnapshot.
 *
 *   DETECTORS[name](snapshot) → Firing | null     one detector
 *   runDetectors(snapshot)    → Firing[]          all of them, in TRIGGER_NAMES order
 *   THRESHOLDS                                    every number they compare against
 *
 * Local dates, hours and clock positions come from the member's IANA zone via luxon (DST-correct);
 * the only clock is `snapshot.now`. Window keys: local date `YYYY-MM-DD` (daily detectors), ISO
 * week `YYYY-Www` of the local date (trend detectors), `action:{id}:{epoch s}` (action_reminder).
 */
import { actionReminder, missedFirstAction, multipleMissedActions } from "./actions";
import { activityMomentum, bounceBack, stepTrendDeclining } from "./activity";
import { moodTrendDown } from "./mood";
import { dailyContentRecommendation, morningReport } from "./scheduled";
import { bedtimeDrift, jetLag, sleepRecovery, sleepTrendDeclining } from "./sleep";
import { TRIGGER_NAMES, type Detector, type Firing, type MemberSnapshot, type TriggerName } from "./types";

export { THRESHOLDS } from "./thresholds";
export * from "./types";

export const DETECTORS: Record<TriggerName, Detector> = {
  missed_first_action: missedFirstAction,
  multiple_missed_actions: multipleMissedActions,
  activity_momentum: activityMomentum,
  sleep_recovery: sleepRecovery,
  step_trend_declining: stepTrendDeclining,
  sleep_trend_declining: sleepTrendDeclining,
  mood_trend_down: moodTrendDown,
  bedtime_drift: bedtimeDrift,
  jet_lag: jetLag,
  bounce_back: bounceBack,
  morning_report: morningReport,
  daily_content_recommendation: dailyContentRecommendation,
  action_reminder: actionReminder,
};

/**
 * Runs every detector on one member's snapshot and returns what fired (at most one Firing per
 * detector), in TRIGGER_NAMES order. Pure; a detector that throws propagates (a bug, not data).
 */
export function runDetectors(snapshot: MemberSnapshot): Firing[] {
  const out: Firing[] = [];
  for (const name of TRIGGER_NAMES) {
    const f = DETECTORS[name](snapshot);
    if (f) out.push(f);
  }
  return out;
}

/**
 * Scheduled daily cards: morning_report and daily_content_recommendation (names inferred in spec
 * §19; the rules are ours). Each fires once per local date inside its local-time band; the sweep
 * runs every 15 minutes, so the first run inside the band fires and the window key dedupes the rest.
 */
import { THRESHOLDS as T } from "./thresholds";
import type { Detector } from "./types";
import { addDays, dec1, hours1, inRange, int, localNow, lt, mean } from "./util";

/**
 * morning_report: local time in [07:00, 12:00). Facts: last night's (dated today) duration and
 * efficiency and yesterday's steps, whichever exist; `data` lists what was available (`none` when
 * nothing was, and the card still goes out).
 */
export const morningReport: Detector = (s) => {
  const now = localNow(s);
  if (now.hour < T.MORNING_FROM_HOUR || now.hour >= T.MORNING_UNTIL_HOUR) return null;
  const today = now.toISODate()!;
  const yesterday = addDays(today, -1);
  const facts: Record<string, number | string> = { date: today };
  const available: string[] = [];
  const night = s.nights.filter((n) => n.date === today).at(-1);
  if (night) {
    available.push("sleep");
    facts.sleep_hours = hours1(night.durationSeconds);
    if (night.efficiency !== null) facts.sleep_efficiency_pct = int(night.efficiency);
  }
  const steps = s.dailySteps.find((d) => d.date === yesterday);
  if (steps) {
    available.push("steps");
    facts.yesterday_steps = int(steps.steps);
  }
  facts.data = available.length ? available.join(",") : "none";
  return { trigger: "morning_report", windowKey: today, target: "card", facts };
};

/**
 * daily_content_recommendation: local time in [12:00, 20:00). The topic is the member's weakest
 * area, in a fixed order so it is deterministic: `sleep` when the mean of the nights dated in the
 * last 7 days (today included) is < 7 h; else `activity` when the mean steps of the last 7 complete
 * days is < 7000; else `mindfulness`. A mean over fewer than 3 days is not used. Facts: the topic,
 * the number that decided it (`basis`), and the other 7-day numbers that exist.
 */
export const dailyContentRecommendation: Detector = (s) => {
  const now = localNow(s);
  if (now.hour < T.CONTENT_FROM_HOUR || now.hour >= T.CONTENT_UNTIL_HOUR) return null;
  const today = now.toISODate()!;
  const from = addDays(today, 1 - T.CONTENT_WINDOW_DAYS);
  const sleeps = s.nights.filter((n) => inRange(n.date, from, today)).map((n) => n.durationSeconds);
  const steps = s.dailySteps.filter((d) => inRange(d.date, addDays(today, -T.CONTENT_WINDOW_DAYS), addDays(today, -1))).map((d) => d.steps);
  const moods = s.checkIns.filter((c) => c.moodRating !== null && inRange(c.date, from, today)).map((c) => c.moodRating!);
  const sleepAvg = sleeps.length >= T.CONTENT_MIN_DAYS ? mean(sleeps) : null;
  const stepsAvg = steps.length >= T.CONTENT_MIN_DAYS ? mean(steps) : null;
  const moodAvg = moods.length >= T.CONTENT_MIN_DAYS ? mean(moods) : null;

  const facts: Record<string, number | string> = {};
  if (sleepAvg !== null && lt(sleepAvg, T.CONTENT_SLEEP_HOURS * 3600)) {
    facts.topic = "sleep";
    facts.basis = "sleep_7d_avg_hours";
  } else if (stepsAvg !== null && lt(stepsAvg, T.CONTENT_STEPS)) {
    facts.topic = "activity";
    facts.basis = "steps_7d_avg";
  } else {
    facts.topic = "mindfulness";
    facts.basis = moodAvg !== null ? "mood_7d_avg" : sleepAvg !== null || stepsAvg !== null ? "no_gap_found" : "no_data";
  }
  if (sleepAvg !== null) facts.sleep_7d_avg_hours = hours1(sleepAvg);
  if (stepsAvg !== null) facts.steps_7d_avg = int(stepsAvg);
  if (moodAvg !== null) facts.mood_7d_avg = dec1(moodAvg);
  return { trigger: "daily_content_recommendation", windowKey: today, target: "card", facts };
};

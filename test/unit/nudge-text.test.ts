import { writeNudgeText } from "../../resolvers/_shared/ai/nudge-text";
import { TRIGGER_NAMES } from "../../resolvers/nudges/detectors/types";

describe("built-in nudge text", () => {
  it("writes every trigger's card from its facts, deterministically", () => {
    for (const trigger of TRIGGER_NAMES) {
      const input = { trigger, facts: { steps_10d_avg: 4120, steps_28d_avg: 6011, drop_pct: 31, title: "Walk" } };
      const a = writeNudgeText(input);
      expect(a).toEqual(writeNudgeText(input));
      expect(a.header.length).toBeGreaterThan(0);
      expect(a.main.length).toBeGreaterThan(0);
      expect(a.description).toContain("4,120");
    }
  });

  it("puts the member's own numbers in the main message", () => {
    expect(writeNudgeText({ trigger: "step_trend_declining", facts: { steps_10d_avg: 4120, steps_28d_avg: 6011, drop_pct: 31 } }).main).toBe(
      "Your 10-day average is 4,120 steps, 31% below your 28-day average of 6,011.",
    );
    expect(writeNudgeText({ trigger: "sleep_recovery", facts: { duration_hours: 5.2, efficiency_pct: 78 } }).main).toContain("5.2 h at 78% efficiency");
    expect(writeNudgeText({ trigger: "morning_report", facts: { sleep_hours: 7.4, sleep_efficiency_pct: 91, yesterday_steps: 10234 } }).main).toBe(
      "Good morning: you slept 7.4 h at 91% efficiency and yesterday you took 10,234 steps.",
    );
    expect(
      writeNudgeText({ trigger: "bedtime_drift", facts: { shift_minutes: 52, direction: "later", previous_bedtime: "22:40", recent_bedtime: "23:32" } }).main,
    ).toContain("later by about 52 minutes this week (from 22:40 to 23:32)");
    expect(writeNudgeText({ trigger: "action_reminder", facts: { title: "Stretch", minutes_until: 55 } }).main).toBe('"Stretch" starts in 55 minutes.');
  });

  it("personalises the header with the first name when known", () => {
    const t = writeNudgeText({ trigger: "jet_lag", facts: { difference_minutes: 75 }, firstName: "Ada" });
    expect(t.itemHeader).toBe("Ada, weekend sleep shift");
    expect(t.main).toContain("75 minutes");
  });
});

export { CardsService, CARD_TRANSITIONS } from "./cards.service";
export { fireNudges, type FireRequest, type FiredNudge } from "./nudge-engine";
export { NudgesResolver } from "./nudges.resolver";
export { SandboxNudgesService } from "./sandbox";
export { runNudgeSweep, SWEEP_CRON, type SweepResult } from "./sweep";

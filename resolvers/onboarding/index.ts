export { MIN_NUDGE_AGE, ineligibleSql, isEligible } from "./eligibility";
export { OnboardingResolver } from "./onboarding.resolver";
export { OnboardingService } from "./onboarding.service";
export { ONBOARDING_TASKS } from "./tasks";

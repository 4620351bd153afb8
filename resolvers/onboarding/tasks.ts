/** What the member's data says about the auto-completing tasks (one set-based read, see OnboardingService). */
export interface OnboardingFacts {
  hasTimezone: boolean;
  hasBirthday: boolean;
  hasDevice: boolean;
  notificationsEnabled: boolean;
  hasCheckIn: boolean;
}

export interface OnboardingTaskDef {
  taskId: string;
  title: string;
  /** Completed by the member's data regardless of any recorded state; absent = completed only by the write. */
  done?: (f: OnboardingFacts) => boolean;
}

/** The onboarding catalogue, in display order. Ids are public and stable. */
export const ONBOARDING_TASKS: readonly OnboardingTaskDef[] = [
  { taskId: "complete_profile", title: "Complete your profile", done: (f) => f.hasTimezone && f.hasBirthday },
  { taskId: "connect_device", title: "Connect a device", done: (f) => f.hasDevice },
  { taskId: "enable_notifications", title: "Turn on notifications", done: (f) => f.notificationsEnabled },
  { taskId: "first_check_in", title: "Complete your first daily check-in", done: (f) => f.hasCheckIn },
  { taskId: "review_program", title: "Review your program" },
];

export const findOnboardingTask = (taskId: string) => ONBOARDING_TASKS.find((t) => t.taskId === taskId);

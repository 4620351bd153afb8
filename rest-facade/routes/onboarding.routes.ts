import { CompleteOnboardingTaskDocument, GetOnboardingDocument, SkipOnboardingTaskDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const tag = "Onboarding";
const base = "/v1/users/:user_id/onboarding";

export const onboardingRoutes: RouteDef[] = [
  {
    method: "GET",
    path: base,
    document: GetOnboardingDocument,
    auth: "member",
    tag,
    summary: "Get onboarding",
    description:
      "Tasks complete_profile, connect_device, enable_notifications and first_check_in complete themselves from the member's data; review_program only through the write. `eligible` is false for members known to be under 18.",
  },
  {
    method: "POST",
    path: `${base}/tasks/:task_id/complete`,
    document: CompleteOnboardingTaskDocument,
    auth: "member",
    tag,
    summary: "Complete an onboarding task",
    description: "Idempotent; returns the updated onboarding. Unknown task_id → 404.",
  },
  {
    method: "POST",
    path: `${base}/tasks/:task_id/skip`,
    document: SkipOnboardingTaskDocument,
    auth: "member",
    tag,
    summary: "Skip an onboarding task",
    description: "A completed task stays completed. Returns the updated onboarding. Unknown task_id → 404.",
  },
];

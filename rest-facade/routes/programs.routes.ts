import {
  AcceptRecommendedActionDocument,
  GenerateSandboxProgramDocument,
  GetProgramDocument,
  ListPrioritiesDocument,
  UpdatePriorityDocument,
} from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const tag = "Programs";

export const programsRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/v1/users/:user_id/program",
    document: GetProgramDocument,
    auth: "member",
    notFoundOnNull: true,
    tag,
    summary: "Get the active program",
    description: "The member's single active coaching plan; 404 not_found when there is none.",
  },
  {
    method: "GET",
    path: "/v1/users/:user_id/priorities",
    document: ListPrioritiesDocument,
    auth: "member",
    tag: "Priorities",
    summary: "List priorities",
    description: "Ranked, not paginated. `status` active (default) | dismissed | completed | outdated. A program.updated event means they may have changed.",
  },
  {
    method: "PATCH",
    path: "/v1/users/:user_id/priorities/:user_priority_id",
    document: UpdatePriorityDocument,
    auth: "member",
    status: 204,
    body: "input",
    tag: "Priorities",
    summary: "Dismiss or complete a priority",
    description:
      'Body `{"status"}`: active → dismissed | completed, and dismissed | completed → active (undo). Same status is a no-op (204); ' +
      "an `outdated` priority (replaced by a newer program) cannot change, and `outdated` cannot be set: 422 invalid_transition. Emits program.updated.",
  },
  {
    method: "POST",
    path: "/v1/users/:user_id/recommended-actions/:recommendation_id/accept",
    document: AcceptRecommendedActionDocument,
    auth: "member",
    status: 201,
    tag: "Recommendations",
    summary: "Accept a recommended action",
    description:
      "No body. Creates a program focus action (source program) at the next occurrence of the recommendation's local time in the member's zone, " +
      "readable at GET /v1/users/{user_id}/health-actions/{focus_action_id}. Already accepted → 409 conflict.",
  },
  {
    method: "POST",
    path: "/v1/admin/sandbox/users/:user_id/program",
    document: GenerateSandboxProgramDocument,
    auth: "tenant",
    status: 201,
    tag,
    summary: "Generate a program now (sandbox)",
    description:
      "Sandbox orgs only (403 forbidden in production). Plans a program from the member's last 28 days of activity, sleep, body and check-in data " +
      "and makes it the active one: the previous program becomes inactive, its active priorities outdated and its unaccepted recommendations removed. " +
      "Returns the program with its `recommended_actions[]`; emits program.updated.",
  },
];

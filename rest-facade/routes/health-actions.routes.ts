import {
  CreateHealthActionDocument,
  DeleteHealthActionDocument,
  GetHealthActionDocument,
  ListHealthActionsDocument,
  UpdateHealthActionDocument,
} from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const tag = "Health actions";
const base = "/v1/users/:user_id/health-actions";

export const healthActionsRoutes: RouteDef[] = [
  {
    method: "GET",
    path: base,
    document: ListHealthActionsDocument,
    auth: "member",
    tag,
    summary: "List health actions",
    description:
      "Filters: `status`; `start_date`/`end_date` (inclusive YYYY-MM-DD local dates in the member's zone, applied to scheduled_at). " +
      "`sort_by` scheduled_at (default) | created_at | updated_at; `sort_order` asc (default, for the upcoming feed) | desc. Paginated.",
  },
  {
    method: "POST",
    path: base,
    document: CreateHealthActionDocument,
    auth: "member",
    status: 201,
    body: "input",
    tag,
    summary: "Create a health action",
    description:
      "Partner-authored action: `title` (1–200), `description` (≤ 2,000), `scheduled_at`, optional `execution_options` object. Status pending, source partner.",
  },
  {
    method: "GET",
    path: `${base}/:health_action_id`,
    document: GetHealthActionDocument,
    auth: "member",
    tag,
    summary: "Get a health action",
    description: "Re-read after a PATCH, sync across devices, or hydrate a `coach.nudge.created` event.",
  },
  {
    method: "PATCH",
    path: `${base}/:health_action_id`,
    document: UpdateHealthActionDocument,
    auth: "member",
    status: 204,
    body: "input",
    tag,
    summary: "Update a health action",
    description:
      "Partial update of `status`, `scheduled_at`, `title`, `description`. Status: pending → completed | skipped | missed | cancelled, " +
      "missed → completed (late completion); the same status is a no-op; anything else → 422 invalid_transition.",
  },
  { method: "DELETE", path: `${base}/:health_action_id`, document: DeleteHealthActionDocument, auth: "member", status: 204, tag, summary: "Delete a health action" },
];

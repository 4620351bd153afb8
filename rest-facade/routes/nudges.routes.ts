import { FireSandboxNudgeDocument, GetCardDocument, ListCardsDocument, UpdateCardDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const tag = "Nudges";

export const nudgesRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/v1/users/:user_id/cards",
    document: ListCardsDocument,
    auth: "member",
    tag,
    summary: "List nudge cards",
    description: "Newest first. Optional `interaction_status` filter (pending, opened, completed, dismissed).",
  },
  {
    method: "GET",
    path: "/v1/users/:user_id/cards/:card_item_id",
    document: GetCardDocument,
    auth: "member",
    tag,
    summary: "Get a nudge card",
    description: "Use it to hydrate a `coach.nudge.created` event delivered with the `basic` contract.",
  },
  {
    method: "PATCH",
    path: "/v1/users/:user_id/cards/:card_item_id",
    document: UpdateCardDocument,
    auth: "member",
    status: 204,
    body: "input",
    tag,
    summary: "Report a card interaction",
    description:
      "Allowed: pending→opened, pending→dismissed, opened→completed, opened→dismissed. The same status again is a no-op (204); anything else → 422 invalid_transition.",
  },
  {
    method: "POST",
    path: "/v1/admin/sandbox/users/:user_id/nudges",
    document: FireSandboxNudgeDocument,
    auth: "tenant",
    status: 201,
    body: "input",
    tag,
    summary: "Fire a nudge now (sandbox)",
    description:
      "Sandbox orgs only (403 forbidden in production orgs). Makes the named detector (`trigger_name`) fire now for the member through the same path as the 15-minute sweep: a card (or a health-action nudge for `action_reminder`, which needs a pending health action, else 409), one `coach.nudge.created` event and the live `nudgeCreated` subscription. Repeatable.",
  },
];

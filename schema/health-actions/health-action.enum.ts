import { registerEnumType } from "type-graphql";
import { HealthActionSource, HealthActionStatus } from "../../entities/health-actions/health-action.entity";

/** What `healthActions` can be sorted by (`sort_by` on the wire). */
export enum HealthActionSortBy {
  scheduled_at = "scheduled_at",
  created_at = "created_at",
  updated_at = "updated_at",
}

registerEnumType(HealthActionStatus, {
  name: "HealthActionStatus",
  description: "Allowed changes: pending → completed | skipped | missed | cancelled, and missed → completed (late completion).",
  valuesConfig: {
    pending: { description: "Scheduled and not done yet." },
    completed: { description: "Done (`completedAt` records when)." },
    skipped: { description: "The member chose not to do it." },
    missed: { description: "Its time passed without completion; it may still be completed late." },
    cancelled: { description: "Withdrawn; no longer expected." },
  },
});
registerEnumType(HealthActionSource, {
  name: "HealthActionSource",
  valuesConfig: {
    partner: { description: "Created by the partner (POST /v1/users/{user_id}/health-actions)." },
    coach: { description: "Created by the coaching pipeline (a `health_action` nudge)." },
    program: { description: "A program focus action, created by accepting a recommended action." },
  },
});
registerEnumType(HealthActionSortBy, { name: "HealthActionSortBy" });

export { HealthActionSource, HealthActionStatus };

import type { HealthAction } from "../../entities/health-actions/health-action.entity";
import { formatInstant } from "../../schema/_shared/scalars";
import type { HealthActionType } from "../../schema/health-actions/health-action.type";

/** The GraphQL view of a stored action. */
export function toHealthAction(a: HealthAction): HealthActionType {
  return {
    healthActionId: a.id,
    title: a.title,
    description: a.description ?? null,
    status: a.status,
    scheduledAt: a.scheduledAt,
    executionOptions: a.executionOptions ?? {},
    source: a.source,
    isFocus: a.isFocus,
    category: a.category ?? null,
    completedAt: a.completedAt ?? null,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

/** The exact REST representation (`HealthActionV1`): what `coach.nudge.created` inlines under `full` delivery. */
export interface HealthActionWire {
  health_action_id: string;
  title: string;
  description: string | null;
  status: string;
  scheduled_at: string;
  execution_options: Record<string, unknown>;
  source: string;
  created_at: string;
  updated_at: string;
}

/** Pure: the same object GET /v1/users/{user_id}/health-actions/{id} returns in `data` (a test keeps them equal). */
export function healthActionToWire(a: HealthAction): HealthActionWire {
  return {
    health_action_id: a.id,
    title: a.title,
    description: a.description ?? null,
    status: a.status,
    scheduled_at: formatInstant(a.scheduledAt),
    execution_options: a.executionOptions ?? {},
    source: a.source,
    created_at: formatInstant(a.createdAt),
    updated_at: formatInstant(a.updatedAt),
  };
}

import { NotificationState } from "../../entities/notifications/notification-state.entity";
import type { NotificationStateType, UpdateNotificationStateInput } from "../../schema/notifications/notification-state.type";
import type { Context } from "../_shared/context";

/** Backend notification enrollment (spec §15). No row = not enrolled. */
export class NotificationsService {
  constructor(private readonly ctx: Context) {}

  async get(userId: string): Promise<NotificationStateType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const row = await this.ctx.em.findOne(NotificationState, { user: user.id });
    return { backendNotificationsEnabled: row?.backendNotificationsEnabled ?? false };
  }

  async update(userId: string, input: UpdateNotificationStateInput): Promise<NotificationStateType> {
    const user = await this.ctx.services.users.requireMember(userId);
    await this.ctx.em.upsert(
      NotificationState,
      { user, backendNotificationsEnabled: input.backendNotificationsEnabled, updatedAt: this.ctx.deps.now() },
      { onConflictFields: ["user"] },
    );
    return { backendNotificationsEnabled: input.backendNotificationsEnabled };
  }
}

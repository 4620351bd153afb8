import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { NotificationStateType, UpdateNotificationStateInput } from "../../schema/notifications/notification-state.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver(() => NotificationStateType)
export class NotificationsResolver {
  @Query(() => NotificationStateType, { description: "The member's backend notification enrollment (false until enabled)." })
  notificationState(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.notifications.get(userId);
  }

  @Mutation(() => NotificationStateType, { description: "Enroll or unenroll the member in backend notifications." })
  updateNotificationState(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("input", () => UpdateNotificationStateInput) input: UpdateNotificationStateInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.notifications.update(userId, input);
  }
}

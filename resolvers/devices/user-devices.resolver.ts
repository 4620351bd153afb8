import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { User } from "../../entities/users/user.entity";
import { DeviceType } from "../../schema/devices/device.type";
import { UserType } from "../../schema/users/user.type";
import type { Context } from "../_shared/context";

/** Devices fields on User: owned by the devices domain, batched across users by its loader. */
@Resolver(() => UserType)
export class UserDevicesResolver {
  @FieldResolver(() => [DeviceType], { description: "The member's provider links, oldest first (the items of `devices(userId)`, unpaged)." })
  devices(@Root() user: User, @Ctx() ctx: Context) {
    return ctx.services.devices.forUser(user);
  }
}

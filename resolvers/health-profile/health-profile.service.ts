import type { HealthProfileType } from "../../schema/health-profile/health-profile.type";
import type { Context } from "../_shared/context";
import { toLocation, toProfile } from "../users";

export class HealthProfileService {
  constructor(private readonly ctx: Context) {}

  /** The dashboard read. `connectedDevices` comes from the devices domain (it owns the data; batched per request). */
  async get(userId: string): Promise<HealthProfileType> {
    const user = await this.ctx.services.users.requireMember(userId);
    return {
      userId: user.partnerUserId,
      profile: toProfile(user),
      location: toLocation(user),
      privacy: await this.ctx.services.privacy.forUser(user),
      connectedDevices: await this.ctx.services.devices.connectedDevices(user),
    };
  }
}

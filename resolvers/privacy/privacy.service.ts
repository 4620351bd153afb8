import { PrivacySettings } from "../../entities/privacy/privacy-settings.entity";
import type { User } from "../../entities/users/user.entity";
import type { PrivacySettingsType, UpdatePrivacySettingsInput } from "../../schema/privacy/privacy-settings.type";
import type { Context } from "../_shared/context";
import { createPrivacyLoader } from "./privacy.loaders";

/** A member's settings from their row (or none): recording off and nudges on until set. */
export function privacySettingsOf(row: { conversationRecordingOptIn?: boolean | null; nudgesEnabled?: boolean | null } | null | undefined): PrivacySettingsType {
  return { conversationRecordingOptIn: row?.conversationRecordingOptIn ?? false, nudgesEnabled: row?.nudgesEnabled ?? true };
}

export class PrivacyService {
  private readonly loader;
  constructor(private readonly ctx: Context) {
    this.loader = createPrivacyLoader(ctx);
  }

  /** Settings of an already-authorised user; defaults (recording off, nudges on) when never set. */
  async forUser(user: User): Promise<PrivacySettingsType> {
    return privacySettingsOf(await this.loader.load(user.id));
  }

  async get(userId: string): Promise<PrivacySettingsType> {
    return this.forUser(await this.ctx.services.users.requireMember(userId));
  }

  /** Partial update. Consent changes apply to sessions started afterwards. */
  async update(userId: string, input: UpdatePrivacySettingsInput): Promise<PrivacySettingsType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const values: Partial<PrivacySettings> = {};
    if (input.conversationRecordingOptIn !== undefined && input.conversationRecordingOptIn !== null) {
      values.conversationRecordingOptIn = input.conversationRecordingOptIn;
    }
    if (input.nudgesEnabled !== undefined && input.nudgesEnabled !== null) values.nudgesEnabled = input.nudgesEnabled;
    if (Object.keys(values).length > 0) {
      await this.ctx.em.upsert(PrivacySettings, { user, ...values, updatedAt: this.ctx.deps.now() }, { onConflictFields: ["user"] });
      this.loader.clear(user.id);
    }
    return this.forUser(user);
  }
}

import { Entity, OneToOne, Property, type Rel, OptionalProps } from "@mikro-orm/core";
import { User } from "../users/user.entity";

/** A member's consent settings; absent row = defaults (everything off). */
@Entity({ tableName: "privacy_settings" })
export class PrivacySettings {
  [OptionalProps]?: "conversationRecordingOptIn" | "nudgesEnabled" | "updatedAt";

  @OneToOne(() => User, { primary: true, deleteRule: "cascade", owner: true })
  user!: Rel<User>;

  @Property({ type: "boolean" })
  conversationRecordingOptIn: boolean = false;

  /** Proactive coaching nudges (the 15-minute detectors). On by default; off skips the member in every sweep. */
  @Property({ type: "boolean" })
  nudgesEnabled: boolean = true;

  @Property({ type: "timestamptz", onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

import { Entity, OneToOne, Property, type Rel, OptionalProps } from "@mikro-orm/core";
import { User } from "../users/user.entity";

/** A member's consent settings; absent row = defaults (everything off). */
@Entity({ tableName: "privacy_settings" })
export class PrivacySettings {
  [OptionalProps]?: "conversationRecordingOptIn" | "updatedAt";

  @OneToOne(() => User, { primary: true, deleteRule: "cascade", owner: true })
  user!: Rel<User>;

  @Property({ type: "boolean" })
  conversationRecordingOptIn: boolean = false;

  @Property({ type: "timestamptz", onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

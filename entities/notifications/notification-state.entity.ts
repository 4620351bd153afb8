import { Entity, OneToOne, OptionalProps, Property, type Rel } from "@mikro-orm/core";
import { User } from "../users/user.entity";

/** Backend notification enrollment (spec §15); absent row = not enrolled. */
@Entity({ tableName: "notification_states" })
export class NotificationState {
  [OptionalProps]?: "backendNotificationsEnabled" | "updatedAt";

  @OneToOne(() => User, { primary: true, deleteRule: "cascade", owner: true })
  user!: Rel<User>;

  @Property({ type: "boolean" })
  backendNotificationsEnabled: boolean = false;

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}

import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import { User } from "../users/user.entity";

export enum OnboardingTaskStatus {
  completed = "completed",
  skipped = "skipped",
}

/** A member's recorded progress on one onboarding task; no row = `pending`. Task ids come from the catalogue in code. */
@Entity({ tableName: "onboarding_tasks" })
export class OnboardingTask {
  [OptionalProps]?: "updatedAt";

  @ManyToOne(() => User, { primary: true, deleteRule: "cascade" })
  user!: Rel<User>;

  @PrimaryKey({ type: "text" })
  taskId!: string;

  @Enum({ items: () => OnboardingTaskStatus, nativeEnumName: "onboarding_task_status" })
  status!: OnboardingTaskStatus;

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}

import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Rel, OptionalProps } from "@mikro-orm/core";
import crypto from "node:crypto";
import { Org } from "../partners/org.entity";
import { User } from "../users/user.entity";

export enum JobStatus {
  accepted = "accepted",
  running = "running",
  completed = "completed",
  failed = "failed",
}

/** The public record of an async job; pg-boss carries the work, this row carries the state. */
@Entity({ tableName: "async_jobs" })
@Index({ properties: ["user", "createdAt"] })
export class AsyncJob {
  [OptionalProps]?: "status" | "attempts" | "createdAt" | "updatedAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => Org, { deleteRule: "cascade" })
  org!: Rel<Org>;

  @ManyToOne(() => User, { deleteRule: "cascade", nullable: true })
  user?: Rel<User> | null;

  @Property({ type: "text" })
  type!: string;

  @Enum({ items: () => JobStatus, nativeEnumName: "job_status" })
  status: JobStatus = JobStatus.accepted;

  @Property({ type: "json", nullable: true })
  params?: Record<string, unknown> | null;

  @Property({ type: "json", nullable: true })
  result?: Record<string, unknown> | null;

  @Property({ type: "integer" })
  attempts: number = 0;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz", onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: "timestamptz", nullable: true })
  startedAt?: Date | null;

  @Property({ type: "timestamptz", nullable: true })
  finishedAt?: Date | null;
}

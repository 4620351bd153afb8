import { Field, ObjectType } from "type-graphql";
import { JobStatus } from "../async-jobs/job.type";
import { DateTimeScalar, JSONScalar, UUIDScalar } from "../_shared/scalars";

@ObjectType("EventNotice", { description: "An event, as it commits (before queue delivery)." })
export class EventNoticeType {
  @Field(() => UUIDScalar) eventId!: string;
  @Field() eventType!: string;
  @Field(() => UUIDScalar, { nullable: true }) userId?: string | null;
  @Field(() => DateTimeScalar) occurredAt!: Date;
  @Field(() => JSONScalar, { nullable: true, description: "The body; null when over 6 KB (fetch it with `event(eventId)`)." })
  body?: Record<string, unknown> | null;
}

@ObjectType("NudgeNotice", { description: "A coaching nudge, live." })
export class NudgeNoticeType {
  @Field(() => UUIDScalar) eventId!: string;
  @Field(() => UUIDScalar) userId!: string;
  @Field() triggerName!: string;
  @Field({ description: "card | health_action" }) targetType!: string;
  @Field(() => UUIDScalar) targetId!: string;
  @Field(() => DateTimeScalar) occurredAt!: Date;
  @Field(() => JSONScalar, { nullable: true, description: "The card or health action (full delivery contract)." }) data?: Record<string, unknown> | null;
}

@ObjectType("JobUpdate")
export class JobUpdateType {
  @Field(() => UUIDScalar) jobId!: string;
  @Field(() => JobStatus) status!: JobStatus;
  @Field(() => JSONScalar, { nullable: true }) result?: Record<string, unknown> | null;
}

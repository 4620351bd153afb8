import { ArgsType, Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { EventStatus } from "../../entities/event-stream/event.entity";
import { makePaginationArgs, PageType } from "../_shared/pagination";
import { DateTimeScalar, JSONScalar, UUIDScalar } from "../_shared/scalars";

registerEnumType(EventStatus, {
  name: "EventStatus",
  valuesConfig: {
    pending: { description: "Waiting for delivery: buffered (no queue), due, or scheduled for a retry." },
    delivered: { description: "Acknowledged by the partner's queue." },
    failed: { description: "Every attempt of the 48 h schedule failed. Replay it once the queue works." },
  },
});

@ObjectType("DeliveryAttempt")
export class DeliveryAttemptType {
  @Field(() => Int) attemptNo!: number;
  @Field(() => DateTimeScalar) attemptedAt!: Date;
  @Field() queueName!: string;
  @Field() queueType!: string;
  @Field({ description: "delivered | failed" }) outcome!: string;
  @Field(() => Int) latencyMs!: number;
  @Field(() => String, { nullable: true, description: "The destination's error (no credentials)." }) error?: string | null;
}

@ObjectType("Event", { description: "An event and its delivery state." })
export class EventType {
  @Field(() => UUIDScalar) eventId!: string;
  @Field() eventType!: string;
  @Field() apiVersion!: string;
  @Field(() => UUIDScalar, { nullable: true }) userId?: string | null;
  @Field(() => DateTimeScalar) occurredAt!: Date;
  @Field(() => JSONScalar, { description: "The event body (delivered as an exact JSON string inside the envelope)." }) body!: Record<string, unknown>;
  @Field(() => EventStatus) status!: EventStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => DateTimeScalar, { nullable: true }) nextAttemptAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt?: Date | null;
  @Field(() => String, { nullable: true }) lastError?: string | null;
  @Field(() => [DeliveryAttemptType]) deliveryAttempts!: DeliveryAttemptType[];
}

@ObjectType("EventPage")
export class EventPageType extends PageType(EventType) {}

@ArgsType()
export class EventFilterArgs extends makePaginationArgs(25, 100) {
  @Field(() => String, { nullable: true, description: "Only this event type." }) eventType?: string;
  @Field(() => EventStatus, { nullable: true }) status?: EventStatus;
  @Field(() => UUIDScalar, { nullable: true, description: "Only events about this member." }) userId?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "occurred_at ≥ since" }) since?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "occurred_at < until" }) until?: Date;
}

@ObjectType("EventAccepted", { description: "An event queued for delivery (202)." })
export class EventAcceptedType {
  @Field(() => UUIDScalar) eventId!: string;
  @Field() status!: string;
}

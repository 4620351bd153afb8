import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { EventAcceptedType, EventFilterArgs, EventPageType, EventType } from "../../schema/event-stream/event.type";
import { QueueConfigType, QueueInput } from "../../schema/event-stream/queue.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver(() => EventType)
export class EventStreamResolver {
  @Query(() => QueueConfigType, { description: "A registered queue (queue_not_configured when none). Tenant key." })
  queue(@Arg("queueName") queueName: string, @Ctx() ctx: Context) {
    return ctx.services.queues.get(queueName);
  }

  @Query(() => [QueueConfigType], { description: "Every registered queue. Tenant key." })
  queues(@Ctx() ctx: Context) {
    return ctx.services.queues.list();
  }

  @Mutation(() => QueueConfigType, { description: "Register a queue after a successful synthetic test publish. Tenant key." })
  createQueue(@Arg("queueName") queueName: string, @Arg("input", () => QueueInput) input: QueueInput, @Ctx() ctx: Context) {
    return ctx.services.queues.create(queueName, input);
  }

  @Mutation(() => QueueConfigType, { description: "Replace a queue's configuration (same validation and test publish). Tenant key." })
  replaceQueue(@Arg("queueName") queueName: string, @Arg("input", () => QueueInput) input: QueueInput, @Ctx() ctx: Context) {
    return ctx.services.queues.replace(queueName, input);
  }

  @Mutation(() => Boolean, { description: "Remove a queue; its events are buffered until a new registration. Tenant key." })
  deleteQueue(@Arg("queueName") queueName: string, @Ctx() ctx: Context) {
    return ctx.services.queues.delete(queueName);
  }

  @Mutation(() => EventAcceptedType, { description: "Send a signed test.ping to this queue through the outbox. Tenant key." })
  testQueue(@Arg("queueName") queueName: string, @Ctx() ctx: Context) {
    return ctx.services.queues.test(queueName);
  }

  @Query(() => EventPageType, { description: "Events and their delivery state, newest first. Tenant key." })
  events(@Args(() => EventFilterArgs) args: EventFilterArgs, @Ctx() ctx: Context) {
    return ctx.services.events.list(args);
  }

  @Query(() => EventType, { description: "One event with every delivery attempt. Tenant key." })
  event(@Arg("eventId", () => UUIDScalar) eventId: string, @Ctx() ctx: Context) {
    return ctx.services.events.get(eventId);
  }

  @Mutation(() => EventAcceptedType, { description: "Deliver an event again, same event_id, fresh schedule. Tenant key." })
  replayEvent(@Arg("eventId", () => UUIDScalar) eventId: string, @Ctx() ctx: Context) {
    return ctx.services.events.replay(eventId);
  }

  @FieldResolver()
  deliveryAttempts(@Root() ev: EventType, @Ctx() ctx: Context) {
    return ctx.services.events.attempts.load(ev.eventId);
  }
}

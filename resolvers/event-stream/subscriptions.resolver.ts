import { Arg, Resolver, Root, Subscription } from "type-graphql";
import { EventNoticeType, JobUpdateType, NudgeNoticeType } from "../../schema/event-stream/subscription.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import { requireAuthenticated, requireTenant } from "../_shared/authz";
import type { Context } from "../_shared/context";
import { notFound } from "../_shared/errors";
import type { CommittedEvent } from "./emit";
import { where, type JobNotice } from "./live";

type SubArgs<A> = { args: A; context: Context };

/**
 * Live feeds over graphql-ws. Authorization happens once, at subscribe time, from the
 * connection's credentials; every payload is then filtered to the caller's org (and member).
 * Payloads are self-contained: no database read per event.
 */
@Resolver()
export class SubscriptionsResolver {
  @Subscription(() => EventNoticeType, {
    description: "Every event of the org as it commits, optionally only some types. Tenant key.",
    subscribe: ({ args, context }: SubArgs<{ types?: string[] | null }>) => {
      const tenant = requireTenant(context.viewer);
      const types = args.types?.length ? new Set(args.types) : null;
      return where(context.deps.live.events(tenant.orgId), (e) => !types || types.has(e.type));
    },
  })
  events(@Root() e: CommittedEvent, @Arg("types", () => [String], { nullable: true }) _types?: string[]): EventNoticeType {
    return { eventId: e.id, eventType: e.type, userId: e.user_id, occurredAt: new Date(e.occurred_at), body: e.body };
  }

  @Subscription(() => NudgeNoticeType, {
    description: "Nudges as they are created: a member's own, or (tenant key) the org's, optionally one member's.",
    subscribe: ({ args, context }: SubArgs<{ userId?: string | null }>) => {
      const v = requireAuthenticated(context.viewer);
      const only = v.kind === "member" ? v.userId : (args.userId ?? null);
      if (v.kind === "member" && args.userId && args.userId !== v.userId) throw notFound("User");
      return where(context.deps.live.events(v.orgId), (e) => e.type === "coach.nudge.created" && (!only || e.user_id === only));
    },
  })
  nudgeCreated(@Root() e: CommittedEvent, @Arg("userId", () => UUIDScalar, { nullable: true }) _userId?: string): NudgeNoticeType {
    const body = (e.body ?? {}) as { trigger_name?: string; target?: { type?: string; id?: string }; data?: Record<string, unknown> };
    return {
      eventId: e.id,
      userId: e.user_id!,
      triggerName: body.trigger_name ?? "",
      targetType: body.target?.type ?? "",
      targetId: body.target?.id ?? "",
      occurredAt: new Date(e.occurred_at),
      data: body.data ?? null,
    };
  }

  @Subscription(() => JobUpdateType, {
    description: "State changes of one job (member token: own jobs only).",
    subscribe: async ({ args, context }: SubArgs<{ jobId: string }>) => {
      const { orgId } = await context.services.jobs.requireFollowable(args.jobId);
      return where(context.deps.live.jobs(orgId), (j: JobNotice) => j.job_id === args.jobId);
    },
  })
  jobUpdated(@Root() j: JobNotice, @Arg("jobId", () => UUIDScalar) _jobId: string): JobUpdateType {
    return { jobId: j.job_id, status: j.status as JobUpdateType["status"], result: j.result };
  }
}

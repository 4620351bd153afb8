import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { JobType } from "../../schema/async-jobs/job.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver(() => JobType)
export class AsyncJobsResolver {
  @Query(() => JobType, { description: "Poll an async job started by a 202 response." })
  job(@Arg("userId", () => UUIDScalar) userId: string, @Arg("jobId", () => UUIDScalar) jobId: string, @Ctx() ctx: Context) {
    return ctx.services.jobs.get(userId, jobId);
  }
}

import { Field, ObjectType, registerEnumType } from "type-graphql";
import { JobStatus } from "../../entities/async-jobs/async-job.entity";
import { DateTimeScalar, JSONScalar, UUIDScalar } from "../_shared/scalars";

registerEnumType(JobStatus, {
  name: "JobStatus",
  valuesConfig: {
    accepted: { description: "Queued. Appears only in 202 start responses; polling reports a queued job as running." },
    running: { description: "Queued or in progress." },
    completed: { description: "Finished; `result` holds the outcome." },
    failed: { description: "Failed; `result` carries `error` and `reason`." },
  },
});

@ObjectType("Job", { description: "An asynchronous job started by a 202 response." })
export class JobType {
  @Field(() => UUIDScalar) jobId!: string;
  @Field(() => JobStatus) status!: JobStatus;
  @Field(() => JSONScalar, { nullable: true }) result?: Record<string, unknown> | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

export { JobStatus };

@ObjectType("JobStart", { description: "The 202 response of an endpoint that starts an async job; poll GET /v1/users/{user_id}/jobs/{job_id}." })
export class JobStartType {
  @Field(() => UUIDScalar) jobId!: string;
  @Field(() => JobStatus, { description: "Always `accepted` here." }) status!: JobStatus;
}

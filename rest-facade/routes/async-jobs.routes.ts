import { GetJobDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

export const asyncJobsRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/v1/users/:user_id/jobs/:job_id",
    document: GetJobDocument,
    auth: "member",
    tag: "Async jobs",
    summary: "Get an async job",
    description: "States: running (queued or in progress), completed (`result` filled), failed (`result.error`, `result.reason`).",
  },
];

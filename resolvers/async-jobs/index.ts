export { AsyncJobsResolver } from "./async-jobs.resolver";
export { AsyncJobsService } from "./async-jobs.service";
export { JobRegistry, type JobHandler, type JobRun } from "./job-registry";
export { runJob } from "./job-runner";

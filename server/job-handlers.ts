import { JobRegistry } from "../resolvers/async-jobs";
import { registerDeviceJobs } from "../resolvers/devices";

/** Every domain's job handlers, for `npm start` and `npm run worker` alike. */
export function createJobRegistry(): JobRegistry {
  const registry = new JobRegistry();
  registerDeviceJobs(registry);
  return registry;
}

import type { RouteDef } from "../route-table";
import { asyncJobsRoutes } from "./async-jobs.routes";
import { authRoutes } from "./auth.routes";
import { checkInsRoutes } from "./check-ins.routes";
import { devicesRoutes } from "./devices.routes";
import { eventStreamRoutes } from "./event-stream.routes";
import { healthActionsRoutes } from "./health-actions.routes";
import { healthProfileRoutes } from "./health-profile.routes";
import { metricsSummariesRoutes } from "./metrics-summaries.routes";
import { metricsTimeseriesRoutes } from "./metrics-timeseries.routes";
import { nudgesRoutes } from "./nudges.routes";
import { notificationsRoutes } from "./notifications.routes";
import { onboardingRoutes } from "./onboarding.routes";
import { partnersRoutes } from "./partners.routes";
import { privacyRoutes } from "./privacy.routes";
import { programsRoutes } from "./programs.routes";
import { usersRoutes } from "./users.routes";

/** Every documented /v1 route, in docs (tag) order. */
export const ROUTES: RouteDef[] = [
  ...authRoutes,
  ...usersRoutes,
  ...healthProfileRoutes,
  ...privacyRoutes,
  ...programsRoutes,
  ...asyncJobsRoutes,
  ...devicesRoutes,
  ...eventStreamRoutes,
  ...partnersRoutes,
  ...metricsSummariesRoutes,
  ...metricsTimeseriesRoutes,
  ...checkInsRoutes,
  ...onboardingRoutes,
  ...notificationsRoutes,
  ...nudgesRoutes,
  ...healthActionsRoutes,
];

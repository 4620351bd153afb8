import type { RouteDef } from "../route-table";
import { asyncJobsRoutes } from "./async-jobs.routes";
import { authRoutes } from "./auth.routes";
import { devicesRoutes } from "./devices.routes";
import { eventStreamRoutes } from "./event-stream.routes";
import { healthProfileRoutes } from "./health-profile.routes";
import { metricsSummariesRoutes } from "./metrics-summaries.routes";
import { metricsTimeseriesRoutes } from "./metrics-timeseries.routes";
import { partnersRoutes } from "./partners.routes";
import { privacyRoutes } from "./privacy.routes";
import { usersRoutes } from "./users.routes";

/** Every documented /v1 route, in docs (tag) order. */
export const ROUTES: RouteDef[] = [...authRoutes, ...usersRoutes, ...healthProfileRoutes, ...privacyRoutes, ...asyncJobsRoutes, ...devicesRoutes, ...eventStreamRoutes, ...partnersRoutes, ...metricsSummariesRoutes, ...metricsTimeseriesRoutes];

import type { RouteDef } from "../route-table";
import { asyncJobsRoutes } from "./async-jobs.routes";
import { authRoutes } from "./auth.routes";
import { healthProfileRoutes } from "./health-profile.routes";
import { privacyRoutes } from "./privacy.routes";
import { usersRoutes } from "./users.routes";

/** Every documented /v1 route, in docs (tag) order. */
export const ROUTES: RouteDef[] = [...authRoutes, ...usersRoutes, ...healthProfileRoutes, ...privacyRoutes, ...asyncJobsRoutes];

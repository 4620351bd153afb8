export { HealthProfileResolver } from "./health-profile.resolver";
export { HealthProfileService } from "./health-profile.service";

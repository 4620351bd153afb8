export { healthActionToWire, toHealthAction, type HealthActionWire } from "./health-actions.mapper";
export { HealthActionsResolver } from "./health-actions.resolver";
export { canTransition, HealthActionsService, type NewHealthAction } from "./health-actions.service";

export { NotificationsResolver } from "./notifications.resolver";
export { NotificationsService } from "./notifications.service";

export { CheckInsResolver } from "./check-ins.resolver";
export { CheckInsService } from "./check-ins.service";

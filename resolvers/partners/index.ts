export { PartnersResolver } from "./partners.resolver";
export { PartnersService } from "./partners.service";

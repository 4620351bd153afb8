export { toLocation, toProfile } from "./user.mapper";
export { createUserLoaders, type UserLoaders } from "./users.loaders";
export { UsersResolver } from "./users.resolver";
export { UsersService } from "./users.service";

export { toLocation, toProfile, type ProfileSource } from "./user.mapper";
export { createUserLoaders, type UserLoaders } from "./users.loaders";
export { UsersResolver } from "./users.resolver";
export { UsersService, assertMayReach, assertReachable } from "./users.service";

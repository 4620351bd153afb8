import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { User } from "../../entities/users/user.entity";
import { PaginationArgs, type PageArgs } from "../../schema/_shared/pagination";
import { UUIDScalar } from "../../schema/_shared/scalars";
import { CreateUserInput, UpdateUserInput } from "../../schema/users/user.input";
import { UserPageType, UserProfileType, UserType } from "../../schema/users/user.type";
import type { Context } from "../_shared/context";
import { toProfile } from "./user.mapper";

@Resolver(() => UserType)
export class UsersResolver {
  @Query(() => UserType, { description: "One member. Member token (own user only) or tenant key." })
  user(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.users.requireMember(userId);
  }

  @Query(() => UserPageType, { description: "The org's members, oldest first. Tenant key." })
  users(@Args(() => PaginationArgs) args: PageArgs, @Ctx() ctx: Context) {
    return ctx.services.users.list(args);
  }

  @Mutation(() => UserType, { description: "Register a member under your own UUID. Tenant key." })
  createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context) {
    return ctx.services.users.create(input);
  }

  @Mutation(() => UserType, { description: "Partial profile update: omitted fields are unchanged, null clears." })
  updateUser(@Arg("userId", () => UUIDScalar) userId: string, @Arg("input", () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: Context) {
    return ctx.services.users.update(userId, input);
  }

  @Mutation(() => Boolean, { description: "Irreversibly purge the member and all of their data." })
  deleteUser(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.users.delete(userId);
  }

  @FieldResolver(() => UUIDScalar)
  userId(@Root() user: User) {
    return user.partnerUserId;
  }

  @FieldResolver(() => UserProfileType)
  profile(@Root() user: User) {
    return toProfile(user);
  }
}

import { MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";
import { EmailScalar } from "../_shared/scalars";
import { OrgMemberScope } from "./partners.enum";
import { TrimmedMaxLength, TrimmedMinLength } from "./validators";

@InputType("CreateInviteInput")
export class CreateInviteInput {
  @Field(() => EmailScalar, { description: "Who to invite; compared case-insensitively." })
  @MaxLength(254)
  email!: string;

  @Field(() => OrgMemberScope, { defaultValue: OrgMemberScope.admin })
  scope: OrgMemberScope = OrgMemberScope.admin;
}

@InputType("AcceptInviteInput")
export class AcceptInviteInput {
  @Field(() => String, { description: "The one-time token from the invite URL." })
  @MaxLength(200)
  token!: string;

  @Field(() => String, { nullable: true, description: "The new member's display name, 1–200 characters after trimming." })
  @TrimmedMinLength(1)
  @TrimmedMaxLength(200)
  name?: string | null;
}

import { Field, Int, ObjectType } from "type-graphql";
import { PageType } from "../_shared/pagination";
import { DateTimeScalar, EmailScalar, UUIDScalar } from "../_shared/scalars";
import { OrgMemberScope } from "./partners.enum";

@ObjectType("Org", { description: "Your partner organisation, as identified by the tenant key." })
export class OrgType {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String, { description: "Display name (1–200 characters)." }) name!: string;
  @Field(() => String, { description: "Stable public handle of the org. Immutable." }) key!: string;
  @Field(() => Int, { description: "Number of admin-portal members (accepted invites)." }) memberCount!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
}

@ObjectType("OrgMember", { description: "An admin-portal user of your org who joined through an invite (not a health member)." })
export class OrgMemberType {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => EmailScalar) email!: string;
  @Field(() => String, { nullable: true, description: "Name given when accepting the invite." }) name?: string | null;
  @Field(() => OrgMemberScope) scope!: OrgMemberScope;
  @Field(() => DateTimeScalar, { description: "When the invite was accepted." }) createdAt!: Date;
}

@ObjectType("OrgMemberPage")
export class OrgMemberPageType extends PageType(OrgMemberType) {}

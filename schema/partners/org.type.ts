import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { NudgeDelivery } from "../../entities/partners/org.entity";
import { PageType } from "../_shared/pagination";
import { DateTimeScalar, EmailScalar, UUIDScalar } from "../_shared/scalars";
import { OrgMemberScope } from "./partners.enum";

registerEnumType(NudgeDelivery, {
  name: "NudgeDelivery",
  valuesConfig: {
    basic: { description: "coach.nudge.created carries the target only; fetch the card or health action." },
    full: { description: "coach.nudge.created also carries the card or health action inline as `data`." },
  },
});
export { NudgeDelivery };

@ObjectType("Org", { description: "Your partner organisation, as identified by the tenant key." })
export class OrgType {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => String, { description: "Display name (1–200 characters)." }) name!: string;
  @Field(() => String, { description: "Stable public handle of the org. Immutable." }) key!: string;
  @Field(() => Int, { description: "Number of admin-portal members (accepted invites)." }) memberCount!: number;
  @Field(() => NudgeDelivery, { description: "Delivery contract of coach.nudge.created events (default basic)." }) nudgeDelivery!: NudgeDelivery;
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

import { Field, InputType, ObjectType } from "type-graphql";

@ObjectType("PrivacySettings", { description: "A member's consent settings. Changes apply to future sessions." })
export class PrivacySettingsType {
  @Field({ description: "Whether coaching conversations may be recorded." })
  conversationRecordingOptIn!: boolean;

  @Field({ description: "Whether the member receives proactive coaching nudges. On by default; off skips the member in every detector sweep." })
  nudgesEnabled!: boolean;
}

@InputType("UpdatePrivacySettingsInput")
export class UpdatePrivacySettingsInput {
  @Field(() => Boolean, { nullable: true }) conversationRecordingOptIn?: boolean | null;
  @Field(() => Boolean, { nullable: true }) nudgesEnabled?: boolean | null;
}

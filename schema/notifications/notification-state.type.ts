import { Field, InputType, ObjectType } from "type-graphql";

@ObjectType("NotificationState", { description: "Backend notification enrollment; separate from the OS-level permission your app manages." })
export class NotificationStateType {
  @Field({ description: "Whether the member is enrolled in backend notifications. False until enabled." })
  backendNotificationsEnabled!: boolean;
}

@InputType("UpdateNotificationStateInput")
export class UpdateNotificationStateInput {
  @Field({ description: "Enroll (true) or unenroll (false) the member." }) backendNotificationsEnabled!: boolean;
}

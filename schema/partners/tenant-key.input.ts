import { Field, InputType } from "type-graphql";
import { TrimmedMaxLength, TrimmedMinLength } from "./validators";

@InputType("CreateTenantKeyInput")
export class CreateTenantKeyInput {
  @Field(() => String, { description: "A label for the key, 1–100 characters after trimming." })
  @TrimmedMinLength(1)
  @TrimmedMaxLength(100)
  name!: string;
}

import { Field, InputType } from "type-graphql";
import { NotNullWhenPresent } from "../_shared/not-null";
import { JSONScalar } from "../_shared/scalars";
import { NudgeDelivery } from "./org.type";
import { TrimmedMaxLength, TrimmedMinLength } from "./validators";

/**
 * `name` and `nudge_delivery` can change. `id` and `key` are declared so that a body carrying them reaches the
 * service and is answered with 422 `immutable_field` (naming the field) rather than `unknown_field`.
 */
@InputType("UpdateOrgInput")
export class UpdateOrgInput {
  @Field(() => String, { nullable: true, description: "New display name, 1–200 characters after trimming." })
  @NotNullWhenPresent()
  @TrimmedMinLength(1)
  @TrimmedMaxLength(200)
  name?: string | null;

  @Field(() => NudgeDelivery, { nullable: true, description: "basic (target only) or full (card / health action inline) for coach.nudge.created." })
  @NotNullWhenPresent()
  nudgeDelivery?: NudgeDelivery | null;

  @Field(() => JSONScalar, { nullable: true, description: "Immutable: any value is rejected with 422 immutable_field." })
  id?: unknown;

  @Field(() => JSONScalar, { nullable: true, description: "Immutable: any value is rejected with 422 immutable_field." })
  key?: unknown;
}

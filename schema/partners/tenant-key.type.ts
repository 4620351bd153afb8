import { Field, ObjectType } from "type-graphql";
import { PageType } from "../_shared/pagination";
import { DateTimeScalar } from "../_shared/scalars";

@ObjectType("TenantKey", { description: "A tenant API key's metadata. The secret is never shown after creation." })
export class TenantKeyType {
  @Field(() => String, { description: "The `{id}` part of `ak_{environment}_{id}.{secret}`." }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "`ak_{environment}_{id}`: the non-secret part of the key." }) prefix!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "Last successful authentication (updated at most once a minute)." })
  lastUsedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "End of the grace period after a rotation; null when it does not expire." })
  expiresAt?: Date | null;
  @Field(() => Boolean, { description: "True for the key that authenticated this request." }) isCurrent!: boolean;
}

@ObjectType("NewTenantKey", { description: "A just-created tenant key with its secret. Only `createTenantKey` returns this type." })
export class NewTenantKeyType extends TenantKeyType {
  @Field(() => String, { description: "The full key `ak_{environment}_{id}.{secret}`. Returned exactly once: store it now." })
  secret!: string;
}

@ObjectType("TenantKeyPage")
export class TenantKeyPageType extends PageType(TenantKeyType) {}

import { Field, InputType, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeScalar } from "../_shared/scalars";

export const QueueTypeEnum = {
  aws_sqs: "aws_sqs",
  azure_event_hubs: "azure_event_hubs",
  azure_storage_queue: "azure_storage_queue",
  amqp: "amqp",
  nats: "nats",
  redis_stream: "redis_stream",
  https_webhook: "https_webhook",
} as const;
registerEnumType(QueueTypeEnum, { name: "QueueType", description: "Destination kind; the matching settings object is required." });

const opt = { nullable: true } as const;

@InputType("AwsSqsInput")
export class AwsSqsInput {
  @Field(() => String, opt) queueArn?: string;
  @Field(() => String, opt) region?: string;
  @Field(() => String, { nullable: true, description: "Role we assume to publish (cross-account)." }) roleArn?: string;
  @Field(() => String, { nullable: true, description: "SQS-compatible endpoint override (e.g. a local server)." }) endpoint?: string;
  @Field(() => String, { nullable: true, description: "Write-only." }) accessKeyId?: string;
  @Field(() => String, { nullable: true, description: "Write-only." }) secretAccessKey?: string;
}

@InputType("AzureEventHubsInput")
export class AzureEventHubsInput {
  @Field(() => String, opt) namespace?: string;
  @Field(() => String, opt) eventHubName?: string;
  @Field(() => String, { nullable: true, description: "Write-only SAS token." }) sasToken?: string;
  @Field(() => String, { nullable: true, description: "Write-only connection string (alternative to sas_token)." }) connectionString?: string;
}

@InputType("AzureStorageQueueInput")
export class AzureStorageQueueInput {
  @Field(() => String, opt) accountName?: string;
  @Field(() => String, opt) queueName?: string;
  @Field(() => String, { nullable: true, description: "Queue service endpoint override (Azurite, sovereign clouds)." }) endpoint?: string;
  @Field(() => String, { nullable: true, description: "Write-only SAS token." }) sasToken?: string;
  @Field(() => String, { nullable: true, description: "Write-only connection string (alternative to sas_token)." }) connectionString?: string;
}

@InputType("AmqpInput")
export class AmqpInput {
  @Field(() => String, { nullable: true, description: "amqp(s)://user:password@host:port/vhost; write-only (shown without the password)." }) url?: string;
  @Field(() => String, opt) queue?: string;
}

@InputType("NatsInput")
export class NatsInput {
  @Field(() => String, { nullable: true, description: "nats://host:port (credentials write-only)." }) url?: string;
  @Field(() => String, { nullable: true, description: "A subject bound to a JetStream stream." }) subject?: string;
}

@InputType("RedisStreamInput")
export class RedisStreamInput {
  @Field(() => String, { nullable: true, description: "redis(s)://… (password write-only)." }) url?: string;
  @Field(() => String, opt) stream?: string;
}

@InputType("HttpsWebhookInput")
export class HttpsWebhookInput {
  @Field(() => String, { nullable: true, description: "https:// endpoint that receives the envelope as its JSON body." }) url?: string;
}

/** Polymorphic on `type`: exactly the settings object named by `type` is used. */
@InputType("QueueInput")
export class QueueInput {
  @Field(() => QueueTypeEnum) type!: keyof typeof QueueTypeEnum;
  @Field(() => String, { nullable: true, description: "Optional; must equal the path's queue_name." }) queueName?: string;
  @Field(() => AwsSqsInput, opt) awsSqs?: AwsSqsInput;
  @Field(() => AzureEventHubsInput, opt) azureEventHubs?: AzureEventHubsInput;
  @Field(() => AzureStorageQueueInput, opt) azureStorageQueue?: AzureStorageQueueInput;
  @Field(() => AmqpInput, opt) amqp?: AmqpInput;
  @Field(() => NatsInput, opt) nats?: NatsInput;
  @Field(() => RedisStreamInput, opt) redisStream?: RedisStreamInput;
  @Field(() => HttpsWebhookInput, opt) httpsWebhook?: HttpsWebhookInput;
}

@ObjectType("AwsSqsSettings")
export class AwsSqsSettings {
  @Field(() => String, opt) queueArn?: string | null;
  @Field(() => String, opt) region?: string | null;
  @Field(() => String, opt) roleArn?: string | null;
  @Field(() => String, { nullable: true, description: "Principal that publishes: grant it sqs:SendMessage." }) publishingPrincipalArn?: string | null;
  @Field(() => String, opt) endpoint?: string | null;
}

@ObjectType("AzureEventHubsSettings")
export class AzureEventHubsSettings {
  @Field(() => String, opt) namespace?: string | null;
  @Field(() => String, opt) eventHubName?: string | null;
}

@ObjectType("AzureStorageQueueSettings")
export class AzureStorageQueueSettings {
  @Field(() => String, opt) accountName?: string | null;
  @Field(() => String, opt) queueName?: string | null;
  @Field(() => String, opt) endpoint?: string | null;
}

@ObjectType("AmqpSettings")
export class AmqpSettings {
  @Field(() => String, opt) url?: string | null;
  @Field(() => String, opt) queue?: string | null;
}

@ObjectType("NatsSettings")
export class NatsSettings {
  @Field(() => String, opt) url?: string | null;
  @Field(() => String, opt) subject?: string | null;
}

@ObjectType("RedisStreamSettings")
export class RedisStreamSettings {
  @Field(() => String, opt) url?: string | null;
  @Field(() => String, opt) stream?: string | null;
}

@ObjectType("HttpsWebhookSettings")
export class HttpsWebhookSettings {
  @Field(() => String, opt) url?: string | null;
}

@ObjectType("QueueConfig", { description: "A registered partner queue. Write-only credentials are never returned." })
export class QueueConfigType {
  @Field() queueName!: string;
  @Field(() => QueueTypeEnum) type!: string;
  @Field(() => AwsSqsSettings, opt) awsSqs?: AwsSqsSettings | null;
  @Field(() => AzureEventHubsSettings, opt) azureEventHubs?: AzureEventHubsSettings | null;
  @Field(() => AzureStorageQueueSettings, opt) azureStorageQueue?: AzureStorageQueueSettings | null;
  @Field(() => AmqpSettings, opt) amqp?: AmqpSettings | null;
  @Field(() => NatsSettings, opt) nats?: NatsSettings | null;
  @Field(() => RedisStreamSettings, opt) redisStream?: RedisStreamSettings | null;
  @Field(() => HttpsWebhookSettings, opt) httpsWebhook?: HttpsWebhookSettings | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

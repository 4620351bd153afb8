import { SendMessageCommand, SQSClient, type SQSClientConfig } from "@aws-sdk/client-sqs";
import type { ErrorDetail } from "../../_shared/errors";
import type { OutboundMessage, ParseOptions, QueueAdapter, QueueDestination, QueuePublisher } from "./types";
import { NET_CODES, PRIVATE_TARGETS_SETTING, checkEndpoint, settingsError, text, vettedOnce, withTimeout } from "./url-guard";

/*
 * AWS SQS destination.
 * Settings (shown): queueArn, region (must equal the ARN's), optional roleArn, optional endpoint
 * (an SQS-compatible endpoint for local testing). Secrets (write-only, optional, both or neither):
 * accessKeyId, secretAccessKey. Without keys the SDK's default credential chain is used (env, shared
 * config, container/instance role). roleArn is validated and shown, but NOT assumed yet:
 * @aws-sdk/credential-providers (fromTemporaryCredentials) is not installed in this project.
 *
 * Message: MessageBody = the envelope JSON; attributes taih-signature and taih-event-type. FIFO
 * queues (.fifo): MessageGroupId = event type (no member id here), MessageDeduplicationId = event id.
 */

const TYPE = "aws_sqs";
const QUEUE_ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):sqs:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):([A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/;
const ROLE_ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const KEY_ID_RE = /^[A-Z0-9]{16,128}$/;
const KNOWN = ["queueArn", "region", "roleArn", "endpoint", "accessKeyId", "secretAccessKey"];

/** Shown as `publishing_principal_arn` unless the composition root configures the real one. */
export const DEFAULT_PUBLISHING_PRINCIPAL_ARN = "arn:aws:iam::000000000000:role/thrive-event-publisher";

function parse(input: Record<string, unknown>, options: ParseOptions): QueueDestination {
  const details: ErrorDetail[] = [];
  const bad = (field: string, code: string, message: string) => details.push({ field: `${TYPE}.${field}`, code, message });
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key) && input[key] !== undefined && input[key] !== null)
      bad(
        key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        "unknown_field",
        "Unknown field",
      );
  }
  const [queueArn, region, roleArn, endpointRaw] = ["queueArn", "region", "roleArn", "endpoint"].map((k) => text(input, k));
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value is coerced, then validated below ("[object Object]" fails both checks)
  const [accessKeyId, secretAccessKey] = ["accessKeyId", "secretAccessKey"].map((k) => (input[k] === undefined || input[k] === null ? undefined : String(input[k])));
  const arn = queueArn?.match(QUEUE_ARN_RE);
  if (!queueArn) bad("queue_arn", "required", "queue_arn is required");
  else if (!arn) bad("queue_arn", "invalid_value", "queue_arn must look like arn:aws:sqs:<region>:<12-digit account>:<queue name>");
  if (!region) bad("region", "required", "region is required");
  else if (!REGION_RE.test(region)) bad("region", "invalid_value", "region must be an AWS region such as eu-west-1");
  else if (arn && arn[2] !== region) bad("region", "invalid_value", "region must be the region of queue_arn");
  const role = roleArn?.match(ROLE_ARN_RE);
  if (roleArn && !role) bad("role_arn", "invalid_value", "role_arn must look like arn:aws:iam::<12-digit account>:role/<name>");
  else if (role && arn && role[1] !== arn[1]) bad("role_arn", "invalid_value", "role_arn must be in the same AWS partition as queue_arn");
  let endpoint: string | undefined;
  if (endpointRaw) {
    const r = checkEndpoint(endpointRaw, options);
    if ("error" in r) bad("endpoint", "invalid_value", `endpoint ${r.error}`);
    else endpoint = r.url;
  }
  const secrets: Record<string, string> = {};
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    if (!accessKeyId) bad("access_key_id", "required", "access_key_id is required with secret_access_key");
    else if (!KEY_ID_RE.test(accessKeyId)) bad("access_key_id", "invalid_value", "access_key_id must be an AWS access key id");
    if (!secretAccessKey) bad("secret_access_key", "required", "secret_access_key is required with access_key_id");
    else if (/\s/.test(secretAccessKey) || secretAccessKey.length < 16) bad("secret_access_key", "invalid_value", "secret_access_key is not a valid secret key");
    if (accessKeyId && secretAccessKey) Object.assign(secrets, { accessKeyId, secretAccessKey });
  }
  if (details.length) throw settingsError(details);
  const settings: Record<string, string> = { queueArn: queueArn!, region: region! };
  if (roleArn) settings.roleArn = roleArn;
  if (endpoint) settings.endpoint = endpoint;
  if (options.allowPrivateTargets) settings[PRIVATE_TARGETS_SETTING] = "true";
  return { type: TYPE, settings, secrets };
}

/** The queue URL: endpoint + /<account>/<name>, or the regional AWS endpoint. */
export function sqsQueueUrl(settings: Record<string, string>): string {
  const [, partition, region, account, name] = settings.queueArn.match(QUEUE_ARN_RE) ?? [];
  const base = settings.endpoint ?? `https://sqs.${region}.amazonaws.com${partition === "aws-cn" ? ".cn" : ""}`;
  return `${base}/${account}/${name}`;
}

/** Network and TLS failure codes that may be shown to partners (looked up by name, so no other text leaks). */

/** A partner-facing error from the SDK's error name, HTTP status and system code, never its message text. */
function publicError(err: unknown): Error {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.name === "string" && /^[A-Za-z0-9_.]{1,80}$/.test(e.name) ? e.name : "Error";
  const status = e.$metadata?.httpStatusCode;
  if (name === "QueueDoesNotExist" || name === "AWS.SimpleQueueService.NonExistentQueue") return new Error("The SQS queue does not exist (QueueDoesNotExist)");
  if (name === "CredentialsProviderError") return new Error("No AWS credentials are available to publish to this queue");
  if (status === 403 || /AccessDenied|InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|ExpiredToken/.test(name)) {
    return new Error(`AWS refused the credentials (${name}): check the access key, the queue policy and sqs:SendMessage permission`);
  }
  if (status) return new Error(`SQS rejected the message (HTTP ${status}, ${name})`);
  // Only a system code is taken from the message (the SDK may wrap a foreign error, keeping just its text).
  const said = typeof e.message === "string" ? e.message : "";
  const sys = NET_CODES.find((c) => c === e.code || new RegExp(`\\b${c}\\b`).test(said));
  return new Error(`Could not reach the SQS endpoint${sys ? ` (${sys})` : ""}`);
}

async function connect(destination: QueueDestination): Promise<QueuePublisher> {
  const { region, endpoint } = destination.settings;
  const { accessKeyId, secretAccessKey } = destination.secrets;
  const queueUrl = sqsQueueUrl(destination.settings);
  const fifo = queueUrl.endsWith(".fifo");
  const config: SQSClientConfig = { region, maxAttempts: 2 };
  if (endpoint) config.endpoint = endpoint;
  if (accessKeyId && secretAccessKey) config.credentials = { accessKeyId, secretAccessKey };
  const client = new SQSClient(config);
  // Names are checked against private addresses once per publisher (the SDK resolves again itself).
  const vetHost = vettedOnce(new URL(queueUrl).hostname, destination.settings[PRIVATE_TARGETS_SETTING] === "true");
  let closed = false;
  return {
    async publish(message: OutboundMessage, timeoutMs: number): Promise<void> {
      if (closed) throw new Error("The publisher is closed");
      const command = new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: message.body,
        MessageAttributes: {
          "taih-signature": { DataType: "String", StringValue: message.signature },
          "taih-event-type": { DataType: "String", StringValue: message.eventType },
        },
        ...(fifo ? { MessageGroupId: message.eventType, MessageDeduplicationId: message.eventId } : {}),
      });
      await withTimeout(timeoutMs, `The SQS queue did not acknowledge the message within ${timeoutMs} ms`, async (abortSignal) => {
        await vetHost();
        await client.send(command, { abortSignal }).catch((err: unknown) => {
          throw publicError(err);
        });
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      client.destroy();
    },
  };
}

/**
 * Builds the AWS SQS adapter (`@aws-sdk/client-sqs`). `publishingPrincipalArn` is the IAM principal
 * partners grant sqs:SendMessage to; it is shown as `publishing_principal_arn`.
 */
export function createAwsSqsAdapter(options: { publishingPrincipalArn?: string } = {}): QueueAdapter {
  const principal = options.publishingPrincipalArn ?? DEFAULT_PUBLISHING_PRINCIPAL_ARN;
  return {
    type: TYPE,
    parse,
    describe: (d) => ({
      queueArn: d.settings.queueArn ?? null,
      region: d.settings.region ?? null,
      roleArn: d.settings.roleArn ?? null,
      endpoint: d.settings.endpoint ?? null,
      publishingPrincipalArn: principal,
    }),
    connect,
  };
}

/** The AWS SQS adapter with the placeholder publishing principal ({@link DEFAULT_PUBLISHING_PRINCIPAL_ARN}). */
export const awsSqsAdapter: QueueAdapter = createAwsSqsAdapter();

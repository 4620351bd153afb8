import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient, type Message } from "@aws-sdk/client-sqs";
import { createSqsServer } from "local-aws-sqs";
import { awsSqsAdapter as adapter, createAwsSqsAdapter, DEFAULT_PUBLISHING_PRINCIPAL_ARN, sqsQueueUrl } from "../../resolvers/event-stream/adapters/aws-sqs.adapter";
import type { OutboundMessage } from "../../resolvers/event-stream/adapters/types";
import { waitFor } from "../helpers/harness";
import { detailStrings } from "../helpers/adapter-kit";

const LOCAL = { allowPrivateTargets: true };
const PUBLIC = { allowPrivateTargets: false };
const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const KEYS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
const arn = (name: string, region = REGION) => `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
const uniqueQueue = (suffix = "") => `taih-${crypto.randomBytes(6).toString("hex")}${suffix}`;

function message(extra: Record<string, unknown> = {}): OutboundMessage {
  const eventId = crypto.randomUUID();
  const signature = crypto.randomBytes(32).toString("base64");
  const body = JSON.stringify({ id: eventId, type: "program.updated", data: { note: 'café <&> "q" 😀\n', ...extra }, signature });
  return { eventId, eventType: "program.updated", body, signature };
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as net.AddressInfo).port;
}

describe("aws_sqs parse/describe", () => {
  it("keeps keys write-only and shows the publishing principal", () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/thrive-events`;
    const d = adapter.parse({ queueArn: arn("events"), region: REGION, roleArn, ...KEYS }, PUBLIC);
    expect(d).toEqual({ type: "aws_sqs", settings: { queueArn: arn("events"), region: REGION, roleArn }, secrets: KEYS });
    expect(adapter.describe(d)).toEqual({
      queueArn: arn("events"),
      region: REGION,
      roleArn,
      endpoint: null,
      publishingPrincipalArn: DEFAULT_PUBLISHING_PRINCIPAL_ARN,
    });
    const custom = createAwsSqsAdapter({ publishingPrincipalArn: "arn:aws:iam::999999999999:role/publisher" });
    expect(custom.describe(d).publishingPrincipalArn).toBe("arn:aws:iam::999999999999:role/publisher");
    expect(JSON.stringify(adapter.describe(d))).not.toContain(KEYS.secretAccessKey);
  });

  it("derives the queue URL from the ARN or the endpoint", () => {
    expect(sqsQueueUrl({ queueArn: arn("events.fifo") })).toBe(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/events.fifo`);
    expect(sqsQueueUrl({ queueArn: `arn:aws-cn:sqs:cn-north-1:${ACCOUNT}:events` })).toBe(`https://sqs.cn-north-1.amazonaws.com.cn/${ACCOUNT}/events`);
    expect(sqsQueueUrl({ queueArn: arn("events"), endpoint: "http://127.0.0.1:9324" })).toBe(`http://127.0.0.1:9324/${ACCOUNT}/events`);
  });

  it("names every missing field", () => {
    expect(detailStrings(() => adapter.parse({}, PUBLIC))).toEqual(["aws_sqs.queue_arn:required", "aws_sqs.region:required"]);
  });

  it.each([
    ["a malformed ARN", { queueArn: "arn:aws:sqs:eu-west-1:123:events", region: REGION }, "aws_sqs.queue_arn:invalid_value"],
    ["an SNS ARN", { queueArn: `arn:aws:sns:${REGION}:${ACCOUNT}:events`, region: REGION }, "aws_sqs.queue_arn:invalid_value"],
    ["another region", { queueArn: arn("events"), region: "us-east-1" }, "aws_sqs.region:invalid_value"],
    ["a user instead of a role", { queueArn: arn("events"), region: REGION, roleArn: `arn:aws:iam::${ACCOUNT}:user/bob` }, "aws_sqs.role_arn:invalid_value"],
    ["a key id alone", { queueArn: arn("events"), region: REGION, accessKeyId: KEYS.accessKeyId }, "aws_sqs.secret_access_key:required"],
    ["a loopback endpoint", { queueArn: arn("events"), region: REGION, endpoint: "https://127.0.0.1:9324" }, "aws_sqs.endpoint:invalid_value"],
    ["a plain-http endpoint", { queueArn: arn("events"), region: REGION, endpoint: "http://sqs.example.com" }, "aws_sqs.endpoint:invalid_value"],
    ["an unknown field", { queueArn: arn("events"), region: REGION, sasToken: "x" }, "aws_sqs.sas_token:unknown_field"],
  ])("rejects %s", (_label, input, expected) => {
    expect(detailStrings(() => adapter.parse(input, PUBLIC))).toEqual([expected]);
  });
});

describe("aws_sqs against local-aws-sqs", () => {
  let server: http.Server;
  let endpoint: string;
  let sqs: SQSClient;
  const destination = (name: string) => adapter.parse({ queueArn: arn(name), region: REGION, endpoint, ...KEYS }, LOCAL);
  const createQueue = async (name: string) => {
    const fifo = name.endsWith(".fifo") ? { Attributes: { FifoQueue: "true" } } : {};
    return (await sqs.send(new CreateQueueCommand({ QueueName: name, ...fifo }))).QueueUrl!;
  };
  const receiveAll = async (queueUrl: string, count: number) => {
    const got: Message[] = [];
    return waitFor(async () => {
      const res = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ["All"],
          AttributeNames: ["All"], // local-aws-sqs reads the older name
        }),
      );
      got.push(...(res.Messages ?? []));
      return got.length >= count ? got : undefined;
    });
  };

  beforeAll(async () => {
    server = await createSqsServer({ port: 0, hostname: "127.0.0.1", region: REGION, accountId: ACCOUNT });
    endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    sqs = new SQSClient({ region: REGION, endpoint, credentials: { ...KEYS } }); // the SDK tags the object it is given
  });
  afterAll(async () => {
    sqs?.destroy();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it("delivers the envelope byte for byte with its attributes, concurrently", async () => {
    const name = uniqueQueue();
    const queueUrl = await createQueue(name);
    expect(sqsQueueUrl(destination(name).settings)).toBe(queueUrl);
    const publisher = await adapter.connect(destination(name));
    const sent = Array.from({ length: 10 }, (_, i) => message({ i }));
    await Promise.all(sent.map((m) => publisher.publish(m, 5000)));
    const got = await receiveAll(queueUrl, sent.length);
    const byBody = new Map(got.map((m) => [m.Body, m]));
    for (const m of sent) {
      expect(byBody.get(m.body)?.MessageAttributes).toEqual({
        "taih-signature": { DataType: "String", StringValue: m.signature },
        "taih-event-type": { DataType: "String", StringValue: "program.updated" },
      });
    }
    await publisher.close();
    await publisher.close();
    await expect(publisher.publish(message(), 1000)).rejects.toThrow("closed");
  });

  it("sets the FIFO group and deduplication ids", async () => {
    const name = uniqueQueue(".fifo");
    const queueUrl = await createQueue(name);
    const publisher = await adapter.connect(destination(name));
    const m = message();
    await publisher.publish(m, 5000);
    const [got] = await receiveAll(queueUrl, 1);
    expect(got.Body).toBe(m.body);
    expect(got.Attributes).toMatchObject({ MessageGroupId: m.eventType, MessageDeduplicationId: m.eventId });
    await publisher.close();
  });

  it("rejects a missing queue with a clear message", async () => {
    const publisher = await adapter.connect(destination(uniqueQueue()));
    await expect(publisher.publish(message(), 5000)).rejects.toThrow("The SQS queue does not exist (QueueDoesNotExist)");
    await publisher.close();
  });

  it("maps refused credentials without echoing the provider's text", async () => {
    // local-aws-sqs does not check signatures, so this answers like SQS does for an unknown key.
    const stub = http.createServer((req, res) => {
      req.resume().on("end", () => {
        res.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-query-error": "InvalidClientTokenId;Sender" });
        res.end(JSON.stringify({ __type: "com.amazon.coral.service#InvalidClientTokenId", message: `bad token ${KEYS.secretAccessKey}` }));
      });
    });
    const port = await listen(stub);
    try {
      const publisher = await adapter.connect(adapter.parse({ queueArn: arn("events"), region: REGION, endpoint: `http://127.0.0.1:${port}`, ...KEYS }, LOCAL));
      const err: Error = await publisher.publish(message(), 5000).then(
        () => new Error("published"),
        (e: Error) => e,
      );
      expect(err.message).toMatch(/^AWS refused the credentials \(InvalidClientTokenId\)/);
      expect(`${err.message} ${err.stack}`).not.toContain(KEYS.secretAccessKey);
      await publisher.close();
    } finally {
      stub.closeAllConnections();
      await new Promise((r) => stub.close(r));
    }
  });

  it("rejects within the timeout when the endpoint never answers, and drops the connection", async () => {
    const sockets = new Set<net.Socket>();
    const hang = net.createServer((s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s))
        .on("error", () => undefined)
        .resume();
    });
    const port = await listen(hang);
    try {
      const publisher = await adapter.connect(adapter.parse({ queueArn: arn("events"), region: REGION, endpoint: `http://127.0.0.1:${port}`, ...KEYS }, LOCAL));
      const started = Date.now();
      await expect(publisher.publish(message(), 300)).rejects.toThrow("did not acknowledge the message within 300 ms");
      expect(Date.now() - started).toBeGreaterThanOrEqual(295);
      expect(Date.now() - started).toBeLessThan(2000);
      await waitFor(async () => (sockets.size === 0 ? true : undefined), { timeoutMs: 3000 });
      await publisher.close();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => hang.close(r));
    }
  });

  it("reports an endpoint with nothing listening as unreachable", async () => {
    const probe = net.createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    const publisher = await adapter.connect(adapter.parse({ queueArn: arn("events"), region: REGION, endpoint: `http://127.0.0.1:${port}`, ...KEYS }, LOCAL));
    await expect(publisher.publish(message(), 5000)).rejects.toThrow("Could not reach the SQS endpoint (ECONNREFUSED)");
    await publisher.close();
  });
});

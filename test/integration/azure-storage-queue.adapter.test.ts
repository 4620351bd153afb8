import crypto from "node:crypto";
import net from "node:net";
import { QueueClient, QueueSASPermissions, SASProtocol, StorageSharedKeyCredential } from "@azure/storage-queue";
import { azureStorageQueueAdapter as adapter } from "../../resolvers/event-stream/adapters/azure-storage-queue.adapter";
import type { OutboundMessage, QueueDestination } from "../../resolvers/event-stream/adapters/types";
import { PRIVATE_TARGETS_SETTING } from "../../resolvers/event-stream/adapters/url-guard";
import { DomainError } from "../../resolvers/_shared/errors";
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzuriteQueue, type AzuriteQueue } from "../helpers/azurite";
import { waitFor } from "../helpers/harness";
import { detailStrings } from "../helpers/adapter-kit";

const LOCAL = { allowPrivateTargets: true };
const PUBLIC = { allowPrivateTargets: false };
const SAS = "sv=2025-11-05&se=2099-01-01T00%3A00%3A00Z&sp=a&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D";

const uniqueQueue = () => `taih-${crypto.randomBytes(6).toString("hex")}`;

function message(extra: Record<string, unknown> = {}): OutboundMessage {
  const eventId = crypto.randomUUID();
  const signature = crypto.randomBytes(32).toString("base64");
  const body = JSON.stringify({ id: eventId, type: "coach.nudge.created", data: { note: 'café <&> "q" 😀\n', ...extra }, signature });
  return { eventId, eventType: "coach.nudge.created", body, signature };
}

describe("azure_storage_queue parse/describe", () => {
  it("splits settings from the write-only SAS token and never describes secrets", () => {
    const d = adapter.parse({ accountName: "acmehealth", queueName: "thrive-events", sasToken: `?${SAS}` }, PUBLIC);
    expect(d).toEqual({ type: "azure_storage_queue", settings: { accountName: "acmehealth", queueName: "thrive-events" }, secrets: { sasToken: SAS } });
    expect(adapter.describe(d)).toEqual({ accountName: "acmehealth", queueName: "thrive-events", endpoint: null });
  });

  it("takes the endpoint from a connection string and keeps the key write-only", () => {
    const cs = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};QueueEndpoint=http://127.0.0.1:10001/${AZURITE_ACCOUNT};`;
    const d = adapter.parse({ accountName: AZURITE_ACCOUNT, queueName: "events", connectionString: cs }, LOCAL);
    expect(d.settings).toEqual({
      accountName: AZURITE_ACCOUNT,
      queueName: "events",
      endpoint: `http://127.0.0.1:10001/${AZURITE_ACCOUNT}`,
      [PRIVATE_TARGETS_SETTING]: "true",
    });
    expect(adapter.describe(d)).toEqual({ accountName: AZURITE_ACCOUNT, queueName: "events", endpoint: `http://127.0.0.1:10001/${AZURITE_ACCOUNT}` });
    expect(d.secrets).toEqual({ connectionString: cs });
    expect(JSON.stringify(adapter.describe(d))).not.toContain(AZURITE_KEY);
  });

  it("names every missing field", () => {
    expect(detailStrings(() => adapter.parse({}, PUBLIC))).toEqual([
      "azure_storage_queue.account_name:required",
      "azure_storage_queue.queue_name:required",
      "azure_storage_queue.sas_token:required",
    ]);
  });

  it.each([
    ["upper-case account", { accountName: "Acme", queueName: "events", sasToken: SAS }, "azure_storage_queue.account_name:invalid_value"],
    ["short queue name", { accountName: "acme", queueName: "ab", sasToken: SAS }, "azure_storage_queue.queue_name:invalid_value"],
    ["double hyphen in queue name", { accountName: "acme", queueName: "bad--name", sasToken: SAS }, "azure_storage_queue.queue_name:invalid_value"],
    ["a SAS that is not one", { accountName: "acme", queueName: "events", sasToken: "not a sas" }, "azure_storage_queue.sas_token:invalid_value"],
    [
      "plain-http endpoint",
      { accountName: "acme", queueName: "events", sasToken: SAS, endpoint: "http://acme.example.com" },
      "azure_storage_queue.endpoint:invalid_value",
    ],
    [
      "loopback endpoint",
      { accountName: "acme", queueName: "events", sasToken: SAS, endpoint: "https://127.0.0.1:10001/acme" },
      "azure_storage_queue.endpoint:invalid_value",
    ],
    [
      "endpoint with a query",
      { accountName: "acme", queueName: "events", sasToken: SAS, endpoint: `https://acme.example.com/?${SAS}` },
      "azure_storage_queue.endpoint:invalid_value",
    ],
    [
      "both secrets",
      { accountName: "acme", queueName: "events", sasToken: SAS, connectionString: "AccountName=acme;AccountKey=abcd" },
      "azure_storage_queue.connection_string:invalid_value",
    ],
    [
      "connection string for another account",
      { accountName: "acme", queueName: "events", connectionString: `AccountName=other;AccountKey=${AZURITE_KEY}` },
      "azure_storage_queue.connection_string:invalid_value",
    ],
    [
      "UseDevelopmentStorage",
      { accountName: "acme", queueName: "events", connectionString: "UseDevelopmentStorage=true" },
      "azure_storage_queue.connection_string:invalid_value",
    ],
    ["an unknown field", { accountName: "acme", queueName: "events", sasToken: SAS, queueArn: "x" }, "azure_storage_queue.queue_arn:unknown_field"],
  ])("rejects %s", (_label, input, expected) => {
    expect(detailStrings(() => adapter.parse(input, PUBLIC))).toEqual([expected]);
  });

  it("never echoes a secret in validation messages", () => {
    const cs = `AccountName=other;AccountKey=${AZURITE_KEY}`;
    let thrown: unknown;
    try {
      adapter.parse({ accountName: "acme", queueName: "events", connectionString: cs }, PUBLIC);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    const { message, details } = thrown as DomainError;
    expect(JSON.stringify({ message, details })).not.toContain(AZURITE_KEY);
  });
});

describe("azure_storage_queue against Azurite", () => {
  let azurite: AzuriteQueue;
  const queues: QueueClient[] = [];
  const openQueue = async (name = uniqueQueue()) => {
    const q = new QueueClient(`${azurite.endpoint}/${name}`, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
    await q.create();
    queues.push(q);
    return q;
  };
  const withKey = (queueName: string, key = AZURITE_KEY): QueueDestination =>
    adapter.parse(
      {
        accountName: AZURITE_ACCOUNT,
        queueName,
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};QueueEndpoint=${azurite.endpoint};`,
      },
      LOCAL,
    );
  const receiveAll = async (q: QueueClient, count: number) => {
    const got: string[] = [];
    return waitFor(async () => {
      const { receivedMessageItems } = await q.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
      got.push(...receivedMessageItems.map((m) => m.messageText));
      return got.length >= count ? got : undefined;
    });
  };

  beforeAll(async () => {
    azurite = await startAzuriteQueue();
  });
  afterAll(async () => {
    await Promise.allSettled(queues.map((q) => q.deleteIfExists()));
    await azurite?.stop();
  });

  it("stores the envelope byte for byte (account key), concurrently", async () => {
    const q = await openQueue();
    const publisher = await adapter.connect(withKey(q.name));
    const sent = Array.from({ length: 10 }, (_, i) => message({ i }));
    await Promise.all(sent.map((m) => publisher.publish(m, 5000)));
    const got = await receiveAll(q, sent.length);
    expect(got.sort()).toEqual(sent.map((m) => m.body).sort());
    await publisher.close();
    await publisher.close();
    await expect(publisher.publish(message(), 1000)).rejects.toThrow("closed");
  });

  it("publishes with a queue SAS token (add permission only)", async () => {
    const q = await openQueue();
    const sasUrl = q.generateSasUrl({
      permissions: QueueSASPermissions.parse("a"),
      expiresOn: new Date(Date.now() + 15 * 60_000),
      protocol: SASProtocol.HttpsAndHttp,
    });
    const d = adapter.parse({ accountName: AZURITE_ACCOUNT, queueName: q.name, endpoint: azurite.endpoint, sasToken: new URL(sasUrl).search }, LOCAL);
    const publisher = await adapter.connect(d);
    const m = message();
    await publisher.publish(m, 5000);
    expect(await receiveAll(q, 1)).toEqual([m.body]);
    await publisher.close();
  });

  it("rejects a missing queue with a clear message", async () => {
    const publisher = await adapter.connect(withKey(uniqueQueue()));
    await expect(publisher.publish(message(), 5000)).rejects.toThrow("The Azure Storage queue does not exist (QueueNotFound)");
    await publisher.close();
  });

  it("rejects a wrong key or SAS signature without leaking it", async () => {
    const q = await openQueue();
    const wrongKey = crypto.randomBytes(64).toString("base64");
    const wrongSig = encodeURIComponent(crypto.randomBytes(32).toString("base64"));
    const sas = `sv=2025-11-05&spr=https,http&se=2099-01-01T00%3A00%3A00Z&sp=a&sig=${wrongSig}`;
    const viaSas = adapter.parse({ accountName: AZURITE_ACCOUNT, queueName: q.name, endpoint: azurite.endpoint, sasToken: sas }, LOCAL);
    for (const [d, secret] of [
      [withKey(q.name, wrongKey), wrongKey],
      [viaSas, wrongSig],
    ] as const) {
      const publisher = await adapter.connect(d);
      const err: Error = await publisher.publish(message(), 5000).then(
        () => new Error("published"),
        (e: Error) => e,
      );
      expect(err.message).toMatch(/^Azure Storage refused the credentials \((AuthenticationFailed|AuthorizationFailure)\)/);
      for (const s of [secret, decodeURIComponent(secret), AZURITE_KEY]) expect(`${err.message} ${err.stack}`).not.toContain(s);
      await publisher.close();
    }
  });

  it("rejects within the timeout when the endpoint never answers, and drops the connection", async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s))
        .on("error", () => undefined)
        .resume();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const d = adapter.parse(
        { accountName: AZURITE_ACCOUNT, queueName: "never-answers", endpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`, sasToken: SAS },
        LOCAL,
      );
      const publisher = await adapter.connect(d);
      const started = Date.now();
      await expect(publisher.publish(message(), 300)).rejects.toThrow("did not acknowledge the message within 300 ms");
      expect(Date.now() - started).toBeGreaterThanOrEqual(295);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(sockets.size).toBeGreaterThan(0);
      await waitFor(async () => (sockets.size === 0 ? true : undefined), { timeoutMs: 3000 });
      await publisher.close();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it("reports an endpoint with nothing listening as unreachable", async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const d = adapter.parse({ accountName: AZURITE_ACCOUNT, queueName: "nobody-home", endpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`, sasToken: SAS }, LOCAL);
    const publisher = await adapter.connect(d);
    await expect(publisher.publish(message(), 5000)).rejects.toThrow("Could not reach the Azure Storage queue endpoint (ECONNREFUSED)");
    await publisher.close();
  });

  it("refuses a private address at publish time unless parse allowed private targets", async () => {
    const d: QueueDestination = {
      type: "azure_storage_queue",
      settings: { accountName: AZURITE_ACCOUNT, queueName: "events", endpoint: azurite.endpoint },
      secrets: { sasToken: SAS },
    };
    const publisher = await adapter.connect(d);
    await expect(publisher.publish(message(), 5000)).rejects.toThrow("private, loopback or link-local");
    await publisher.close();
  });
});

import crypto from "node:crypto";
import http from "node:http";
import type net from "node:net";
import { httpsWebhookAdapter } from "../../resolvers/event-stream/adapters/https-webhook.adapter";
import type { QueueDestination, QueuePublisher } from "../../resolvers/event-stream/adapters/types";
import { isPrivateAddress } from "../../resolvers/event-stream/adapters/url-guard";
import { detailsOf, sampleMessage } from "../helpers/adapter-kit";
import { waitFor } from "../helpers/harness";

const allow = { allowPrivateTargets: true };
const deny = { allowPrivateTargets: false };

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
const publishers: QueuePublisher[] = [];
let server: http.Server;
let base: string;

/** Paths: /ok → 204, /fail → 500 with a long body, /redirect → 302, /hang → never answers. */
function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const path = req.url ?? "";
    received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString() });
    if (path.startsWith("/ok")) res.writeHead(204).end();
    else if (path.startsWith("/fail")) res.writeHead(500).end(`${"x".repeat(400)}BODY_TAIL`);
    else if (path.startsWith("/redirect")) res.writeHead(302, { location: `${base}/ok` }).end();
  });
}

async function open(url: string): Promise<QueuePublisher> {
  const publisher = await httpsWebhookAdapter.connect(httpsWebhookAdapter.parse({ url }, allow));
  publishers.push(publisher);
  return publisher;
}

const forPath = (prefix: string) => received.filter((r) => r.path.startsWith(prefix));

beforeAll(async () => {
  server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all(publishers.map((p) => p.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("https_webhook adapter", () => {
  test("parse keeps the whole URL secret and shows it with password and query values masked", () => {
    expect(httpsWebhookAdapter.parse({ url: "https://app:s3cret-pw@hooks.example.com/in?token=abc123" }, deny)).toEqual({
      type: "https_webhook",
      settings: { url: "https://app:***@hooks.example.com/in?token=***" },
      secrets: { url: "https://app:s3cret-pw@hooks.example.com/in?token=abc123" },
    });
  });

  test("parse refuses plain http, private and loopback hosts unless private targets are allowed", () => {
    const invalid = [{ field: "https_webhook.url", code: "invalid_value" }];
    for (const url of [
      "http://127.0.0.1/hook",
      "http://hooks.example.com/hook",
      "https://10.0.0.1/hook",
      "https://localhost/hook",
      "https://[::1]/hook",
      "https://[::ffff:192.168.0.1]/hook",
      "https://169.254.169.254/latest",
      "https://0x7f.1/hook",
      "ftp://hooks.example.com",
      "not a url",
    ]) {
      expect(detailsOf(() => httpsWebhookAdapter.parse({ url }, deny))).toEqual(invalid);
    }
    expect(detailsOf(() => httpsWebhookAdapter.parse({}, deny))).toEqual([{ field: "https_webhook.url", code: "required" }]);
    expect(detailsOf(() => httpsWebhookAdapter.parse({ url: `https://hooks.example.com/${"a".repeat(3000)}` }, deny))).toEqual([
      { field: "https_webhook.url", code: "too_long" },
    ]);
    expect(httpsWebhookAdapter.parse({ url: "http://127.0.0.1:8080/hook" }, allow).secrets.url).toBe("http://127.0.0.1:8080/hook");
  });

  test("the private-address check covers every reserved range and IPv6 form", () => {
    const privates = [
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "127.0.0.2",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fd12::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:a00:1",
      "64:ff9b::a00:1",
      "2002:c0a8:101::1",
    ];
    const publics = ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"];
    expect(privates.filter((a) => !isPrivateAddress(a))).toEqual([]);
    expect(publics.filter((a) => isPrivateAddress(a))).toEqual([]);
  });

  test("describe never shows the password or query secrets", () => {
    const shown = httpsWebhookAdapter.describe(httpsWebhookAdapter.parse({ url: "https://app:s3cret-pw@hooks.example.com/in?sig=zz9" }, deny));
    expect(shown).toEqual({ url: "https://app:***@hooks.example.com/in?sig=***" });
    expect(JSON.stringify(shown)).not.toMatch(/s3cret-pw|zz9/);
  });

  test("a delivered event is the exact envelope with the signature, id and type headers", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const publisher = await open(`${base}${path}`);
    const sent = sampleMessage();
    await publisher.publish(sent, 5000);
    const [got] = await waitFor(async () => (forPath(path).length > 0 ? forPath(path) : undefined));
    expect(got.body).toBe(sent.body);
    expect(got.headers).toMatchObject({
      "content-type": "application/json",
      "taih-signature": sent.signature,
      "taih-event-id": sent.eventId,
      "taih-event-type": sent.eventType,
    });
  });

  test("concurrent publishes on one publisher are all delivered (host name pinned to its checked addresses)", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const publisher = await open(`${base.replace("127.0.0.1", "localhost")}${path}`);
    const sent = Array.from({ length: 20 }, () => sampleMessage());
    await Promise.all(sent.map((m) => publisher.publish(m, 5000)));
    expect(
      forPath(path)
        .map((r) => r.body)
        .sort(),
    ).toEqual(sent.map((m) => m.body).sort());
  });

  test("a non-2xx answer rejects with the status and at most 200 characters of the body", async () => {
    const publisher = await open(`${base}/fail/${crypto.randomUUID()}`);
    const err: Error = await publisher.publish(sampleMessage(), 5000).then(
      () => new Error("published"),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/^The webhook answered HTTP 500: x+$/);
    expect(err.message).not.toContain("BODY_TAIL");
    expect(err.message.length).toBeLessThanOrEqual(300);
  });

  test("redirects are not followed", async () => {
    const path = `/redirect/${crypto.randomUUID()}`;
    const before = forPath("/ok").length;
    const publisher = await open(`${base}${path}`);
    await expect(publisher.publish(sampleMessage(), 5000)).rejects.toThrow(/HTTP 302 \(redirects are not followed\)/);
    expect(forPath(path)).toHaveLength(1);
    expect(forPath("/ok")).toHaveLength(before);
  });

  test("a webhook that never answers rejects within the timeout", async () => {
    const publisher = await open(`${base}/hang/${crypto.randomUUID()}`);
    const started = Date.now();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("a host name resolving to a loopback address is refused at send time, before any request", async () => {
    const port = (server.address() as net.AddressInfo).port;
    for (const url of [`http://localhost:${port}/ok/ssrf`, `https://localhost:${port}/ok/ssrf`]) {
      const destination: QueueDestination = { type: "https_webhook", settings: { url }, secrets: { url } };
      const publisher = await httpsWebhookAdapter.connect(destination);
      publishers.push(publisher);
      await expect(publisher.publish(sampleMessage(), 5000)).rejects.toThrow(/private, loopback or link-local/);
    }
    expect(forPath("/ok/ssrf")).toHaveLength(0);
  });

  test("connection errors never echo credentials, and close is idempotent", async () => {
    const publisher = await open("http://app:s3cret-pw@127.0.0.1:1/hook?token=abc123");
    const err: Error = await publisher.publish(sampleMessage(), 5000).then(
      () => new Error("published"),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/^The webhook request failed: .*ECONNREFUSED/);
    expect(err.message).not.toMatch(/s3cret-pw|abc123/);
    await publisher.close();
    await publisher.close();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/closed/);
  });
});

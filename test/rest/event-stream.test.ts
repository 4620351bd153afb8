import crypto from "node:crypto";
import { EventRecord } from "../../entities/event-stream/event.entity";
import { ADAPTERS, Dispatcher, emitEvent, verifySignature } from "../../resolvers/event-stream";
import { RETRY_DELAYS_MS } from "../../resolvers/event-stream/delivery-policy";
import { expectError, startHarness, waitFor, type Harness, type TestTenant } from "../helpers/harness";
import { startReceiver } from "../helpers/webhook-receiver";

/** Real time unless a test freezes it; the dispatcher reads time only through deps.now(). */
const clock: { frozen: number | null } = { frozen: null };
const now = () => new Date(clock.frozen ?? Date.now());
let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let dispatcher: Dispatcher;

beforeAll(async () => {
  h = await startHarness({ isolated: true, env: { EVENT_WEBHOOK_ALLOW_PRIVATE: "true", EVENT_ACK_TIMEOUT_MS: "2000" }, now });
  receiver = await startReceiver();
  dispatcher = new Dispatcher(h.app.deps, ADAPTERS);
});
afterAll(async () => {
  await dispatcher.close();
  await receiver.close();
  await h.stop();
});
beforeEach(() => {
  receiver.state.status = 200;
  clock.frozen = null;
});

const webhook = (url = receiver.url) => ({ type: "https_webhook", https_webhook: { url } });
const register = (t: TestTenant, queue: string, body: unknown = webhook()) => h.req("POST", `/v1/admin/org/queues/${queue}`, { key: t.key, body });
const eventsOf = (t: TestTenant) => h.em().find(EventRecord, { org: t.orgId }, { orderBy: { createdAt: "asc" } });

describe("queue registration", () => {
  it("test-publishes a signed test.ping before saving and returns the documented shape", async () => {
    const t = await h.tenant();
    const res = await register(t, "account");
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ queue_name: "account", type: "https_webhook", https_webhook: { url: receiver.url }, aws_sqs: null, amqp: null });
    expect(res.body.data.created_at).toMatch(/Z$/);
    const probe = receiver.received.find((r) => r.envelope.org_id === t.orgId && r.envelope.event_type === "test.ping");
    expect(probe).toBeDefined();
    expect(verifySignature(t.signingSecret, probe!.envelope as any)).toBe(true);
    expect((await h.req("GET", "/v1/admin/org/queues/account", { key: t.key })).body.data).toEqual(res.body.data);
    expect((await h.req("GET", "/v1/admin/org/queues", { key: t.key })).body.data).toHaveLength(1);
  });

  it("enforces the documented 409, 404 and replace/delete semantics", async () => {
    const t = await h.tenant();
    expect((await register(t, "labs")).status).toBe(201);
    expectError(await register(t, "labs"), 409, "queue_already_configured");
    const replaced = await h.req("PUT", "/v1/admin/org/queues/labs", { key: t.key, body: webhook(`${receiver.url}?v=2`) });
    expect(replaced.status).toBe(200);
    // Query values can carry tokens: they are shown redacted.
    expect(replaced.body.data.https_webhook.url).toBe(`${receiver.url}?v=***`);
    expect((await h.req("DELETE", "/v1/admin/org/queues/labs", { key: t.key })).status).toBe(204);
    expectError(await h.req("GET", "/v1/admin/org/queues/labs", { key: t.key }), 404, "queue_not_configured");
    expectError(await h.req("PUT", "/v1/admin/org/queues/labs", { key: t.key, body: webhook() }), 404, "queue_not_configured");
  });

  it("stores nothing and answers 400 invalid_request with the provider's error when the test publish fails", async () => {
    const t = await h.tenant();
    receiver.state.status = 503;
    const res = await register(t, "jobs");
    expectError(res, 400, "invalid_request");
    expect(res.body.error.message).toContain("503");
    expectError(await h.req("GET", "/v1/admin/org/queues/jobs", { key: t.key }), 404, "queue_not_configured");
  });

  it("validates the queue name, the type and its settings", async () => {
    const t = await h.tenant();
    const bad = await register(t, "nope");
    expectError(bad, 422, "validation_error");
    expect(bad.body.error.details[0].field).toBe("queue_name");
    // Reading a name that can never hold a queue is the same 404 as reading an unconfigured one.
    expectError(await h.req("GET", "/v1/admin/org/queues/nope", { key: t.key }), 404, "queue_not_configured");
    expectError(await h.req("DELETE", "/v1/admin/org/queues/nope", { key: t.key }), 404, "queue_not_configured");
    const missing = await register(t, "labs", { type: "amqp" });
    expect(missing.body.error.details[0]).toMatchObject({ field: "amqp", code: "required" });
    const wrongType = await register(t, "labs", { type: "carrier_pigeon" });
    expect(wrongType.body.error.details[0]).toMatchObject({ field: "type", code: "invalid_value" });
    const mixed = await register(t, "labs", { ...webhook(), amqp: { url: "amqp://x", queue: "q" } });
    expect(mixed.body.error.details[0]).toMatchObject({ field: "amqp", code: "invalid_value" });
  });
});

describe("delivery", () => {
  it("delivers user.deleted with a verifiable signature and the exact body string", async () => {
    const t = await h.tenant();
    await register(t, "account");
    const m = await t.member();
    await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token });
    await dispatcher.drain();
    const got = await receiver.waitFor((r) => r.envelope.event_type === "user.deleted" && r.envelope.user_id === m.userId);
    const env = got.envelope;
    expect(Object.keys(env)).toEqual(["event_id", "event_type", "api_version", "org_id", "user_id", "occurred_at", "signed_at", "body", "signature"]);
    expect(env).toMatchObject({ api_version: "v1", org_id: t.orgId });
    expect(JSON.parse(env.body)).toEqual({ user_id: m.userId, deleted_at: expect.stringMatching(/Z$/) });
    expect(env.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifySignature(t.signingSecret, env as any)).toBe(true);
    expect(verifySignature(t.signingSecret, { ...(env as any), body: env.body.replace("Z", "z") })).toBe(false);
    expect(got.headers["taih-signature"]).toBe(env.signature);
    const [row] = (await eventsOf(t)).filter((e) => e.eventType === "user.deleted");
    expect(row.status).toBe("delivered");
    expect(row.body).toBe(env.body);
  });

  it("buffers events of a stream with no queue, then delivers them once one is registered", async () => {
    const t = await h.tenant();
    const m = await t.member();
    await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token });
    expect((await dispatcher.drain()).claimed).toBe(0);
    expect((await eventsOf(t))[0].status).toBe("pending");
    await register(t, "default");
    await dispatcher.drain();
    await receiver.waitFor((r) => r.envelope.event_type === "user.deleted" && r.envelope.user_id === m.userId);
    expect((await eventsOf(t))[0].status).toBe("delivered");
  });

  it("retries on the documented schedule, recording every attempt, then marks the event failed", async () => {
    const t = await h.tenant();
    await register(t, "account");
    receiver.state.status = 500;
    const m = await t.member();
    await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token });
    const [ev] = await eventsOf(t);
    const start = Date.now() + 1000;
    clock.frozen = start;
    let elapsed = 0;
    expect((await dispatcher.drain()).failed).toBe(1);
    for (const delay of RETRY_DELAYS_MS) {
      clock.frozen = start + elapsed + delay - 1000; // just before the retry is due: nothing happens
      expect((await dispatcher.drain()).claimed).toBe(0);
      elapsed += delay;
      clock.frozen = start + elapsed;
      expect((await dispatcher.drain()).claimed).toBe(1);
    }
    const detail = await h.req("GET", `/v1/admin/org/events/${ev.id}`, { key: t.key });
    expect(detail.body.data.status).toBe("failed");
    expect(detail.body.data.attempts).toBe(7);
    const attempts = detail.body.data.delivery_attempts;
    expect(attempts.map((a: any) => a.outcome)).toEqual(Array(7).fill("failed"));
    const gaps = attempts.slice(1).map((a: any, i: number) => Date.parse(a.attempted_at) - Date.parse(attempts[i].attempted_at));
    expect(gaps).toEqual([...RETRY_DELAYS_MS]);
    expect(attempts[0]).toMatchObject({ queue_name: "account", queue_type: "https_webhook", error: expect.stringContaining("500") });
    clock.frozen += 7 * 86_400_000;
    expect((await dispatcher.drain()).claimed).toBe(0);

    // Replay: same event_id, delivered on a fresh schedule.
    receiver.state.status = 200;
    const replay = await h.req("POST", `/v1/admin/org/events/${ev.id}/replay`, { key: t.key });
    expect(replay.status).toBe(202);
    expect(replay.body.data).toEqual({ event_id: ev.id, status: "accepted" });
    await dispatcher.drain();
    await receiver.waitFor((r) => r.envelope.event_id === ev.id && receiver.state.status === 200);
    expect((await h.req("GET", `/v1/admin/org/events/${ev.id}`, { key: t.key })).body.data.status).toBe("delivered");
  });

  it("signs with every valid secret during a rotation's grace window", async () => {
    const t = await h.tenant();
    await register(t, "account");
    const rotated = await h.req("POST", "/v1/auth/signing-secret/rotate", { key: t.key });
    const fresh = rotated.body.data.secret as string;
    const m = await t.member();
    await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token });
    await dispatcher.drain();
    const env = (await receiver.waitFor((r) => r.envelope.user_id === m.userId)).envelope as any;
    expect(env.signature.split(" ")).toHaveLength(2);
    expect(verifySignature(fresh, env)).toBe(true);
    expect(verifySignature(t.signingSecret, env)).toBe(true);
  });

  it("sends a test.ping to one queue on request", async () => {
    const t = await h.tenant();
    await register(t, "coaching");
    const res = await h.req("POST", "/v1/admin/org/queues/coaching/test", { key: t.key });
    expect(res.status).toBe(202);
    await dispatcher.drain();
    const got = await receiver.waitFor((r) => r.envelope.event_id === res.body.data.event_id);
    expect(JSON.parse(got.envelope.body)).toEqual({ message: expect.any(String), queue_name: "coaching" });
  });
});

describe("operator API", () => {
  it("lists events with filters and keeps partners apart", async () => {
    const t = await h.tenant();
    const other = await h.tenant();
    const m = await t.member();
    await h
      .em()
      .transactional((em) =>
        emitEvent(em, { orgId: t.orgId, type: "program.updated", body: { user_id: m.userId, reason: "weekly adaptation" }, subjectUserId: m.userId, occurredAt: now() }),
      );
    await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token });
    const all = await h.req("GET", "/v1/admin/org/events", { key: t.key });
    expect(all.body.pagination.total).toBe(2);
    const typed = await h.req("GET", "/v1/admin/org/events?event_type=user.deleted&status=pending", { key: t.key });
    expect(typed.body.data.map((e: any) => e.event_type)).toEqual(["user.deleted"]);
    expect(typed.body.data[0]).toMatchObject({ user_id: m.userId, api_version: "v1", attempts: 0, body: { user_id: m.userId } });
    const byUser = await h.req("GET", `/v1/admin/org/events?user_id=${crypto.randomUUID()}`, { key: t.key });
    expect(byUser.body.pagination.total).toBe(0);
    expectError(await h.req("GET", `/v1/admin/org/events/${typed.body.data[0].event_id}`, { key: other.key }), 404, "not_found");
    expectError(await h.req("POST", `/v1/admin/org/events/${typed.body.data[0].event_id}/replay`, { key: other.key }), 404, "not_found");
    expect((await h.req("GET", "/v1/admin/org/events", { key: other.key })).body.pagination.total).toBe(0);
    expectError(await h.req("GET", "/v1/admin/org/events?status=lost", { key: t.key }), 422, "validation_error");
  });
});

describe("a running dispatcher", () => {
  it("delivers within moments of the commit, woken by NOTIFY", async () => {
    const live = await startHarness({ isolated: true, runWorkers: true, env: { EVENT_WEBHOOK_ALLOW_PRIVATE: "true", EVENT_POLL_MS: "60000", EVENT_DISPATCH: "true" } });
    try {
      const t = await live.tenant();
      await live.req("POST", "/v1/admin/org/queues/account", { key: t.key, body: webhook() });
      const m = await t.member();
      const started = Date.now();
      await live.req("DELETE", `/v1/users/${m.userId}`, { token: m.token });
      await waitFor(async () => receiver.received.find((r) => r.envelope.user_id === m.userId), { timeoutMs: 5000, intervalMs: 10 });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await live.stop();
    }
  });
});

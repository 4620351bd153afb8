import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page, type WebSocket as PageSocket } from "playwright-core";
import { emitEvent } from "../../resolvers/event-stream/emit";
import { CHROMIUM_LAUNCH, chromiumObtainable, ensureChromium } from "../helpers/chromium";
import { startHarness, waitFor, type Harness, type TestMember, type TestTenant } from "../helpers/harness";
import { decodePng, hex, near } from "../helpers/png";

/**
 * The live nudge dashboard end to end: the real server, Debian's Chromium driven by playwright-core
 * (headless, loopback only), a real tenant key, nudges committed to the real outbox.
 */
const withBrowser = chromiumObtainable() ? describe : describe.skip;
let h: Harness;
let browser: Browser;
const contexts: BrowserContext[] = [];
const ARTIFACTS = path.join(__dirname, "..", "artifacts");
const VIEWPORT = { width: 1024, height: 768 };

/** A page on the dashboard that records every request and WebSocket it opens. */
async function openDashboard() {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  contexts.push(context);
  const page = await context.newPage();
  const requests: string[] = [];
  const sockets: PageSocket[] = [];
  const frames: string[] = [];
  /** Script errors and console errors (a CSP violation is reported as one). */
  const problems: string[] = [];
  page.on("pageerror", (e) => void problems.push(e.message));
  page.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
  page.on("request", (r) => void requests.push(r.url()));
  page.on("websocket", (ws) => {
    sockets.push(ws);
    ws.on("framereceived", (f) => void frames.push(String(f.payload)));
  });
  const response = await page.goto(`${h.baseUrl}/dashboard`);
  expect(response?.status()).toBe(200);
  return { context, page, requests, sockets, frames, problems, headers: response!.headers() };
}

async function signIn(page: Page, key: string) {
  await page.locator("#tenant-key").fill(key);
  await page.locator("#signin-button").click();
}

/** Fires a detector now through the sandbox route: the same path as a scheduled firing (card, event, subscription). */
async function fire(t: TestTenant, m: TestMember, trigger = "morning_report"): Promise<{ eventId: string; targetId: string }> {
  const r = await h.req("POST", `/v1/admin/sandbox/users/${m.userId}/nudges`, { key: t.key, body: { trigger_name: trigger } });
  expect({ status: r.status, type: r.body?.data?.target?.type }).toEqual({ status: 201, type: "card" });
  return { eventId: r.body.data.event_id, targetId: r.body.data.target.id };
}

/**
 * Commits a `coach.nudge.created` event directly (outbox row + NOTIFY in one transaction, as a
 * firing does), for content no detector would write: hostile text, a `basic` event with no card.
 */
async function emitNudge(t: TestTenant, m: TestMember, trigger: string, data?: Record<string, unknown>): Promise<{ eventId: string; targetId: string }> {
  const targetId = crypto.randomUUID();
  const body: Record<string, unknown> = {
    user_id: m.userId,
    trigger_name: trigger,
    delivery: data ? "full" : "basic",
    target: { type: "card", id: targetId },
    ...(data ? { data: { card_item_id: targetId, ...data } } : {}),
  };
  const ev = await h.em().transactional((em) => emitEvent(em, { orgId: t.orgId, type: "coach.nudge.created", subjectUserId: m.userId, occurredAt: new Date(), body }));
  return { eventId: ev.id, targetId };
}

/** graphql-ws has no subscribe acknowledgement: send warm-up nudges until the page shows one. */
async function primed(page: Page, send: () => Promise<unknown>) {
  await waitFor(async () => {
    await send();
    return page
      .locator("li.nudge")
      .first()
      .waitFor({ timeout: 1_000 })
      .then(
        () => true,
        () => undefined,
      );
  });
}

const item = (page: Page, eventId: string) => page.locator(`li.nudge[data-event-id="${eventId}"]`);

withBrowser("live nudge dashboard (headless Chromium)", () => {
  beforeAll(async () => {
    const executable = await ensureChromium();
    h = await startHarness();
    browser = await chromium.launch({ ...CHROMIUM_LAUNCH, executablePath: executable });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  it("signs in with a tenant key, shows the org's nudges live, newest first, and screenshots them", async () => {
    const t = await h.tenant();
    expect((await h.req("PATCH", "/v1/admin/org", { key: t.key, body: { nudge_delivery: "full" } })).status).toBe(200);
    const [ana, ben] = [await t.member(), await t.member()];
    const { context, page, requests, problems, headers } = await openDashboard();

    const csp = headers["content-security-policy"];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe");
    expect((await h.req("GET", "/v1/openapi.json")).text).not.toContain("/dashboard");

    await signIn(page, t.key);
    await page.locator('#status[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await page.locator("#status-text").textContent()).toBe("Live");
    await primed(page, () => fire(t, ana));

    const earlier = await fire(t, ben, "daily_content_recommendation");
    await item(page, earlier.eventId).waitFor({ timeout: 5_000 });
    const started = Date.now();
    const latest = await fire(t, ana, "morning_report");
    const shown = item(page, latest.eventId);
    await shown.waitFor({ timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(5_000);

    // Newest first, with what an operator needs: trigger, target, member, time, and the inline card.
    expect(await page.locator("li.nudge").first().getAttribute("data-event-id")).toBe(latest.eventId);
    expect(await page.locator("li.nudge").nth(1).getAttribute("data-event-id")).toBe(earlier.eventId);
    expect(await shown.locator(".trigger").textContent()).toBe("morning_report");
    expect(await item(page, earlier.eventId).locator(".trigger").textContent()).toBe("daily_content_recommendation");
    expect(await shown.locator("dd").allTextContents()).toEqual([`card ${latest.targetId}`, ana.userId]);
    expect(await item(page, earlier.eventId).locator("dd").allTextContents()).toEqual([`card ${earlier.targetId}`, ben.userId]);
    expect(Number.isNaN(Date.parse((await shown.locator("time").getAttribute("datetime"))!))).toBe(false);
    const card = await h.req("GET", `/v1/users/${ana.userId}/cards/${latest.targetId}`, { token: ana.token });
    expect(card.status).toBe(200);
    expect(await shown.locator(".card h3").textContent()).toBe(card.body.data.item_header);
    expect(await shown.locator(".card .main").textContent()).toBe(card.body.data.item_body.main);

    // The key lives in page memory only.
    const traces = await page.evaluate((key) => {
      const w = globalThis as any; // runs in the page (this project compiles without the DOM lib)
      const dump = (s: object) => JSON.stringify(Object.entries(s));
      return {
        local: dump(w.localStorage).includes(key),
        session: dump(w.sessionStorage).includes(key),
        cookie: String(w.document.cookie).includes(key),
        url: String(w.location.href).includes(key),
        dom: String(w.document.documentElement.outerHTML).includes(key),
        input: w.document.getElementById("tenant-key").value,
      };
    }, t.key);
    expect(traces).toEqual({ local: false, session: false, cookie: false, url: false, dom: false, input: "" });
    expect(JSON.stringify(await context.storageState())).not.toContain(t.key);
    expect(page.url()).toBe(`${h.baseUrl}/dashboard`);

    // Everything came from this server (no CDN), including the graphql-ws client.
    expect(requests.filter((u) => !u.startsWith(`${h.baseUrl}/`))).toEqual([]);
    expect(requests).toContain(`${h.baseUrl}/dashboard/graphql-ws.js`);
    expect(problems).toEqual([]);

    // Screenshot: the right size, not blank, with the card stripe and the green "connected" dot painted.
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, "dashboard-nudges.png");
    const png = decodePng(await page.screenshot({ path: file }));
    expect({ width: png.width, height: png.height }).toEqual(VIEWPORT);
    const colours = new Set<string>();
    for (let y = 0; y < png.height; y += 3) for (let x = 0; x < png.width; x += 3) colours.add(png.rgb(x, y).join());
    expect(colours.size).toBeGreaterThan(20);
    const box = (await shown.boundingBox())!;
    const stripe = Array.from({ length: Math.floor(box.height) - 8 }, (_, i) => png.rgb(Math.floor(box.x) + 3, Math.floor(box.y) + 4 + i));
    expect(stripe.filter((p) => near(p, hex("#0b6bcb"))).length / stripe.length).toBeGreaterThan(0.9);
    const dot = (await page.locator("#status .dot").boundingBox())!;
    expect(near(png.rgb(Math.round(dot.x + dot.width / 2), Math.round(dot.y + dot.height / 2)), hex("#1a7f37"))).toBe(true);
    const cardBox = (await shown.locator(".card").boundingBox())!;
    expect(near(png.rgb(Math.floor(cardBox.x + cardBox.width) - 6, Math.floor(cardBox.y) + 6), hex("#eef5fc"), 6)).toBe(true);
  });

  it("shows a clear error for a rejected key and keeps no connection", async () => {
    const t = await h.tenant();
    const wrong = t.key.slice(0, -1) + (t.key.endsWith("A") ? "B" : "A");
    const { page, sockets, frames } = await openDashboard();
    await signIn(page, wrong);
    await page.locator('#status[data-state="rejected"]').waitFor({ timeout: 10_000 });
    expect(await page.locator("#error").textContent()).toMatch(/tenant key was rejected/);
    expect(await page.locator("#error").isVisible()).toBe(true);
    expect(await page.locator("#signin").isVisible()).toBe(true);
    expect(await page.locator("#tenant-key").inputValue()).toBe("");
    expect(sockets.length).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (sockets.every((s) => s.isClosed()) ? true : undefined), { timeoutMs: 5_000 });
    expect(frames.some((f) => f.includes("connection_ack"))).toBe(false);
    expect(sockets).toHaveLength(1);

    // The same page then signs in with the right key.
    await signIn(page, t.key);
    await page.locator('#status[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await page.locator("#error").isVisible()).toBe(false);
  });

  it("shows a basic nudge without a card, and nudge text as text, never as markup", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const { page, problems } = await openDashboard();
    await signIn(page, t.key);
    await page.locator('#status[data-state="connected"]').waitFor({ timeout: 10_000 });
    await primed(page, () => emitNudge(t, m, "bounce_back"));
    const basic = page.locator("li.nudge").first();
    expect(await basic.locator(".trigger").textContent()).toBe("bounce_back");
    expect(await basic.locator(".card").count()).toBe(0);
    const hostile = `<img src=x onerror="document.title='owned'">Hi`;
    const n = await emitNudge(t, m, "<b>bold</b>", { item_header: hostile, item_body: { main: "<script>document.title='owned'</script>", description: "", header: "" } });
    const shown = item(page, n.eventId);
    await shown.waitFor({ timeout: 5_000 });
    expect(await shown.locator(".trigger").textContent()).toBe("<b>bold</b>");
    expect(await shown.locator(".card h3").textContent()).toBe(hostile);
    expect(await page.locator("#nudges img, #nudges script, #nudges b").count()).toBe(0);
    expect(await page.title()).toBe("Thrive live nudges");
    expect(problems).toEqual([]);
  });
});

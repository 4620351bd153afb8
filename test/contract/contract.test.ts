import fs from "node:fs";
import path from "node:path";
import { ERROR_REGISTRY } from "../../resolvers/_shared/errors";
import { compileRoutes } from "../../rest-facade/compile";
import { buildOpenApi } from "../../rest-facade/openapi";
import { ROUTES } from "../../rest-facade/routes";
import { createSchema, printSortedSchema } from "../../server/schema";
import { startHarness } from "../helpers/harness";

const root = path.resolve(__dirname, "../..");

/** The routes this issue owns, as documented in ../shared/spec §3–6 and §13 (plus GET /v1/users). */
const DOCUMENTED = [
  "POST /v1/auth/token",
  "POST /v1/auth/tenant-key/rotate",
  "POST /v1/auth/signing-secret/rotate",
  "POST /v1/users",
  "GET /v1/users",
  "GET /v1/users/{user_id}",
  "PATCH /v1/users/{user_id}",
  "DELETE /v1/users/{user_id}",
  "GET /v1/users/{user_id}/health-profile",
  "GET /v1/users/{user_id}/privacy-settings",
  "PATCH /v1/users/{user_id}/privacy-settings",
  "GET /v1/users/{user_id}/jobs/{job_id}",
  // §7 programs, priorities, recommendations; sandbox program generation (issue 5)
  "GET /v1/users/{user_id}/program",
  "GET /v1/users/{user_id}/priorities",
  "PATCH /v1/users/{user_id}/priorities/{user_priority_id}", // [inferred] the statuses exist; no write was documented
  "POST /v1/users/{user_id}/recommended-actions/{recommendation_id}/accept",
  "POST /v1/admin/sandbox/users/{user_id}/program",
  // §10 health actions (GET one, PATCH, DELETE inferred)
  "GET /v1/users/{user_id}/health-actions",
  "POST /v1/users/{user_id}/health-actions",
  "GET /v1/users/{user_id}/health-actions/{health_action_id}",
  "PATCH /v1/users/{user_id}/health-actions/{health_action_id}",
  "DELETE /v1/users/{user_id}/health-actions/{health_action_id}",
  // §8 nudges (cards); sandbox nudge trigger (issue 5)
  "GET /v1/users/{user_id}/cards",
  "GET /v1/users/{user_id}/cards/{card_item_id}",
  "PATCH /v1/users/{user_id}/cards/{card_item_id}",
  "POST /v1/admin/sandbox/users/{user_id}/nudges",
  // §11 daily check-ins, §12 onboarding (task writes inferred), §15 notifications (PATCH inferred)
  "POST /v1/users/{user_id}/daily-check-ins",
  "GET /v1/users/{user_id}/daily-check-ins",
  "GET /v1/users/{user_id}/daily-check-ins/{check_in_id}",
  "GET /v1/users/{user_id}/onboarding",
  "POST /v1/users/{user_id}/onboarding/tasks/{task_id}/complete",
  "POST /v1/users/{user_id}/onboarding/tasks/{task_id}/skip",
  "GET /v1/users/{user_id}/notifications/state",
  "PATCH /v1/users/{user_id}/notifications/state",
  // §16 Device management (the OAuth callback is ours: the provider redirect target, OAUTH_CALLBACK_URL)
  "GET /v1/devices",
  "POST /v1/users/{user_id}/devices/auth/token",
  "GET /v1/devices/{provider_slug}/oauth-url",
  "GET /v1/devices/oauth/callback",
  "POST /v1/users/{user_id}/devices/actions/register",
  "POST /v1/users/{user_id}/devices/actions/refresh",
  "GET /v1/users/{user_id}/devices",
  "GET /v1/users/{user_id}/devices/{provider_slug}/status",
  "DELETE /v1/users/{user_id}/devices/{provider_slug}",
  // Metrics summaries (spec §17; body/workouts reads and sleep/stream paths inferred)
  "POST /v1/users/{user_id}/metrics/activity/summary",
  "POST /v1/users/{user_id}/metrics/sleep/summary",
  "POST /v1/users/{user_id}/metrics/body/summary",
  "POST /v1/users/{user_id}/metrics/workouts/summary",
  "GET /v1/users/{user_id}/metrics/activity/summary",
  "GET /v1/users/{user_id}/metrics/sleep/summary",
  "GET /v1/users/{user_id}/metrics/body/summary",
  "GET /v1/users/{user_id}/metrics/workouts/summary",
  "GET /v1/users/{user_id}/metrics/sleep/stream",
  "GET /v1/users/{user_id}/metrics/{metric}/measurements/{sample_id}",
  "GET /v1/users/{user_id}/metrics/{metric}/insights",
  // §17 timeseries (ingest is ours: the spec documents only the read)
  "POST /v1/users/{user_id}/metrics/{metric}/timeseries",
  "GET /v1/users/{user_id}/metrics/{metric}/timeseries",
  // Event stream (spec §20–21 queues; operator API and queue test are ours, issue 3)
  "GET /v1/admin/org/queues",
  "POST /v1/admin/org/queues/{queue_name}",
  "GET /v1/admin/org/queues/{queue_name}",
  "PUT /v1/admin/org/queues/{queue_name}",
  "DELETE /v1/admin/org/queues/{queue_name}",
  "POST /v1/admin/org/queues/{queue_name}/test",
  "GET /v1/admin/org/events",
  "GET /v1/admin/org/events/{event_id}",
  "POST /v1/admin/org/events/{event_id}/replay",
  // §21 Partner management (members and the public accept route are inferred; see resolvers/partners).
  "GET /v1/admin/org",
  "PATCH /v1/admin/org",
  "GET /v1/admin/org/members",
  "DELETE /v1/admin/org/members/{member_id}",
  "POST /v1/admin/org/invites",
  "GET /v1/admin/org/invites",
  "DELETE /v1/admin/org/invites/{invite_id}",
  "POST /v1/admin/org/invites/accept",
  "POST /v1/admin/org/tenant-keys",
  "GET /v1/admin/org/tenant-keys",
  "DELETE /v1/admin/org/tenant-keys/{key_id}",
];

describe("contract", () => {
  it("keeps schema/schema.graphql in sync with the code (run `npm run generate`)", async () => {
    const committed = fs.readFileSync(path.join(root, "schema/schema.graphql"), "utf8");
    expect(printSortedSchema(await createSchema())).toBe(committed);
  });

  it("maps every documented route exactly once, each to a valid named operation", async () => {
    const routes = compileRoutes(await createSchema(), ROUTES);
    const keys = routes.map((r) => `${r.method} ${r.path.replace(/:([a-z_]+)/g, "{$1}")}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...DOCUMENTED].sort());
    const names = routes.map((r) => r.operationName);
    expect(new Set(names).size).toBe(names.length);
    for (const r of routes) expect(r.operationName).toMatch(/^[A-Z][A-Za-z]+$/);
  });

  it("uses the spec's spelling: snake_case paths params and kebab-case segments", () => {
    for (const r of ROUTES) {
      for (const seg of r.path.split("/").filter(Boolean)) expect(seg).toMatch(/^(:[a-z_]+|[a-z0-9-]+)$/);
    }
  });

  it("generates an OpenAPI 3.1 document naming every route by operationId", async () => {
    const schema = await createSchema();
    const doc = buildOpenApi(schema, compileRoutes(schema, ROUTES));
    expect(doc.openapi).toBe("3.1.0");
    const ops = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => [`${m.toUpperCase()} ${p}`, (op as any).operationId]));
    expect(ops.map(([k]) => k).sort()).toEqual([...DOCUMENTED].sort());
    const getUser = (doc.paths["/v1/users/{user_id}"] as any).get;
    expect(getUser.security).toEqual([{ MemberBearer: [] }]);
    expect(getUser.responses["200"].content["application/json"].schema.properties.data.properties.profile.properties.weight_unit.type).toEqual(["string", "null"]);
    const list = (doc.paths["/v1/users"] as any).get;
    expect(list.parameters.map((p: any) => p.name ?? p.$ref)).toEqual(expect.arrayContaining(["limit", "offset"]));
    expect(Object.keys(list.responses["200"].content["application/json"].schema.properties)).toEqual(["data", "pagination"]);
  });

  it("gives every error code a 4xx/5xx status and partner-facing guidance", () => {
    for (const [code, e] of Object.entries(ERROR_REGISTRY)) {
      expect(code).toMatch(/^[a-z_]+$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.when.length).toBeGreaterThan(20);
    }
    for (const code of [
      "unauthorized",
      "not_found",
      "internal_error",
      "invalid_request",
      "validation_error",
      "conflict",
      "rate_limited",
      "queue_already_configured",
      "queue_not_configured",
      "cannot_revoke_self",
      "immutable_field",
    ]) {
      expect(ERROR_REGISTRY).toHaveProperty(code);
    }
  });

  it("has committed migrations that match the entities", async () => {
    const h = await startHarness();
    try {
      const diff = await h.app.deps.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: false });
      expect(diff.trim()).toBe("");
    } finally {
      await h.stop();
    }
  });

  it("serves the OpenAPI document and the interactive reference from npm packages", async () => {
    const h = await startHarness();
    try {
      const spec = await fetch(`${h.baseUrl}/v1/openapi.json`);
      expect(spec.status).toBe(200);
      expect(((await spec.json()) as { paths: Record<string, unknown> }).paths["/v1/users"]).toBeDefined();
      const page = await fetch(`${h.baseUrl}/docs/api-reference`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("swagger-ui");
      expect(html).not.toMatch(/https?:\/\//);
      expect((await fetch(`${h.baseUrl}/docs/api-reference/assets/swagger-ui-bundle.js`)).status).toBe(200);
      expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await h.stop();
    }
  });
});

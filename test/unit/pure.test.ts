import { parseInstantMs } from "../../resolvers/metrics/timeseries.validate";
import { normalizeError } from "../../resolvers/_shared/error-mapping";
import crypto from "node:crypto";
import { buildSchema, graphql } from "graphql";
import { loadConfig, ConfigError } from "../../server/config";
import { SecretBox } from "../../resolvers/_shared/crypto";
import { parseTenantKey } from "../../resolvers/auth";
import { toCamel, toSnake } from "../../rest-facade/case";
import { DateTimeScalar, LocalDateScalar, TimeZoneScalar } from "../../schema/_shared/scalars";

describe("tenant key format", () => {
  it("parses ak_{environment}_{id}.{secret} and rejects anything else", () => {
    const secret = crypto.randomBytes(32).toString("base64url");
    expect(parseTenantKey(`ak_sandbox_0123456789abcdef.${secret}`)).toEqual({ environment: "sandbox", id: "0123456789abcdef", secret });
    expect(parseTenantKey(`ak_production_0123456789abcdef.${secret}`)?.environment).toBe("production");
    for (const bad of [`ak_local_0123456789abcdef.${secret}`, `ak_sandbox_0123.${secret}`, "ak_sandbox_0123456789abcdef", `sk_sandbox_0123456789abcdef.${secret}`, ""]) {
      expect(parseTenantKey(bad)).toBeNull();
    }
  });
});

describe("snake/camel mapping", () => {
  it("round-trips the spec's field names", () => {
    for (const [snake, camel] of [
      ["user_id", "userId"],
      ["pre_existing_conditions", "preExistingConditions"],
      ["new_tenant_api_key", "newTenantApiKey"],
      ["email", "email"],
    ]) {
      expect(toCamel(snake)).toBe(camel);
      expect(toSnake(camel)).toBe(snake);
    }
  });
});

describe("SecretBox", () => {
  it("encrypts with a fresh IV and detects tampering", () => {
    const box = new SecretBox(crypto.randomBytes(32));
    const a = box.encrypt("s3cret");
    expect(a).not.toBe(box.encrypt("s3cret"));
    expect(box.decrypt(a)).toBe("s3cret");
    const parts = a.split(".");
    parts[3] = Buffer.from("x").toString("base64url");
    expect(() => box.decrypt(parts.join("."))).toThrow();
    expect(() => new SecretBox(crypto.randomBytes(32)).decrypt(a)).toThrow();
  });
});

describe("scalars", () => {
  const schema = buildSchema(
    "scalar LocalDate scalar TimeZone scalar DateTime type Query { d(v: LocalDate): LocalDate tz(v: TimeZone): TimeZone t(v: DateTime): DateTime }",
  );
  Object.assign(schema.getType("LocalDate")!, {
    parseValue: LocalDateScalar.parseValue,
    serialize: LocalDateScalar.serialize,
    parseLiteral: LocalDateScalar.parseLiteral,
  });
  Object.assign(schema.getType("TimeZone")!, { parseValue: TimeZoneScalar.parseValue, serialize: TimeZoneScalar.serialize, parseLiteral: TimeZoneScalar.parseLiteral });
  Object.assign(schema.getType("DateTime")!, { parseValue: DateTimeScalar.parseValue, serialize: DateTimeScalar.serialize, parseLiteral: DateTimeScalar.parseLiteral });
  const run = (q: string, v: unknown) =>
    graphql({ schema, source: q, variableValues: { v }, rootValue: { d: ({ v }: any) => v, tz: ({ v }: any) => v, t: ({ v }: any) => v } });

  it("accepts only real YYYY-MM-DD calendar dates", async () => {
    expect((await run("query($v: LocalDate) { d(v: $v) }", "2024-02-29")).data).toEqual({ d: "2024-02-29" });
    for (const bad of ["2023-02-29", "2024-13-01", "2024-1-01", "2024-01-01T00:00:00Z", "20240101", 20240101]) {
      expect((await run("query($v: LocalDate) { d(v: $v) }", bad)).errors).toBeDefined();
    }
  });

  it("accepts IANA zone names only", async () => {
    expect((await run("query($v: TimeZone) { tz(v: $v) }", "America/Los_Angeles")).data).toEqual({ tz: "America/Los_Angeles" });
    for (const bad of ["Mars/Olympus", "+05:00", "UTC+5", "", "America/Los_Angeles; drop"]) {
      expect((await run("query($v: TimeZone) { tz(v: $v) }", bad)).errors).toBeDefined();
    }
  });

  it("renders instants in UTC with a Z suffix and second precision", async () => {
    expect((await run("query($v: DateTime) { t(v: $v) }", "2026-03-16T10:00:00.250+02:00")).data).toEqual({ t: "2026-03-16T08:00:00Z" });
    expect((await run("query($v: DateTime) { t(v: $v) }", "2026-03-16 08:00")).errors).toBeDefined();
  });
});

describe("timeseries instant parsing", () => {
  it("keeps years 0–99 as written (Date.UTC alone would move them to 1900–1999)", () => {
    expect(new Date(parseInstantMs("0050-03-01T12:00:00Z")!).toISOString()).toBe("0050-03-01T12:00:00.000Z");
    expect(new Date(parseInstantMs("0000-06-01T00:00:00+01:00")!).toISOString()).toBe("0000-05-31T23:00:00.000Z");
    expect(new Date(parseInstantMs("2026-03-16T08:00:00-05:00")!).toISOString()).toBe("2026-03-16T13:00:00.000Z");
    expect(parseInstantMs("2026-02-29T00:00:00Z")).toBeNull();
  });
});

describe("error mapping", () => {
  it("maps a PostgreSQL data exception (SQLSTATE class 22) to 422 without the driver's message, which can quote the value", () => {
    const driverError = Object.assign(new Error('value "98765.4321" is out of range for type real'), { sqlState: "22003", code: "22003" });
    const wrapped = Object.assign(new Error("wrapped"), { cause: driverError });
    for (const err of [driverError, wrapped]) {
      const n = normalizeError(err);
      expect([n.status, n.code, n.expected]).toEqual([422, "validation_error", true]);
      expect(JSON.stringify(n)).not.toContain("98765.4321");
    }
    expect(normalizeError(Object.assign(new Error("deadlock detected"), { code: "40P01" })).status).toBe(500);
  });
});

describe("config", () => {
  it("applies documented defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, memberTokenTtlSeconds: 3600, idempotencyTtlSeconds: 86400, databaseUrl: undefined });
    expect(c.dataDir.endsWith(".data")).toBe(true);
  });

  it("refuses to start production without a master key or database", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production", MASTER_KEY: crypto.randomBytes(32).toString("base64") })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ MASTER_KEY: "short" })).toThrow(/32 bytes/);
    expect(() => loadConfig({ PORT: "http" })).toThrow(/PORT/);
  });

  it("checks the RFC 9207 issuer settings of OAUTH_PROVIDERS_JSON at start-up", () => {
    const oauth = (fitbit: Record<string, unknown>) => loadConfig({ OAUTH_PROVIDERS_JSON: JSON.stringify({ fitbit }) });
    expect(oauth({ issuer: "https://www.fitbit.com", authorizationResponseIssParameterSupported: true }).oauth.providers.fitbit).toMatchObject({
      issuer: "https://www.fitbit.com",
    });
    expect(() => oauth({ issuer: "" })).toThrow(/issuer must be a non-empty string/);
    expect(() => oauth({ issuer: "https://x", authorizationResponseIssParameterSupported: "yes" })).toThrow(/must be true or false/);
    expect(() => oauth({ authorizationResponseIssParameterSupported: true })).toThrow(/needs .*issuer/);
  });
});

/**
 * The stock baseline for bench/health-profile.bench.ts: a plain Express 5 + Apollo Server 5 server with
 * SDL resolvers and `pg`, serving the same member read as ours (`GET /v1/users/{id}/health-profile`,
 * the `healthProfile` GraphQL query and `/healthz`) with the same JWT check (a KeyObject key derived
 * from MASTER_KEY exactly as ours derives it), the same three SQL statements and the same JSON.
 * It has none of our guards (rate limits, access log, NUL guard, depth/cost rules): that is the point
 * of a baseline. Not part of the product; run by the bench only.
 *
 *   DATABASE_URL=… MASTER_KEY=… PORT=… node scripts/ts-run.js bench/baseline/server.ts
 */
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { UUIDResolver } from "graphql-scalars";
import jwt from "jsonwebtoken";
import crypto from "node:crypto";
import http from "node:http";
import pg from "pg";

pg.types.setTypeParser(1082, (v) => v); // date columns as YYYY-MM-DD text, as the ORM maps them

const master = Buffer.from(process.env.MASTER_KEY ?? "", "base64");
const jwtKey = crypto.createSecretKey(Buffer.from(crypto.hkdfSync("sha256", master, Buffer.alloc(0), "thrive/member-jwt/v1", 32)));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const typeDefs = /* GraphQL */ `
  scalar JSON
  scalar UUID
  type UserProfile {
    name: String
    email: String
    phone: String
    timezone: String
    birthday: String
    weight: Float
    weightUnit: String
    height: Float
    heightUnit: String
    preferences: String
    preExistingConditions: [JSON!]
    gender: String
    ethnicity: String
  }
  type Location {
    city: String
    state: String
    country: String
  }
  type Privacy {
    conversationRecordingOptIn: Boolean!
  }
  type ConnectedDevice {
    providerSlug: String!
    status: String!
  }
  type HealthProfile {
    userId: String!
    profile: UserProfile!
    location: Location
    privacy: Privacy!
    connectedDevices: [ConnectedDevice!]!
  }
  type Query {
    healthProfile(userId: UUID!): HealthProfile
  }
`;

interface Member {
  orgId: string;
  userId: string;
}

function verify(authorization: string | undefined): Member | null {
  const m = /^Bearer\s+([A-Za-z0-9_\-.]+)$/i.exec(authorization?.trim() ?? "");
  if (!m) return null;
  try {
    const c = jwt.verify(m[1], jwtKey, { algorithms: ["HS256"], issuer: "thrive-partner-api", audience: "thrive-partner-api/member" });
    if (typeof c === "string" || typeof c.sub !== "string" || typeof c.org_id !== "string") return null;
    return { orgId: c.org_id, userId: c.sub };
  } catch {
    return null;
  }
}

/** The three statements our ORM issues for this read: the user, the privacy row, the device connections. */
async function healthProfile(member: Member, userId: string) {
  if (member.userId !== userId) return null;
  const { rows: users } = await pool.query(`select u.* from users as u where u.org_id = $1 and u.partner_user_id in ($2)`, [member.orgId, userId]);
  const u = users[0];
  if (!u) return null;
  const [{ rows: privacy }, { rows: devices }] = [
    await pool.query(`select p.* from privacy_settings as p where p.user_id in ($1)`, [u.id]),
    await pool.query(
      `select d.provider_slug, d.status from device_connections as d left join users as u1 on d.user_id = u1.id
       where d.user_id in ($1) and u1.org_id = $2 order by d.created_at asc, d.id asc`,
      [u.id, member.orgId],
    ),
  ];
  const hasLocation = u.location_city || u.location_state || u.location_country;
  return {
    userId: u.partner_user_id,
    profile: {
      name: u.name,
      email: u.email,
      phone: u.phone,
      timezone: u.timezone,
      birthday: u.birthday,
      weight: u.weight,
      weightUnit: u.weight_unit,
      height: u.height,
      heightUnit: u.height_unit,
      preferences: u.preferences,
      preExistingConditions: u.pre_existing_conditions,
      gender: u.gender,
      ethnicity: u.ethnicity,
    },
    location: hasLocation ? { city: u.location_city, state: u.location_state, country: u.location_country } : null,
    privacy: { conversationRecordingOptIn: privacy[0]?.conversation_recording_opt_in ?? false },
    connectedDevices: devices.map((d) => ({ providerSlug: d.provider_slug, status: d.status })),
  };
}

function wire(p: NonNullable<Awaited<ReturnType<typeof healthProfile>>>) {
  const pr = p.profile;
  return {
    user_id: p.userId,
    profile: {
      name: pr.name,
      email: pr.email,
      phone: pr.phone,
      timezone: pr.timezone,
      birthday: pr.birthday,
      weight: pr.weight,
      weight_unit: pr.weightUnit,
      height: pr.height,
      height_unit: pr.heightUnit,
      preferences: pr.preferences,
      pre_existing_conditions: pr.preExistingConditions,
      gender: pr.gender,
      ethnicity: pr.ethnicity,
    },
    location: p.location,
    privacy: { conversation_recording_opt_in: p.privacy.conversationRecordingOptIn },
    connected_devices: p.connectedDevices.map((d) => ({ provider_slug: d.providerSlug, status: d.status })),
  };
}

async function main() {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const server = http.createServer(app);
  const apollo = new ApolloServer<{ member: Member | null }>({
    typeDefs,
    resolvers: {
      UUID: UUIDResolver,
      Query: { healthProfile: (_: unknown, a: { userId: string }, ctx: { member: Member | null }) => (ctx.member ? healthProfile(ctx.member, a.userId) : null) },
    },
  });
  await apollo.start();
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.get("/readyz", (_req, res) => void res.json({ status: "ready" }));
  app.get("/v1/users/:userId/health-profile", async (req, res) => {
    const member = verify(req.get("authorization"));
    if (!member) return void res.status(401).json({ error: { code: "unauthorized" } });
    try {
      const p = await healthProfile(member, req.params.userId);
      if (!p) return void res.status(404).json({ error: { code: "not_found" } });
      res.json({ data: wire(p) });
    } catch {
      res.status(500).json({ error: { code: "internal_error" } });
    }
  });
  app.use("/graphql", express.json(), expressMiddleware(apollo, { context: async ({ req }) => ({ member: verify(req.get("authorization")) }) }));
  server.listen(Number(process.env.PORT), "127.0.0.1");
  const stop = () =>
    void apollo
      .stop()
      .then(() => pool.end())
      .then(() => process.exit(0));
  process.on("SIGTERM", stop).on("SIGINT", stop);
}

void main();

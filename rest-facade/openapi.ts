import {
  Kind,
  OperationTypeNode,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { ERROR_REGISTRY } from "../resolvers/_shared/errors";
import { toSnake } from "./case";
import type { CompiledRoute } from "./compile";

type JsonSchema = Record<string, unknown>;

const SCALARS: Record<string, JsonSchema> = {
  UUID: { type: "string", format: "uuid" },
  DateTime: { type: "string", format: "date-time", examples: ["2026-03-16T08:00:00Z"] },
  LocalDate: { type: "string", format: "date", examples: ["2026-03-16"] },
  TimeZone: { type: "string", examples: ["America/New_York"] },
  EmailAddress: { type: "string", format: "email" },
  Int: { type: "integer" },
  Float: { type: "number" },
  Boolean: { type: "boolean" },
  String: { type: "string" },
  ID: { type: "string" },
  JSON: {},
};

function orNull(s: JsonSchema): JsonSchema {
  if (typeof s.type === "string") return { ...s, type: [s.type, "null"] };
  return { anyOf: [s, { type: "null" }] };
}

function inputSchema(type: GraphQLInputType): JsonSchema {
  const nullable = !isNonNullType(type);
  const t = getNullableType<GraphQLInputType>(type);
  let s: JsonSchema;
  if (isListType(t)) s = { type: "array", items: inputSchema(t.ofType) };
  else if (isInputObjectType(t)) {
    const props: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const f of Object.values(t.getFields())) {
      props[toSnake(f.name)] = { ...inputSchema(f.type), ...(f.description ? { description: f.description } : {}) };
      if (isNonNullType(f.type) && f.defaultValue === undefined) required.push(toSnake(f.name));
    }
    s = { type: "object", properties: props, additionalProperties: false, ...(required.length ? { required } : {}) };
  } else if (isEnumType(t)) s = { type: "string", enum: t.getValues().map((v) => v.name) };
  else s = { ...(SCALARS[t.name] ?? { type: "string" }) };
  return nullable ? orNull(s) : s;
}

function outputSchema(type: GraphQLOutputType, sel: SelectionSetNode | undefined, frags: Map<string, FragmentDefinitionNode>): JsonSchema {
  const nullable = !isNonNullType(type);
  const t = getNullableType(type) as GraphQLOutputType;
  let s: JsonSchema;
  if (isListType(t)) s = { type: "array", items: outputSchema(t.ofType as GraphQLOutputType, sel, frags) };
  else if (isObjectType(t) && sel) s = objectSchema(t, sel, frags);
  // A union renders as one of its members, each with the fields its inline fragment selects.
  else if (isUnionType(t) && sel) s = { oneOf: t.getTypes().map((m) => objectSchema(m, sel, frags)) };
  else if (isEnumType(t)) s = { type: "string", enum: t.getValues().map((v) => v.name) };
  else s = { ...(SCALARS[getNamedType(t).name] ?? {}) };
  return nullable ? orNull(s) : s;
}

function objectSchema(type: GraphQLObjectType, sel: SelectionSetNode, frags: Map<string, FragmentDefinitionNode>): JsonSchema {
  const props: Record<string, JsonSchema> = {};
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const field = type.getFields()[s.name.value];
        if (!field) continue;
        const key = toSnake(s.alias?.value ?? s.name.value);
        props[key] = { ...outputSchema(field.type, s.selectionSet, frags), ...(field.description ? { description: field.description } : {}) };
      } else if (s.kind === Kind.FRAGMENT_SPREAD) walk(frags.get(s.name.value)!.selectionSet);
      else if (appliesTo(s.typeCondition?.name.value, type)) walk(s.selectionSet);
    }
  };
  walk(sel);
  return { type: "object", properties: props, required: Object.keys(props) };
}

/** Whether an inline fragment's type condition (none, the type itself, or one of its interfaces) selects on `type`. */
const appliesTo = (condition: string | undefined, type: GraphQLObjectType) =>
  !condition || condition === type.name || type.getInterfaces().some((i) => i.name === condition);

/** OpenAPI 3.1, generated from the same route table and documents the facade executes. */
export function buildOpenApi(schema: GraphQLSchema, routes: CompiledRoute[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  const ordered = [...routes].sort((a, b) => a.path.localeCompare(b.path));
  for (const r of ordered) {
    const doc = r.document as DocumentNode;
    const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const frags = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    const rootType = (op.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType())!;
    const rootSel = op.selectionSet.selections[0];
    if (rootSel.kind !== Kind.FIELD) continue;
    const rootField = rootType.getFields()[rootSel.name.value];

    const parameters: unknown[] = [
      ...r.pathParams.map((p) => ({ name: p.wire, in: "path", required: true, schema: inputSchema(r.variableTypes.get(p.variable)!) })),
      ...[...r.queryParams].map(([wire, variable]) => {
        const arg = rootField.args.find((a) => a.name === variable);
        return {
          name: wire,
          in: "query",
          required: isNonNullType(r.variableTypes.get(variable)!),
          schema: {
            ...inputSchema(getNullableType<GraphQLInputType>(r.variableTypes.get(variable)!)),
            ...(arg?.defaultValue !== undefined ? { default: arg.defaultValue } : {}),
          },
          ...(arg?.description ? { description: arg.description } : {}),
        };
      }),
      { $ref: "#/components/parameters/RequestId" },
      { $ref: "#/components/parameters/Traceparent" },
      ...(r.method === "POST" ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : []),
      ...(r.cacheControl
        ? [{ name: "If-None-Match", in: "header", required: false, schema: { type: "string" }, description: "An ETag from an earlier response; still current → 304" }]
        : []),
    ];

    const status = r.status ?? 200;
    let content: unknown;
    if (status !== 204 && rootSel.selectionSet) {
      const value = outputSchema(getNullableType(rootField.type) as GraphQLOutputType, rootSel.selectionSet, frags);
      const props = (value as { properties?: Record<string, JsonSchema> }).properties;
      const pageProps = r.isPage && props ? (({ items, pagination, ...extra }) => ({ data: items, pagination, ...extra }))(props) : undefined;
      const body = pageProps
        ? { type: "object", properties: pageProps, required: Object.keys(pageProps) }
        : { type: "object", properties: { data: value }, required: ["data"] };
      content = { "application/json": { schema: body } };
    }
    const errorStatuses = new Set<number>([400, 401, 404, 422, 429, 500]);
    if (r.method === "POST") errorStatuses.add(409);
    if (r.body) [413, 415].forEach((s) => errorStatuses.add(s));

    const cacheHeaders = r.cacheControl
      ? {
          headers: {
            ETag: { schema: { type: "string" }, description: "Strong validator of the body" },
            "Cache-Control": { schema: { type: "string", const: r.cacheControl } },
          },
        }
      : {};
    const responses: Record<string, unknown> = {
      [String(status)]: { description: status === 204 ? "No content" : "Success", ...cacheHeaders, ...(content ? { content } : {}) },
      ...(r.cacheControl ? { "304": { description: "Not modified: the If-None-Match tag is still current (no body)", ...cacheHeaders } } : {}),
    };
    for (const s of [...errorStatuses].sort()) responses[String(s)] = { $ref: "#/components/responses/Error" };

    const entry: Record<string, unknown> = {
      operationId: r.operationName,
      tags: [r.tag],
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      security: r.auth === "none" ? [] : [{ [r.auth === "tenant" ? "TenantKey" : "MemberBearer"]: [] }],
      parameters,
      ...(r.body
        ? {
            requestBody: {
              required: isNonNullType(r.variableTypes.get(r.body)!),
              content: { "application/json": { schema: inputSchema(getNullableType<GraphQLInputType>(r.variableTypes.get(r.body)!)) } },
            },
          }
        : {}),
      responses,
    };
    const oaPath = r.path.replace(/:([a-z_]+)/g, "{$1}");
    (paths[oaPath] ??= {})[r.method.toLowerCase()] = entry;
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Thrive AI Health Partner API",
      version: "1.0.0",
      description:
        "Partner API v1. Every route is executed as a named GraphQL operation against the same schema served at /graphql. " +
        'Errors use the envelope {"error":{"code","message","details","request_id"}}.',
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        TenantKey: { type: "apiKey", in: "header", name: "taih-tenant-key", description: "Partner-scoped tenant API key `ak_{environment}_{id}.{secret}`." },
        MemberBearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Member token from POST /v1/auth/token (3600 s)." },
      },
      parameters: {
        RequestId: {
          name: "x-request-id",
          in: "header",
          required: false,
          schema: { type: "string" },
          description: "Echoed back; generated when absent. Equals error.request_id.",
        },
        Traceparent: { name: "traceparent", in: "header", required: false, schema: { type: "string" }, description: "W3C trace context; echoed back." },
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          schema: { type: "string", maxLength: 255 },
          description: "Replays within 24 h return the stored status and body; the same key with a different request → 409 idempotency_conflict.",
        },
      },
      responses: {
        Error: { description: "Error envelope", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message", "details", "request_id"],
              properties: {
                code: {
                  type: "string",
                  enum: Object.keys(ERROR_REGISTRY),
                  description: Object.entries(ERROR_REGISTRY)
                    .map(([c, e]) => `- \`${c}\` (${e.status}): ${e.when}`)
                    .join("\n"),
                },
                message: { type: "string" },
                details: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["field", "code", "message"],
                    properties: { field: { type: "string" }, code: { type: "string" }, message: { type: "string" } },
                  },
                },
                request_id: { type: "string" },
              },
            },
          },
        },
      },
    },
  };
}

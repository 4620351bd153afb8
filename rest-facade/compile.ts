import {
  Kind,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { DomainError, type ErrorDetail } from "../resolvers/_shared/errors";
import { inputProblems } from "../resolvers/_shared/input-check";
import { toCamel, toSnake } from "./case";
import type { RouteDef } from "./route-table";

/** Response key → wire key, with the nested shape for object fields (leaves are copied verbatim). */
export type Shape = Map<string, { wire: string; sub?: Shape }>;

export interface CompiledRoute extends RouteDef {
  operationName: string;
  regex: RegExp;
  pathParams: { wire: string; variable: string }[];
  /** Query parameter (wire) → variable name. Anything else is an unknown parameter. */
  queryParams: Map<string, string>;
  variableTypes: Map<string, GraphQLInputType>;
  rootKey: string;
  rootShape: Shape | undefined;
  /**
   * The root selects `items` and `pagination`: rendered as `{"data": items, "pagination": …}`, with
   * any other selected root field as an extra top-level block next to them (a list's `summary`).
   */
  isPage: boolean;
  literalSegments: number;
}

/** Validates each route's document against the schema and precomputes everything per-request work needs. Throws at boot. */
export function compileRoutes(schema: GraphQLSchema, routes: RouteDef[]): CompiledRoute[] {
  const compiled = routes.map((r) => compileRoute(schema, r));
  // Most literal first, so `/v1/devices/x/oauth-url`-style literals beat `:param` segments.
  return compiled.sort((a, b) => b.literalSegments - a.literalSegments);
}

function compileRoute(schema: GraphQLSchema, route: RouteDef): CompiledRoute {
  const doc = route.document as DocumentNode;
  const label = `${route.method} ${route.path}`;
  const errors = validate(schema, doc);
  if (errors.length) throw new Error(`${label}: invalid document: ${errors.map((e) => e.message).join("; ")}`);
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (ops.length !== 1 || !ops[0].name) throw new Error(`${label}: document must hold exactly one named operation`);
  const op = ops[0];
  const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));

  const variableTypes = new Map<string, GraphQLInputType>();
  for (const v of op.variableDefinitions ?? []) {
    variableTypes.set(v.variable.name.value, typeFromAST(schema, v.type as never) as GraphQLInputType);
  }

  const pathParams: CompiledRoute["pathParams"] = [];
  let literalSegments = 0;
  const pattern = route.path
    .split("/")
    .map((seg) => {
      if (!seg.startsWith(":")) {
        if (seg) literalSegments++;
        return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      const wire = seg.slice(1);
      const variable = toCamel(wire);
      if (!variableTypes.has(variable)) throw new Error(`${label}: path param :${wire} has no $${variable} variable`);
      pathParams.push({ wire, variable });
      return "([^/]+)";
    })
    .join("/");
  if (route.body && !variableTypes.has(route.body)) throw new Error(`${label}: body variable $${route.body} not declared`);
  if (route.cacheControl && route.method !== "GET") throw new Error(`${label}: only a GET route can be cacheable`);

  const queryParams = new Map<string, string>();
  for (const name of variableTypes.keys()) {
    if (name === route.body || pathParams.some((p) => p.variable === name)) continue;
    queryParams.set(toSnake(name), name);
  }

  const rootFields = op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
  if (rootFields.length !== 1 || rootFields[0].kind !== Kind.FIELD) throw new Error(`${label}: operation must select exactly one root field`);
  const root = rootFields[0];
  const rootShape = root.selectionSet ? buildShape(root.selectionSet, fragments) : undefined;
  const isPage = !!rootShape && rootShape.has("items") && rootShape.has("pagination");
  if (isPage && [...rootShape.entries()].some(([k, e]) => k !== "items" && e.wire === "data")) throw new Error(`${label}: a page block may not be named data`);

  return {
    ...route,
    operationName: op.name!.value,
    regex: new RegExp(`^${pattern}/?$`),
    pathParams,
    queryParams,
    variableTypes,
    rootKey: root.alias?.value ?? root.name.value,
    rootShape,
    isPage,
    literalSegments,
  };
}

function buildShape(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, into: Shape = new Map()): Shape {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const key = sel.alias?.value ?? sel.name.value;
      const entry = into.get(key) ?? { wire: toSnake(key) };
      if (sel.selectionSet) entry.sub = buildShape(sel.selectionSet, fragments, entry.sub ?? (new Map() as Shape));
      into.set(key, entry);
    } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = fragments.get(sel.name.value);
      if (!frag) throw new Error(`unknown fragment ${sel.name.value}`);
      buildShape(frag.selectionSet, fragments, into);
    } else {
      buildShape(sel.selectionSet, fragments, into);
    }
  }
  return into;
}

/** Renders a GraphQL result value with wire (snake_case) keys, following the selection, not the data. */
export function shapeValue(value: unknown, shape: Shape | undefined): unknown {
  if (value === null || value === undefined || !shape) return value ?? null;
  if (Array.isArray(value)) return value.map((v) => shapeValue(v, shape));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const entry = shape.get(k);
    if (entry) out[entry.wire] = entry.sub ? shapeValue(v, entry.sub) : v;
  }
  return out;
}

/** A page's envelope: `data` (the items), `pagination`, then each other selected root field under its wire name. */
export function pageEnvelope(value: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = { data: shapeValue(value.items, shape.get("items")!.sub), pagination: shapeValue(value.pagination, shape.get("pagination")!.sub) };
  for (const [key, entry] of shape) {
    if (key !== "items" && key !== "pagination") out[entry.wire] = shapeValue(value[key], entry.sub);
  }
  return out;
}

/**
 * Converts a wire value (snake_case keys) to the variable's GraphQL shape (camelCase keys), walking
 * the input type so that JSON scalars keep their keys. Unknown keys become `unknown_field` details.
 */
function fromWire(value: unknown, type: GraphQLInputType, path: string[], details: ErrorDetail[]): unknown {
  const t: GraphQLInputType = getNullableType(type);
  if (value === null || value === undefined) return value;
  if (isListType(t)) {
    return Array.isArray(value) ? value.map((v, i) => fromWire(v, t.ofType, [...path, String(i)], details)) : value;
  }
  if (isInputObjectType(t)) {
    if (typeof value !== "object" || Array.isArray(value)) return value;
    const fields = t.getFields();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const name = toCamel(k);
      const field = fields[name];
      if (!field || toSnake(name) !== k) {
        details.push({ field: [...path, k].join("."), code: "unknown_field", message: "is not a recognised field" });
        continue;
      }
      out[name] = fromWire(v, field.type, [...path, k], details);
    }
    return out;
  }
  return value;
}

/** Query strings carry text: parse it by the variable's named type before coercion. */
function fromQueryString(raw: string, type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if (isScalarType(named)) {
    if (named.name === "Int") return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    if (named.name === "Float") return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    if (named.name === "Boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  }
  return raw;
}

export interface WireRequest {
  pathValues: string[];
  query: Record<string, unknown>;
  body: unknown;
}

/** Binds path, query and body to the operation's variables; every problem becomes one `details[]` entry. */
export function bindVariables(route: CompiledRoute, req: WireRequest): Record<string, unknown> {
  const details: ErrorDetail[] = [];
  const raw: Record<string, { value: unknown; wirePath: string[] }> = {};

  route.pathParams.forEach((p, i) => {
    let value: string;
    try {
      value = decodeURIComponent(req.pathValues[i]);
    } catch {
      throw new DomainError("invalid_request", `Path parameter ${p.wire} is not valid URL encoding`);
    }
    raw[p.variable] = { value, wirePath: [p.wire] };
  });

  for (const [key, value] of Object.entries(req.query)) {
    const variable = route.queryParams.get(key);
    if (!variable) throw new DomainError("invalid_request", `Unknown query parameter: ${key.slice(0, 64)}`);
    if (typeof value !== "string") {
      details.push({ field: key, code: "invalid_value", message: "must be given once, as a single value" });
      continue;
    }
    raw[variable] = { value: fromQueryString(value, route.variableTypes.get(variable)!), wirePath: [key] };
  }

  if (route.body) {
    const type = route.variableTypes.get(route.body)!;
    let body = req.body;
    if (body === undefined || body === null) body = {};
    if (typeof body !== "object" || Array.isArray(body)) throw new DomainError("invalid_request", "The request body must be a JSON object");
    raw[route.body] = { value: fromWire(body, type, [], details), wirePath: [] };
  } else if (req.body !== undefined && req.body !== null) {
    // A route that takes no body refuses one rather than ignoring it (a misplaced field is never silently dropped).
    if (typeof req.body !== "object" || Array.isArray(req.body)) throw new DomainError("invalid_request", "This route takes no request body");
    for (const key of Object.keys(req.body))
      details.push({ field: key.slice(0, 64), code: "unknown_field", message: "is not a recognised field: this route takes no body" });
  }

  const variables: Record<string, unknown> = {};
  for (const [name, type] of route.variableTypes) {
    const entry = raw[name];
    const wirePath = entry?.wirePath ?? [toSnake(name)];
    if (entry === undefined) {
      if (isNonNullType(type)) details.push({ field: wirePath.join(".") || name, code: "required", message: "is required" });
      continue;
    }
    // Validate only: execute() coerces the raw value itself (a coerced DateTime would not re-parse).
    variables[name] = entry.value;
    for (const p of inputProblems(entry.value, type)) {
      const field = [...wirePath, ...p.path.map((s) => (typeof s === "number" ? String(s) : toSnake(s)))].join(".") || "body";
      details.push({ field, code: p.code, message: p.message });
    }
  }
  if (details.length) throw new DomainError("validation_error", "The request has invalid fields", details);
  return variables;
}

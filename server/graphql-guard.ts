import type { ApolloServerPlugin } from "@apollo/server";
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  getNullableType,
  isInputObjectType,
  isNonNullType,
  specifiedRules,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from "graphql";
import type { Logger } from "pino";
import type { Context } from "../resolvers/_shared/context";
import { normalizeError } from "../resolvers/_shared/error-mapping";
import { DomainError, validationError, type ErrorDetail } from "../resolvers/_shared/errors";
import { inputProblems, typeMessage } from "../resolvers/_shared/input-check";
import { assertNoNulCharacters, assertNoNulInDocument } from "../resolvers/_shared/nul-guard";
import type { Config } from "./config";
import { graphqlLimitRules } from "./graphql-limits";

/**
 * The guarded path shared by every transport that accepts client documents (Apollo `/graphql` and
 * graphql-ws): one rule set, one input check, one redaction of echoed values, one error format.
 * The REST facade's documents are fixed and validated once at boot; its variables go through the
 * same input walker (rest-facade/compile.ts bindVariables).
 */
export interface GraphQLGuard {
  /** Depth, alias and cost limits (Apollo adds graphql-js's specifiedRules itself). */
  readonly limitRules: readonly ValidationRule[];
  /** specifiedRules + the limits: what graphql-ws validates with. */
  readonly rules: readonly ValidationRule[];
  /** Replaces messages of errors about document literals with ones that do not quote the literal. Mutates and returns `errors`. */
  redactLiterals<E extends GraphQLError[] | readonly GraphQLError[]>(document: DocumentNode, errors: E): E;
  /** NUL guard (variables and inline literals) and the structured variable check; throws `DomainError` (validation_error). */
  checkInput(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): void;
  /** One error format for every GraphQL transport: the public code in extensions.code, details in extensions.details. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

const VALUE_KINDS = new Set<string>([Kind.INT, Kind.FLOAT, Kind.STRING, Kind.BOOLEAN, Kind.NULL, Kind.ENUM, Kind.LIST, Kind.OBJECT]);

interface VariableDef {
  name: string;
  type: GraphQLInputType;
  hasDefault: boolean;
  /** As for the NUL guard and class-validator: paths inside an object variable are relative to it (like a REST body). */
  root: string[];
}

function resolveVariableDefs(schema: GraphQLSchema, operation: OperationDefinitionNode): VariableDef[] {
  const out: VariableDef[] = [];
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
    if (!type) continue; // validation already rejected an unknown type
    out.push({ name, type, hasDefault: !!def.defaultValue, root: isInputObjectType(getNullableType(type)) ? [] : [name] });
  }
  return out;
}

export function createGraphQLGuard(schema: GraphQLSchema, config: Config, logger: Logger): GraphQLGuard {
  const limitRules = graphqlLimitRules(config);
  const cleanDocuments = new WeakSet<DocumentNode>();
  const variableDefs = new WeakMap<OperationDefinitionNode, VariableDef[]>();
  return {
    limitRules,
    rules: [...specifiedRules, ...limitRules],

    redactLiterals(document, errors) {
      const literal = errors.map((e) => e.nodes?.[0]).filter((n): n is ASTNode => !!n && VALUE_KINDS.has(n.kind));
      if (!literal.length) return errors;
      const types = inputTypesAt(schema, document, new Set(literal));
      const list = errors as GraphQLError[];
      list.forEach((e, i) => {
        const node = e.nodes?.[0];
        if (!node || !VALUE_KINDS.has(node.kind)) return;
        list[i] = new GraphQLError(literalMessage(node, types.get(node)), { nodes: e.nodes, extensions: e.extensions });
      });
      return errors;
    },

    checkInput(document, operation, variables) {
      assertNoNulCharacters(variables);
      // Apollo (its document store) and graphql-ws hand the same parsed document back for a repeated
      // query: a document is walked for NUL characters and its variable types resolved once.
      if (!cleanDocuments.has(document)) {
        assertNoNulInDocument(document);
        cleanDocuments.add(document);
      }
      let defs = variableDefs.get(operation);
      if (!defs) variableDefs.set(operation, (defs = resolveVariableDefs(schema, operation)));
      const details: ErrorDetail[] = [];
      for (const { name, type, hasDefault, root } of defs) {
        const value = variables?.[name];
        if (value === undefined && hasDefault) continue;
        for (const p of inputProblems(value, type)) details.push({ field: [...root, ...p.path].join(".") || name, code: p.code, message: p.message });
      }
      if (details.length) throw validationError(details);
    },

    formatError(formatted, error) {
      const n = normalizeError(error);
      if (!n.expected) logger.error({ err: n.original }, "unhandled GraphQL error");
      return {
        message: n.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: n.code, ...(n.details.length ? { details: n.details } : {}) },
      };
    },
  };
}

/** The expected input type at each of `targets`, from the document's own type information. */
function inputTypesAt(schema: GraphQLSchema, document: DocumentNode, targets: Set<ASTNode>): Map<ASTNode, GraphQLInputType> {
  const typeInfo = new TypeInfo(schema);
  const found = new Map<ASTNode, GraphQLInputType>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        if (!targets.has(node)) return;
        const t = typeInfo.getInputType();
        if (t) found.set(node, t);
      },
    }),
  );
  return found;
}

function literalMessage(node: ASTNode, type: GraphQLInputType | undefined): string {
  if (!type) return "Invalid literal value in the document";
  if (node.kind === Kind.NULL && isNonNullType(type)) return "Invalid literal value in the document: must not be null";
  const named = getNamedType(type);
  if (node.kind === Kind.OBJECT && isInputObjectType(named)) {
    const present = new Set(node.fields.map((f) => f.name.value));
    const missing = Object.values(named.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined && !present.has(f.name));
    if (missing.length) return `Invalid literal value in the document: ${missing.map((f) => `${named.name}.${f.name}`).join(", ")} is required`;
  }
  return `Invalid literal value in the document: ${typeMessage(type)}`;
}

/** Apollo hooks for the shared guard: redacted validation errors, then the input check before execution. */
export function apolloGuardPlugin(guard: GraphQLGuard): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => ({
      validationDidStart: async (rc) => async (errors) => {
        // Apollo sends this same array; replacing its entries is how the redaction reaches the response.
        if (errors?.length && rc.document) guard.redactLiterals(rc.document, errors as unknown as GraphQLError[]);
      },
      didResolveOperation: async (rc) => {
        try {
          if (rc.operation) guard.checkInput(rc.document, rc.operation, rc.request.variables);
        } catch (err) {
          // Apollo answers errors raised here with 500 unless told otherwise: use the registry's status.
          if (err instanceof DomainError) throw new GraphQLError(err.message, { originalError: err, extensions: { http: { status: err.status } } });
          throw err;
        }
      },
    }),
  };
}

import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { GraphQLError, type ValidationContext, type ValidationRule } from "graphql";
import type { Config } from "./config";

/**
 * graphql-armor's rules throw on rejection; Apollo turns a throwing rule into a 500. This adapter
 * reports the rejection as an ordinary validation error instead (→ `invalid_request`).
 */
function reporting(rule: ValidationRule): ValidationRule {
  return (context: ValidationContext) => {
    const visitor = rule(context) as Record<string, unknown>;
    // graphql-js calls visitor functions with `this` = the visitor; keep that.
    const guard = <F extends (...args: never[]) => unknown>(fn: F): F =>
      ((...args: never[]) => {
        try {
          return fn.apply(visitor, args);
        } catch (err) {
          context.reportError(err instanceof GraphQLError ? err : new GraphQLError("Query rejected by complexity limits"));
          return false;
        }
      }) as F;
    const wrapped: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(visitor)) {
      if (typeof value === "function") wrapped[key] = guard(value as (...a: never[]) => unknown);
      else if (value && typeof value === "object") {
        const v = value as { enter?: (...a: never[]) => unknown; leave?: (...a: never[]) => unknown };
        wrapped[key] = { ...(v.enter ? { enter: guard(v.enter) } : {}), ...(v.leave ? { leave: guard(v.leave) } : {}) };
      }
    }
    return wrapped;
  };
}

/** Depth, alias and cost limits for client documents (the facade's fixed documents are validated once at boot). */
export function graphqlLimitRules(config: Config): ValidationRule[] {
  return [
    reporting(maxDepthRule({ n: config.graphql.maxDepth })),
    reporting(maxAliasesRule({ n: config.graphql.maxAliases })),
    reporting(costLimitRule({ maxCost: config.graphql.maxCost })),
  ];
}

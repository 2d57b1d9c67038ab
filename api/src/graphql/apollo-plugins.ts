import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { ApiContext } from "./context.js";
import { isExpectedError, rootCause } from "./errors.js";
import { checkQueryCost } from "./limits/query-cost.js";

const badRequest = (error: GraphQLError): GraphQLError =>
  new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });

/**
 * Cost is checked once the operation is known, because it depends on variables (`first: $n`),
 * which validation rules never see. Refusals answer 400 like validation failures.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const error = checkQueryCost(schema, document, operationName, request.variables, maxCost);
          if (error !== null) throw badRequest(error);
        },
      };
    },
  };
}

/** Unexpected errors are logged with the request id before formatError masks them. */
export function errorLoggingPlugin(): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            if (isExpectedError(error)) continue;
            contextValue.logger.error(
              { err: rootCause(error), path: error.path, operationName },
              "unexpected error in a GraphQL operation",
            );
          }
        },
      };
    },
  };
}

/** Counts operations by type and outcome. */
export function operationMetricsPlugin(
  count: (type: string, outcome: "ok" | "error") => void,
): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          const failed = response.body.kind === "single" && (response.body.singleResult.errors?.length ?? 0) > 0;
          count(operation?.operation ?? "unknown", failed ? "error" : "ok");
        },
      };
    },
  };
}

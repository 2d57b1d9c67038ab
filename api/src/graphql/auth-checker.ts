import { GraphQLError } from "graphql";
import type { AuthChecker } from "type-graphql";
import type { ApiContext } from "./context.js";
import { ERROR_CODES } from "./errors.js";

const unauthenticated = (ctx: ApiContext): GraphQLError =>
  new GraphQLError(ctx.authProblem?.message ?? "Sign in: this operation needs an access token.", {
    extensions: {
      code: ERROR_CODES.UNAUTHENTICATED,
      reason: ctx.authProblem?.reason ?? "MISSING_TOKEN",
    },
  });

/**
 * The one authorization rule: `@Authorized()` fields need a signed-in viewer. Ownership is not
 * checked here: every read is owner-scoped in the repositories, so another user's data is "not found".
 */
export const authChecker: AuthChecker<ApiContext> = ({ context }) => {
  if (context.viewer !== null) return true;
  throw unauthenticated(context);
};

/** The signed-in user's id, for resolvers already behind `@Authorized()` (and subscribe functions). */
export function viewerId(ctx: ApiContext): string {
  if (ctx.viewer === null) throw unauthenticated(ctx);
  return ctx.viewer.userId;
}

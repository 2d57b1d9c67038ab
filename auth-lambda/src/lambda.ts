import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from "./api-gateway.js";

/**
 * AWS Lambda entry. The Cognito IdentityProvider arrives with issue 5; until then this refuses
 * clearly instead of pretending. Locally the server mounts `createAccountsHandler` directly.
 */
export async function handler(
  _event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> {
  throw new Error(
    `auth-lambda has no AWS wiring yet (VP_BACKEND=${process.env.VP_BACKEND ?? "unset"}): configure VP_BACKEND=aws once the Cognito adapter exists (issue 5).`,
  );
}

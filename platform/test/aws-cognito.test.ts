import { CreateUserPoolClientCommand, CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityProviderContract } from "../src/testing/contracts/identity-provider.contract.js";
import { CognitoIdentityProvider, createCognitoTokenVerifier } from "../src/aws/index.js";
import type { AwsClients } from "../src/aws/clients.js";
import { startCognitoLocal, type CognitoLocal } from "../src/testing/aws/cognito-local.js";
import { randomName, testClients } from "../src/testing/aws/servers.js";

let server: CognitoLocal;
let clients: AwsClients;
beforeAll(async () => {
  server = await startCognitoLocal();
  clients = testClients({ cognito: server.endpoint });
});
afterAll(async () => {
  clients?.destroy();
  await server?.close();
});

/** A fresh pool per harness, set up as infra/ declares it: email usernames, codes by email. */
async function freshPool(): Promise<{ userPoolId: string; clientId: string }> {
  const pool = await clients.cognito().send(
    new CreateUserPoolCommand({
      PoolName: randomName("vp-test"),
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
    }),
  );
  const userPoolId = pool.UserPool!.Id!;
  const client = await clients.cognito().send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "api",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  return { userPoolId, clientId: client.UserPoolClient!.ClientId! };
}

identityProviderContract("Cognito (cognito-local)", async ({ requireEmailConfirmation }) => {
  const { userPoolId, clientId } = await freshPool();
  // cognito-local's issuer is its own origin; on AWS it is cognitoIssuer(region, poolId).
  const issuer = `${server.endpoint}/${userPoolId}`;
  return {
    identity: new CognitoIdentityProvider({
      cognito: clients.cognito,
      userPoolId,
      clientId,
      autoConfirm: !requireEmailConfirmation,
    }),
    verifier: createCognitoTokenVerifier({ issuer, clientId }),
    verifierAt: (clock) => createCognitoTokenVerifier({ issuer, clientId, clock }),
    async readConfirmationCode(email) {
      const code = server.codesFor(email.toLowerCase()).at(-1);
      if (code === undefined) throw new Error(`no code sent to ${email}`);
      return code;
    },
    rotatesRefreshTokens: false,
    async close() {},
  };
});

describe("Cognito specifics", () => {
  it("refuses a token of the same pool issued to another app client", async () => {
    const { userPoolId, clientId } = await freshPool();
    const identity = new CognitoIdentityProvider({ cognito: clients.cognito, userPoolId, clientId, autoConfirm: true });
    const email = `${randomName("c")}@example.com`;
    await identity.signUp({ email, password: "correct horse 42" });
    const { accessToken } = await identity.signIn({ email, password: "correct horse 42" });
    const issuer = `${server.endpoint}/${userPoolId}`;
    await expect(
      createCognitoTokenVerifier({ issuer, clientId: "another-client" }).verify(accessToken),
    ).rejects.toMatchObject({
      code: "INVALID_TOKEN",
    });
    await expect(createCognitoTokenVerifier({ issuer, clientId }).verify(accessToken)).resolves.toMatchObject({
      userId: expect.any(String),
    });
  });
});

import { CreateUserPoolClientCommand, CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityProviderContract } from "../src/testing/contracts/identity-provider.contract.js";
import { cachedSessionRevocations } from "../src/auth/index.js";
import { CognitoIdentityProvider, createCognitoTokenVerifier, DynamoSessionRevocations } from "../src/aws/index.js";
import { createTable } from "../src/aws/dynamo-table.js";
import { MemoryMailer } from "./identity-fixtures.js";
import type { AwsClients } from "../src/aws/clients.js";
import { startCognitoLocal, type CognitoLocal } from "../src/testing/aws/cognito-local.js";
import { randomName, startDynalite, testClients, type RunningServer } from "../src/testing/aws/servers.js";

let server: CognitoLocal;
let dynamo: RunningServer;
let clients: AwsClients;
beforeAll(async () => {
  [server, dynamo] = await Promise.all([startCognitoLocal(), startDynalite()]);
  clients = testClients({ cognito: server.endpoint, dynamodb: dynamo.endpoint });
});
afterAll(async () => {
  clients?.destroy();
  await server?.close();
  await dynamo?.close();
});

/** Signed-out sessions on a fresh records table, as aws-platform wires them. */
async function freshRevocations() {
  const tableName = randomName("vp-test");
  await createTable(clients.dynamodb(), tableName);
  return cachedSessionRevocations(new DynamoSessionRevocations({ doc: clients.documents, tableName }));
}

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
  const revocations = await freshRevocations();
  const mailer = new MemoryMailer();
  return {
    identity: new CognitoIdentityProvider({
      cognito: clients.cognito,
      userPoolId,
      clientId,
      autoConfirm: !requireEmailConfirmation,
      mailer,
      sessions: { revocations, issuer },
    }),
    verifier: createCognitoTokenVerifier({ issuer, clientId, revocations }),
    verifierAt: (clock) => createCognitoTokenVerifier({ issuer, clientId, clock, revocations }),
    mailSubjects: async (email) => mailer.sent.filter((m) => m.to === email.toLowerCase()).map((m) => m.subject),
    // cognito-local's access tokens carry neither origin_jti nor sid: only the presented token's jti is revocable.
    accessTokensNameTheirSession: false,
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

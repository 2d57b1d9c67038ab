import { randomUUID } from "node:crypto";
import { isDomainError } from "@vp/domain";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJwksTokenVerifier, extractBearer } from "../src/auth/index.js";
import { startJwksServer } from "./identity-fixtures.js";

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (isDomainError(e) ? e.code : e),
  );

async function rsaKey(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return {
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" },
  };
}

const sign = (key: CryptoKey, kid: string, claims: JWTPayload, iss: string, ttl = 3600) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(iss)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
    .sign(key);

describe("JWKS token verifier with Cognito-shaped tokens", () => {
  let server: Awaited<ReturnType<typeof startJwksServer>>;
  let keys: JWK[] = [];
  let current: Awaited<ReturnType<typeof rsaKey>>;
  let issuer: string;
  const cognitoClaims = (sub: string) => ({
    sub,
    token_use: "access",
    client_id: "client-1",
    username: sub,
    scope: "aws.cognito.signin.user.admin",
  });

  beforeAll(async () => {
    current = await rsaKey("k1");
    keys = [current.jwk];
    server = await startJwksServer(() => ({ keys }));
    issuer = `${server.url}/local_pool1`;
  });
  afterAll(async () => server.close());

  const verifier = (over: Partial<Parameters<typeof createJwksTokenVerifier>[0]> = {}) =>
    createJwksTokenVerifier({
      issuer,
      jwks: new URL(`${server.url}/.well-known/jwks.json`),
      clientId: "client-1",
      ...over,
    });

  it("accepts an RS256 access token without an email claim", async () => {
    const sub = randomUUID();
    const token = await sign(current.privateKey, "k1", cognitoClaims(sub), issuer);
    expect(await verifier().verify(token)).toEqual({
      userId: sub,
      email: null,
    });
  });

  it("rejects an ID token, another client's token and another issuer's token", async () => {
    const sub = randomUUID();
    const id = await sign(current.privateKey, "k1", { ...cognitoClaims(sub), token_use: "id" }, issuer);
    const otherClient = await sign(current.privateKey, "k1", { ...cognitoClaims(sub), client_id: "client-2" }, issuer);
    const otherIssuer = await sign(current.privateKey, "k1", cognitoClaims(sub), `${server.url}/local_pool2`);
    const v = verifier();
    expect(await codeOf(v.verify(id))).toBe("INVALID_TOKEN");
    expect(await codeOf(v.verify(otherClient))).toBe("INVALID_TOKEN");
    expect(await codeOf(v.verify(otherIssuer))).toBe("INVALID_TOKEN");
  });

  it("checks the audience when one is configured", async () => {
    const token = await sign(current.privateKey, "k1", { ...cognitoClaims("u"), aud: "api-a" }, issuer);
    expect(await codeOf(verifier({ audience: "api-b" }).verify(token))).toBe("INVALID_TOKEN");
    expect(await verifier({ audience: "api-a" }).verify(token)).toMatchObject({
      userId: "u",
    });
  });

  it("rejects an HS256 token even when its secret is the public key material", async () => {
    const secret = new TextEncoder().encode(JSON.stringify(current.jwk));
    const token = await new SignJWT(cognitoClaims("u"))
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(secret);
    expect(await codeOf(verifier().verify(token))).toBe("INVALID_TOKEN");
  });

  it("picks up a rotated key from the URL", async () => {
    const v = verifier({ jwksCooldownSeconds: 0 });
    await v.verify(await sign(current.privateKey, "k1", cognitoClaims("a"), issuer));
    const next = await rsaKey("k2");
    keys = [current.jwk, next.jwk];
    expect(await v.verify(await sign(next.privateKey, "k2", cognitoClaims("b"), issuer))).toMatchObject({
      userId: "b",
    });
  });

  it("loads keys through a loader function and reloads for an unknown kid at most every 30 s", async () => {
    let loads = 0;
    const k = await rsaKey("L1");
    const v = createJwksTokenVerifier({
      issuer,
      jwks: async () => (loads++, { keys: [k.jwk] }),
    });
    await v.verify(await sign(k.privateKey, "L1", cognitoClaims("a"), issuer));
    await v.verify(await sign(k.privateKey, "L1", cognitoClaims("a"), issuer));
    expect(loads).toBe(1);
    const stranger = await rsaKey("L9");
    expect(await codeOf(v.verify(await sign(stranger.privateKey, "L9", cognitoClaims("a"), issuer)))).toBe(
      "INVALID_TOKEN",
    );
    expect(loads).toBe(1);
    const published = [k.jwk];
    const eager = createJwksTokenVerifier({
      issuer,
      jwksCooldownSeconds: 0,
      jwks: async () => (loads++, { keys: [...published] }),
    });
    await eager.verify(await sign(k.privateKey, "L1", cognitoClaims("a"), issuer));
    published.push(stranger.jwk);
    await eager.verify(await sign(stranger.privateKey, "L9", cognitoClaims("a"), issuer));
    expect(loads).toBe(3);
  });

  it("says INTERNAL, not INVALID_TOKEN, when the key set cannot be fetched", async () => {
    const token = await sign(current.privateKey, "k1", cognitoClaims("a"), issuer);
    const v = createJwksTokenVerifier({
      issuer,
      jwks: new URL(`${server.url}/missing/jwks.json`),
    });
    expect(await codeOf(v.verify(token))).toBe("INTERNAL");
  });
});

describe("extractBearer", () => {
  it.each([
    [undefined, null],
    ["", null],
    ["Basic abc", null],
    ["Bearer", null],
    ["Bearer ", null],
    ["Bearer a b", null],
    ["Bearer abc.def.ghi", "abc.def.ghi"],
    ["bearer   abc ", "abc"],
  ])("%j -> %j", (header, expected) => {
    expect(extractBearer(header)).toBe(expected);
  });
});

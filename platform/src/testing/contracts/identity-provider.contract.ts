import { randomUUID } from "node:crypto";
import { isDomainError, type ErrorCode } from "@vp/domain";
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessTokenVerifier, IdentityProvider } from "../../ports/identity.js";

export interface IdentityHarness {
  readonly identity: IdentityProvider;
  /**
   * Verifies this provider's access tokens the way the API does (through the provider's JWKS,
   * consulting the revocation store the provider's signOut writes to).
   */
  readonly verifier: AccessTokenVerifier;
  /** Subjects of the mails our Mailer sent to `email` (not Cognito's own code mails). */
  mailSubjects(email: string): Promise<readonly string[]>;
  /**
   * Whether signOut given only the refresh token also ends the access tokens: true where tokens
   * name their session (local `sid`, Cognito `origin_jti`); cognito-local sets neither.
   */
  readonly accessTokensNameTheirSession: boolean;
  /** A verifier like `verifier` whose clock reads `clock()` (ms): shows expiry without waiting. */
  verifierAt(clock: () => number): AccessTokenVerifier;
  /** The latest confirmation code mailed to `email` (local: the mailer fake; Cognito: its stored code). */
  readConfirmationCode(email: string): Promise<string>;
  /** False for providers that hand back the same refresh token (Cognito without rotation). */
  readonly rotatesRefreshTokens: boolean;
  close(): Promise<void>;
}

export type IdentityHarnessFactory = (options: {
  readonly requireEmailConfirmation: boolean;
}) => Promise<IdentityHarness>;

const GOOD_PASSWORD = "correct horse 42";
const uniqueEmail = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.com`;

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a DomainError ${code}`).not.toBeNull();
  expect(isDomainError(error) ? error.code : error).toBe(code);
}

/**
 * The one suite every IdentityProvider adapter passes (local accounts now, Cognito later). It
 * only speaks the ports, so anything an adapter-specific test needs comes through the harness.
 */
export function identityProviderContract(name: string, make: IdentityHarnessFactory): void {
  describe(`IdentityProvider contract: ${name}`, () => {
    describe("sign-up without email confirmation", () => {
      let h: IdentityHarness;
      beforeAll(async () => {
        h = await make({ requireEmailConfirmation: false });
      });
      afterAll(async () => h?.close());

      it("creates a confirmed user that getUser returns with the email normalized", async () => {
        const email = uniqueEmail("Alice");
        const { userId, confirmed } = await h.identity.signUp({
          email: `  ${email.toUpperCase()} `,
          password: GOOD_PASSWORD,
        });
        expect(confirmed).toBe(true);
        expect(userId).toMatch(/\S/);
        expect(await h.identity.getUser(userId)).toEqual({
          userId,
          email: email.toLowerCase(),
          confirmed: true,
        });
      });

      it("says it needs no confirmation", () => {
        expect(h.identity.requiresEmailConfirmation).toBe(false);
      });

      it("refuses a second account for the same address, whatever its case, and mails the owner", async () => {
        const email = uniqueEmail("dup");
        await h.identity.signUp({ email, password: GOOD_PASSWORD });
        expect(await h.mailSubjects(email)).toEqual([]);
        await expectCode(h.identity.signUp({ email, password: "another pass 7" }), "ALREADY_EXISTS");
        await expectCode(
          h.identity.signUp({
            email: email.toUpperCase(),
            password: GOOD_PASSWORD,
          }),
          "ALREADY_EXISTS",
        );
        // Mailed in the background when no confirmation is needed (to cost what a creation costs).
        for (let i = 0; i < 100 && (await h.mailSubjects(email)).length < 2; i++)
          await new Promise((r) => setTimeout(r, 10));
        expect(await h.mailSubjects(email)).toEqual([
          "You already have a video-processor account",
          "You already have a video-processor account",
        ]);
        // ...and the account is unchanged: the first password still signs in, the other does not.
        await h.identity.signIn({ email, password: GOOD_PASSWORD });
        await expectCode(h.identity.signIn({ email, password: "another pass 7" }), "INVALID_CREDENTIALS");
      });

      it.each([
        ["too short", "Ab1!xyz"],
        ["a keyboard sequence", "abcdefghijkl"],
        ["digits only", "12345678901"],
        ["common, with a digit", "password1"],
        ["common digits and a letter", "12345678a"],
        ["common, with capitals and symbols", "Password123!"],
        ["l33t of a common one", "p@ssw0rd123"],
        ["a keyboard walk", "qwertyuiop"],
        ["a repeat", "aaaaaaaaaaaa"],
        ["too long", "a long passphrase ".repeat(15)],
      ])("refuses a weak password (%s)", async (_why, password) => {
        await expectCode(h.identity.signUp({ email: uniqueEmail("weak"), password }), "WEAK_PASSWORD");
      });

      it.each([
        ["a lowercase passphrase, no digits or symbols", "purple tractor sings loudly"],
        ["65 characters", "the quick brown fox jumps over the lazy dog while it rains on top"],
        ["random, 10 characters", "q7#Lm2vX9p"],
        ["Unicode", "ünïcödé pässwörd ñandú 🙂"],
      ])("accepts a good password without composition rules (%s)", async (_why, password) => {
        await expect(h.identity.signUp({ email: uniqueEmail("good"), password })).resolves.toMatchObject({
          confirmed: true,
        });
      });

      it("refuses the email address as password", async () => {
        const email = uniqueEmail("same");
        await expectCode(h.identity.signUp({ email, password: email }), "WEAK_PASSWORD");
      });

      it.each(["", "not-an-email", "two@@example.com", "spaces in@example.com", "nodomain@", "@example.com", "a@b"])(
        "refuses a malformed email %j",
        async (email) => {
          await expectCode(h.identity.signUp({ email, password: GOOD_PASSWORD }), "INVALID_EMAIL");
        },
      );

      it("signs in with tokens that verify to the same user", async () => {
        const email = uniqueEmail("signin");
        const { userId } = await h.identity.signUp({
          email,
          password: GOOD_PASSWORD,
        });
        const tokens = await h.identity.signIn({
          email: email.toUpperCase(),
          password: GOOD_PASSWORD,
        });
        expect(tokens.tokenType).toBe("Bearer");
        expect(tokens.expiresIn).toBeGreaterThan(0);
        expect(tokens.refreshToken).toMatch(/\S/);
        const principal = await h.verifier.verify(tokens.accessToken);
        expect(principal.userId).toBe(userId);
        expect([email, null]).toContain(principal.email);
      });

      it("answers INVALID_CREDENTIALS for a wrong password and for an unknown email alike", async () => {
        const email = uniqueEmail("wrong");
        await h.identity.signUp({ email, password: GOOD_PASSWORD });
        await expectCode(h.identity.signIn({ email, password: "wrong password 1" }), "INVALID_CREDENTIALS");
        await expectCode(
          h.identity.signIn({
            email: uniqueEmail("nobody"),
            password: GOOD_PASSWORD,
          }),
          "INVALID_CREDENTIALS",
        );
      });

      it("refreshes into a new access token for the same user", async () => {
        const email = uniqueEmail("refresh");
        const { userId } = await h.identity.signUp({
          email,
          password: GOOD_PASSWORD,
        });
        const first = await h.identity.signIn({
          email,
          password: GOOD_PASSWORD,
        });
        const second = await h.identity.refresh(first.refreshToken);
        expect(second.tokenType).toBe("Bearer");
        expect(second.accessToken).not.toBe(first.accessToken);
        expect((await h.verifier.verify(second.accessToken)).userId).toBe(userId);
        if (h.rotatesRefreshTokens) {
          expect(second.refreshToken).not.toBe(first.refreshToken);
          await expectCode(h.identity.refresh(first.refreshToken), "INVALID_TOKEN");
        }
      });

      it("refuses a garbage refresh token", async () => {
        await expectCode(h.identity.refresh("not-a-refresh-token"), "INVALID_TOKEN");
        await expectCode(h.identity.refresh(""), "INVALID_TOKEN");
      });

      describe("sign-out", () => {
        const session = async () => {
          const email = uniqueEmail("out");
          await h.identity.signUp({ email, password: GOOD_PASSWORD });
          return h.identity.signIn({ email, password: GOOD_PASSWORD });
        };

        it("ends the refresh token and the access tokens of the session, not another session", async () => {
          const tokens = await session();
          const other = await session();
          await h.verifier.verify(tokens.accessToken);
          await h.identity.signOut({ refreshToken: tokens.refreshToken, accessToken: tokens.accessToken });
          await expectCode(h.verifier.verify(tokens.accessToken), "INVALID_TOKEN");
          await expectCode(h.identity.refresh(tokens.refreshToken), "INVALID_TOKEN");
          await expect(h.verifier.verify(other.accessToken)).resolves.toMatchObject({ userId: expect.any(String) });
          await expect(h.identity.refresh(other.refreshToken)).resolves.toMatchObject({ tokenType: "Bearer" });
        });

        it("ends the session from its access token alone", async () => {
          const tokens = await session();
          await h.identity.signOut({ accessToken: tokens.accessToken });
          await expectCode(h.verifier.verify(tokens.accessToken), "INVALID_TOKEN");
          // Whatever the refresh token still gets at the provider, its tokens are refused here.
          const after = await h.identity.refresh(tokens.refreshToken).catch(() => null);
          if (after !== null && h.accessTokensNameTheirSession)
            await expectCode(h.verifier.verify(after.accessToken), "INVALID_TOKEN");
        });

        it("ends the session from its refresh token alone", async () => {
          const tokens = await session();
          await h.identity.signOut({ refreshToken: tokens.refreshToken });
          await expectCode(h.identity.refresh(tokens.refreshToken), "INVALID_TOKEN");
          if (h.accessTokensNameTheirSession) await expectCode(h.verifier.verify(tokens.accessToken), "INVALID_TOKEN");
        });

        it("is idempotent and silent about unknown or garbage tokens", async () => {
          const tokens = await session();
          await h.identity.signOut({ refreshToken: tokens.refreshToken, accessToken: tokens.accessToken });
          await h.identity.signOut({ refreshToken: tokens.refreshToken, accessToken: tokens.accessToken });
          await h.identity.signOut({ refreshToken: "x".repeat(43), accessToken: "a.b.c" });
          await h.identity.signOut({});
        });
      });

      it("returns null from getUser for an unknown id", async () => {
        expect(await h.identity.getUser(randomUUID())).toBeNull();
      });

      describe("access token verification", () => {
        let accessToken: string;
        beforeAll(async () => {
          const email = uniqueEmail("tokens");
          await h.identity.signUp({ email, password: GOOD_PASSWORD });
          ({ accessToken } = await h.identity.signIn({
            email,
            password: GOOD_PASSWORD,
          }));
        });

        it.each(["", "garbage", "a.b.c", "eyJhbGciOiJFUzI1NiJ9.e30.AAAA"])(
          "rejects %j as INVALID_TOKEN",
          async (token) => {
            await expectCode(h.verifier.verify(token), "INVALID_TOKEN");
          },
        );

        it("rejects a token whose claims were edited", async () => {
          const [header, payload, signature] = accessToken.split(".");
          const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<
            string,
            unknown
          >;
          const forged = Buffer.from(JSON.stringify({ ...claims, sub: randomUUID() })).toString("base64url");
          await expectCode(h.verifier.verify(`${header}.${forged}.${signature}`), "INVALID_TOKEN");
        });

        it("rejects a token signed by another key, even with the right kid and claims", async () => {
          const header = decodeProtectedHeader(accessToken);
          const claims = decodeJwt(accessToken);
          const { privateKey } = await generateKeyPair("ES256");
          const forged = await new SignJWT(claims)
            .setProtectedHeader({ alg: "ES256", kid: header.kid ?? "x" })
            .sign(privateKey);
          await expectCode(h.verifier.verify(forged), "INVALID_TOKEN");
        });

        it("rejects an unsigned (alg none) token", async () => {
          const claims = decodeJwt(accessToken);
          const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(
            JSON.stringify(claims),
          ).toString("base64url")}.`;
          await expectCode(h.verifier.verify(none), "INVALID_TOKEN");
        });

        it("rejects an expired token as TOKEN_EXPIRED", async () => {
          const exp = decodeJwt(accessToken).exp ?? 0;
          const later = h.verifierAt(() => (exp + 600) * 1000);
          await expectCode(later.verify(accessToken), "TOKEN_EXPIRED");
          // ...and the same token is fine just before it expires.
          const before = h.verifierAt(() => (exp - 60) * 1000);
          await expect(before.verify(accessToken)).resolves.toMatchObject({
            userId: expect.any(String),
          });
        });
      });
    });

    describe("sign-up with email confirmation", () => {
      let h: IdentityHarness;
      beforeAll(async () => {
        h = await make({ requireEmailConfirmation: true });
      });
      afterAll(async () => h?.close());

      it("mails a code, refuses sign-in until confirmed, then lets the user in", async () => {
        const email = uniqueEmail("confirm");
        const { userId, confirmed } = await h.identity.signUp({
          email,
          password: GOOD_PASSWORD,
        });
        expect(confirmed).toBe(false);
        expect(await h.identity.getUser(userId)).toMatchObject({
          userId,
          confirmed: false,
        });
        await expectCode(h.identity.signIn({ email, password: GOOD_PASSWORD }), "NOT_CONFIRMED");

        const code = await h.readConfirmationCode(email);
        expect(code).toMatch(/^\d{6}$/);
        const wrong = code === "000000" ? "111111" : "000000";
        await expectCode(h.identity.confirm({ email, code: wrong }), "CODE_MISMATCH");

        await h.identity.confirm({ email, code });
        expect(await h.identity.getUser(userId)).toMatchObject({
          userId,
          confirmed: true,
        });
        const tokens = await h.identity.signIn({
          email,
          password: GOOD_PASSWORD,
        });
        expect((await h.verifier.verify(tokens.accessToken)).userId).toBe(userId);
      });

      it("does not reveal an unconfirmed account to a wrong password", async () => {
        const email = uniqueEmail("unconfirmed");
        await h.identity.signUp({ email, password: GOOD_PASSWORD });
        await expectCode(h.identity.signIn({ email, password: "wrong password 1" }), "INVALID_CREDENTIALS");
      });

      it("answers CODE_MISMATCH for an address that never signed up", async () => {
        await expectCode(h.identity.confirm({ email: uniqueEmail("ghost"), code: "123456" }), "CODE_MISMATCH");
      });

      it("says it needs confirmation", () => {
        expect(h.identity.requiresEmailConfirmation).toBe(true);
      });

      it("answers an unknown address, a wrong code and an already confirmed account with one error", async () => {
        const email = uniqueEmail("same");
        await h.identity.signUp({ email, password: GOOD_PASSWORD });
        const code = await h.readConfirmationCode(email);
        const wrong = code === "000000" ? "111111" : "000000";
        const outcome = (p: Promise<unknown>) =>
          p.then(
            () => "resolved",
            (e: unknown) => (isDomainError(e) ? `${e.code}: ${e.message}` : String(e)),
          );
        const ghost = await outcome(h.identity.confirm({ email: uniqueEmail("ghost"), code: wrong }));
        expect(ghost).toMatch(/^CODE_MISMATCH: /);
        expect(await outcome(h.identity.confirm({ email, code: wrong }))).toBe(ghost);
        await h.identity.confirm({ email, code });
        expect(await outcome(h.identity.confirm({ email, code }))).toBe(ghost);
        expect(await outcome(h.identity.confirm({ email, code: wrong }))).toBe(ghost);
      });

      it("mails the owner of a taken address, and waits for that mail as for a code", async () => {
        const email = uniqueEmail("taken");
        await h.identity.signUp({ email, password: GOOD_PASSWORD });
        await expectCode(h.identity.signUp({ email, password: "another pass 7" }), "ALREADY_EXISTS");
        expect(await h.mailSubjects(email)).toContain("You already have a video-processor account");
      });
    });
  });
}

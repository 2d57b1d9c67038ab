import {
  AdminConfirmSignUpCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { DomainError, type ErrorCode } from "@vp/domain";
import { createJwksTokenVerifier } from "../auth/jwks-token-verifier.js";
import { accountExistsMail } from "../local/identity/confirmation-mail.js";
import { assertAcceptablePassword, assertValidEmail, normalizeEmail } from "../shared/credentials-policy.js";
import type { AccessTokenVerifier, AuthTokens, IdentityProvider, UserRecord } from "../ports/identity.js";
import type { Mailer } from "../ports/mailer.js";
import type { SessionRevocations } from "../ports/session-revocations.js";
import { decodeJwt } from "jose";

export interface CognitoIdentityProviderOptions {
  readonly cognito: () => CognitoIdentityProviderClient;
  readonly userPoolId: string;
  /** An app client without a secret, with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH allowed. */
  readonly clientId: string;
  /**
   * Confirm sign-ups at once with AdminConfirmSignUp (the single-machine default), instead of
   * letting Cognito mail a code. Needs cognito-idp:AdminConfirmSignUp.
   */
  readonly autoConfirm: boolean;
  /**
   * Mails "you already have an account" when someone signs up with a taken address: Cognito's
   * own mail path cannot (its CustomMessage trigger runs only for mails Cognito sends, and a
   * refused SignUp sends none). Without it, nobody is told.
   */
  readonly mailer?: Mailer;
  /**
   * Signed-out sessions, with the pool's issuer to read its tokens: signOut records the
   * session's `origin_jti` (or the token's `jti`) there, for verifiers to refuse.
   */
  readonly sessions?: {
    readonly revocations: SessionRevocations;
    /** `iss` of the pool's tokens (cognitoIssuer, or cognito-local's origin + pool id). */
    readonly issuer: string;
    /** How long a revocation is kept: the refresh-token validity of the app client. @default 30 days */
    readonly lifetimeSeconds?: number;
  };
}

const errorName = (e: unknown): string => (e as { name?: unknown } | null)?.name as string;

/** Maps Cognito's exceptions to our codes, per operation; anything unmapped is rethrown as is. */
function mapError(
  e: unknown,
  table: Readonly<Record<string, ErrorCode>>,
  message: (code: ErrorCode) => string,
): unknown {
  const name = errorName(e);
  const code =
    table[name] ??
    (name === "TooManyRequestsException" || name === "LimitExceededException" ? "RATE_LIMITED" : undefined);
  return code === undefined ? e : new DomainError(code, message(code));
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  ALREADY_EXISTS: "An account with this email address already exists.",
  WEAK_PASSWORD: "The password does not meet the password policy.",
  INVALID_CREDENTIALS: "The email address or password is wrong.",
  NOT_CONFIRMED: "Confirm your email address first: enter the code we sent you.",
  CODE_MISMATCH: "The confirmation code is wrong or has expired.",
  INVALID_TOKEN: "The refresh token is invalid or has expired; sign in again.",
  RATE_LIMITED: "Too many attempts; try again later.",
};
const say = (code: ErrorCode): string => MESSAGES[code] ?? code;

/**
 * Accounts in a Cognito user pool whose username is the email address. We check emails and
 * passwords with the same policy as local accounts before calling Cognito, so both modes refuse
 * the same inputs with the same codes (the pool's own policy should be no stricter).
 */
export class CognitoIdentityProvider implements IdentityProvider {
  /** The pool's tokens checked by signature, issuer and client only (no revocation check). */
  private readonly sessionVerifier: AccessTokenVerifier | null;

  constructor(private readonly options: CognitoIdentityProviderOptions) {
    this.sessionVerifier = options.sessions
      ? createCognitoTokenVerifier({ issuer: options.sessions.issuer, clientId: options.clientId })
      : null;
  }

  get requiresEmailConfirmation(): boolean {
    return !this.options.autoConfirm;
  }

  async signUp(input: {
    readonly email: string;
    readonly password: string;
  }): Promise<{ readonly userId: string; readonly confirmed: boolean }> {
    const email = assertValidEmail(input.email);
    await assertAcceptablePassword(input.password, email);
    const { cognito, clientId, userPoolId, autoConfirm } = this.options;
    try {
      const res = await cognito().send(
        new SignUpCommand({
          ClientId: clientId,
          Username: email,
          Password: input.password,
          UserAttributes: [{ Name: "email", Value: email }],
        }),
      );
      const userId = res.UserSub;
      if (userId === undefined) throw new Error("Cognito SignUp returned no UserSub");
      if (res.UserConfirmed === true) return { userId, confirmed: true };
      if (!autoConfirm) return { userId, confirmed: false };
      await cognito().send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }));
      return { userId, confirmed: true };
    } catch (e) {
      if (errorName(e) === "UsernameExistsException" && this.options.mailer) {
        // Tell the owner, not the caller. Cognito does not say whether the account is confirmed
        // without an admin call, so the mail covers both.
        // A failed mail must not turn into a different answer for taken addresses only.
        await this.options.mailer.send(accountExistsMail(email, { confirmed: true })).catch(() => undefined);
      }
      throw mapError(e, { UsernameExistsException: "ALREADY_EXISTS", InvalidPasswordException: "WEAK_PASSWORD" }, say);
    }
  }

  async confirm(input: { readonly email: string; readonly code: string }): Promise<void> {
    try {
      await this.options.cognito().send(
        new ConfirmSignUpCommand({
          ClientId: this.options.clientId,
          Username: normalizeEmail(input.email),
          ConfirmationCode: input.code,
        }),
      );
    } catch (e) {
      // An unknown address, an account already confirmed (NotAuthorizedException) and a wrong,
      // expired or over-tried code all answer alike: nothing to learn about who has an account.
      throw mapError(
        e,
        {
          CodeMismatchException: "CODE_MISMATCH",
          ExpiredCodeException: "CODE_MISMATCH",
          UserNotFoundException: "CODE_MISMATCH",
          NotAuthorizedException: "CODE_MISMATCH",
          InvalidParameterException: "CODE_MISMATCH",
          LimitExceededException: "CODE_MISMATCH",
        },
        say,
      );
    }
  }

  async signIn(input: { readonly email: string; readonly password: string }): Promise<AuthTokens> {
    if (typeof input.password !== "string" || input.password.length === 0)
      throw new DomainError("INVALID_CREDENTIALS", say("INVALID_CREDENTIALS"));
    try {
      const res = await this.options.cognito().send(
        new InitiateAuthCommand({
          AuthFlow: "USER_PASSWORD_AUTH",
          ClientId: this.options.clientId,
          AuthParameters: { USERNAME: normalizeEmail(input.email), PASSWORD: input.password },
        }),
      );
      if (res.ChallengeName !== undefined)
        throw new DomainError(
          "INVALID_CREDENTIALS",
          `Sign-in needs a step this service does not support (${res.ChallengeName}).`,
        );
      return toTokens(res.AuthenticationResult, null);
    } catch (e) {
      throw mapError(
        e,
        {
          NotAuthorizedException: "INVALID_CREDENTIALS",
          UserNotFoundException: "INVALID_CREDENTIALS",
          // cognito-local's name for a wrong password.
          InvalidPasswordException: "INVALID_CREDENTIALS",
          PasswordResetRequiredException: "INVALID_CREDENTIALS",
          InvalidParameterException: "INVALID_CREDENTIALS",
          UserNotConfirmedException: "NOT_CONFIRMED",
        },
        say,
      );
    }
  }

  async refresh(refreshToken: string): Promise<AuthTokens> {
    if (typeof refreshToken !== "string" || refreshToken.length === 0 || refreshToken.length > 16_384)
      throw new DomainError("INVALID_TOKEN", say("INVALID_TOKEN"));
    try {
      const res = await this.options.cognito().send(
        new InitiateAuthCommand({
          AuthFlow: "REFRESH_TOKEN_AUTH",
          ClientId: this.options.clientId,
          AuthParameters: { REFRESH_TOKEN: refreshToken },
        }),
      );
      // Without refresh token rotation Cognito hands back no new refresh token: the old one stays valid.
      return toTokens(res.AuthenticationResult, refreshToken);
    } catch (e) {
      throw mapError(
        e,
        {
          NotAuthorizedException: "INVALID_TOKEN",
          InvalidParameterException: "INVALID_TOKEN",
          UserNotFoundException: "INVALID_TOKEN",
          UserNotConfirmedException: "INVALID_TOKEN",
        },
        say,
      );
    }
  }

  /**
   * RevokeToken ends the refresh token (Cognito then refuses it and, on its own APIs, the access
   * tokens it minted; cognito-local supports RevokeToken, not GlobalSignOut, which would end every
   * device's session anyway). Our verifiers only see JWTs, so the session id also goes to the
   * revocation store: `origin_jti` (real Cognito: shared by every access token of one refresh
   * token), learned from the bearer token or, given only the refresh token, from one refresh.
   */
  async signOut(input: {
    readonly refreshToken?: string | undefined;
    readonly accessToken?: string | undefined;
  }): Promise<void> {
    const { refreshToken, accessToken } = input;
    const sessionIds = new Map<string, number>();
    const lifetimeMs = (this.options.sessions?.lifetimeSeconds ?? 30 * 24 * 3600) * 1000;
    const now = Date.now();
    if (this.sessionVerifier !== null && typeof accessToken === "string" && accessToken.length > 0) {
      const principal = await this.sessionVerifier.verify(accessToken).catch(() => null);
      if (principal?.sessionId !== undefined) {
        const claims = decodeJwt(accessToken);
        // origin_jti lives as long as its refresh token; a bare jti only as long as its token.
        const until = claims.origin_jti === principal.sessionId ? now + lifetimeMs : ((claims.exp ?? 0) + 60) * 1000;
        sessionIds.set(principal.sessionId, Math.max(until, now + 60_000));
      }
    }
    const usableRefresh = typeof refreshToken === "string" && refreshToken.length > 0 && refreshToken.length <= 16_384;
    if (this.sessionVerifier !== null && usableRefresh && sessionIds.size === 0) {
      const minted = await this.refresh(refreshToken).catch(() => null);
      const origin = minted ? decodeJwt(minted.accessToken).origin_jti : undefined;
      if (typeof origin === "string" && origin.length > 0) sessionIds.set(origin, now + lifetimeMs);
    }
    if (usableRefresh) {
      try {
        await this.options
          .cognito()
          .send(new RevokeTokenCommand({ ClientId: this.options.clientId, Token: refreshToken }));
      } catch (e) {
        // Unknown, already revoked or malformed: nothing left to end.
        const name = errorName(e);
        if (!["NotAuthorizedException", "InvalidParameterException", "UnsupportedTokenTypeException"].includes(name))
          throw mapError(e, {}, say);
      }
    }
    for (const [sessionId, until] of sessionIds)
      await this.options.sessions?.revocations.revoke(sessionId, new Date(until));
  }

  async getUser(userId: string): Promise<UserRecord | null> {
    // The id is the token's `sub`; it goes into a filter expression, so only id characters pass.
    if (!/^[\w-]{1,128}$/.test(userId)) return null;
    const res = await this.options
      .cognito()
      .send(new ListUsersCommand({ UserPoolId: this.options.userPoolId, Filter: `sub = "${userId}"`, Limit: 1 }));
    const user = res.Users?.[0];
    if (user === undefined) return null;
    const attr = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
    if (attr("sub") !== userId) return null;
    return {
      userId,
      email: normalizeEmail(attr("email") ?? ""),
      confirmed: user.UserStatus === "CONFIRMED" || user.UserStatus === "EXTERNAL_PROVIDER",
    };
  }
}

function toTokens(result: AuthenticationResultType | undefined, previousRefreshToken: string | null): AuthTokens {
  const accessToken = result?.AccessToken;
  const refreshToken = result?.RefreshToken ?? previousRefreshToken;
  if (accessToken === undefined || refreshToken === null) throw new Error("Cognito returned no tokens");
  return { accessToken, refreshToken, expiresIn: result?.ExpiresIn ?? 3600, tokenType: "Bearer" };
}

/** `https://cognito-idp.<region>.amazonaws.com/<poolId>`: the `iss` of the pool's tokens. */
export const cognitoIssuer = (region: string, userPoolId: string): string =>
  `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;

/**
 * Verifies the pool's access tokens through its JWKS (`<issuer>/.well-known/jwks.json`), on the
 * same code path as local accounts. Cognito access tokens carry no `aud`: `client_id` is checked.
 */
export function createCognitoTokenVerifier(options: {
  readonly issuer: string;
  readonly clientId: string;
  readonly clock?: () => number;
  /** Signed-out sessions to refuse (a cached store). @default none */
  readonly revocations?: SessionRevocations;
}): AccessTokenVerifier {
  return createJwksTokenVerifier({
    issuer: options.issuer,
    jwks: new URL(`${options.issuer}/.well-known/jwks.json`),
    clientId: options.clientId,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.revocations !== undefined ? { revocations: options.revocations } : {}),
  });
}

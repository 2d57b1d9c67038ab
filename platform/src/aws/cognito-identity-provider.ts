import {
  AdminConfirmSignUpCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { DomainError, type ErrorCode } from "@vp/domain";
import { createJwksTokenVerifier } from "../auth/jwks-token-verifier.js";
import { assertAcceptablePassword, assertValidEmail, normalizeEmail } from "../shared/credentials-policy.js";
import type { AccessTokenVerifier, AuthTokens, IdentityProvider, UserRecord } from "../ports/identity.js";

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
  constructor(private readonly options: CognitoIdentityProviderOptions) {}

  async signUp(input: {
    readonly email: string;
    readonly password: string;
  }): Promise<{ readonly userId: string; readonly confirmed: boolean }> {
    const email = assertValidEmail(input.email);
    assertAcceptablePassword(input.password, email);
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
      // Confirming twice is not an error worth showing.
      if (errorName(e) === "NotAuthorizedException" && /CONFIRMED/.test((e as Error).message)) return;
      throw mapError(
        e,
        {
          CodeMismatchException: "CODE_MISMATCH",
          ExpiredCodeException: "CODE_MISMATCH",
          // An address that never signed up answers like a wrong code: nothing to learn from it.
          UserNotFoundException: "CODE_MISMATCH",
          NotAuthorizedException: "CODE_MISMATCH",
          InvalidParameterException: "CODE_MISMATCH",
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
}): AccessTokenVerifier {
  return createJwksTokenVerifier({
    issuer: options.issuer,
    jwks: new URL(`${options.issuer}/.well-known/jwks.json`),
    clientId: options.clientId,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
}

export interface AuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly tokenType: "Bearer";
}

export interface Principal {
  readonly userId: string;
  readonly email: string | null;
  /** The sign-in session the token belongs to (`sid`, `origin_jti` or `jti`), when it names one. */
  readonly sessionId?: string;
}

export interface UserRecord {
  readonly userId: string;
  readonly email: string;
  readonly confirmed: boolean;
}

/**
 * Accounts. Failures are DomainErrors: INVALID_EMAIL, WEAK_PASSWORD, ALREADY_EXISTS,
 * INVALID_CREDENTIALS (never says which of email or password was wrong), NOT_CONFIRMED,
 * CODE_MISMATCH, INVALID_TOKEN, TOKEN_EXPIRED.
 *
 * Nothing public may tell whether an address has an account:
 * - signUp on a taken address spends the time a creation does (one password hash), mails the
 *   owner ("you already have an account"), then throws ALREADY_EXISTS. Public callers answer it
 *   exactly like a success (the accounts handler: 202 for both).
 * - confirm answers CODE_MISMATCH, with one message, for an unknown address, a wrong, expired or
 *   locked code, and an account already confirmed.
 */
export interface IdentityProvider {
  /** Sign-ups must be confirmed with a mailed code before signIn works. */
  readonly requiresEmailConfirmation: boolean;
  signUp(input: {
    readonly email: string;
    readonly password: string;
  }): Promise<{ readonly userId: string; readonly confirmed: boolean }>;
  confirm(input: { readonly email: string; readonly code: string }): Promise<void>;
  signIn(input: { readonly email: string; readonly password: string }): Promise<AuthTokens>;
  refresh(refreshToken: string): Promise<AuthTokens>;
  /**
   * Ends one sign-in session, named by its refresh token and/or one of its access tokens: the
   * refresh token (local: its whole family) stops working and, where the provider was given a
   * SessionRevocations store, the session's access tokens are refused by verifiers consulting it.
   * Idempotent and silent: unknown, expired or already revoked tokens resolve without error.
   */
  signOut(input: {
    readonly refreshToken?: string | undefined;
    readonly accessToken?: string | undefined;
  }): Promise<void>;
  getUser(userId: string): Promise<UserRecord | null>;
}

/** Verifies access tokens against a JWKS; the same code serves local accounts and Cognito. */
export interface AccessTokenVerifier {
  /** Throws INVALID_TOKEN (also for a signed-out session) or TOKEN_EXPIRED. */
  verify(token: string): Promise<Principal>;
}

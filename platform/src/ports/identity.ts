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
 */
export interface IdentityProvider {
  signUp(input: {
    readonly email: string;
    readonly password: string;
  }): Promise<{ readonly userId: string; readonly confirmed: boolean }>;
  confirm(input: { readonly email: string; readonly code: string }): Promise<void>;
  signIn(input: { readonly email: string; readonly password: string }): Promise<AuthTokens>;
  refresh(refreshToken: string): Promise<AuthTokens>;
  getUser(userId: string): Promise<UserRecord | null>;
}

/** Verifies access tokens against a JWKS; the same code serves local accounts and Cognito. */
export interface AccessTokenVerifier {
  /** Throws INVALID_TOKEN or TOKEN_EXPIRED. */
  verify(token: string): Promise<Principal>;
}

/**
 * Signed-out sessions, so access tokens (which are self-contained JWTs) stop working before they
 * expire. A session id is what a token carries: `sid` (local accounts: the refresh-token family),
 * `origin_jti` (Cognito: the id of the refresh token it came from) or, failing both, `jti`.
 * Entries only need to outlive the tokens they block; adapters may forget them after `until`.
 */
export interface SessionRevocations {
  /** Idempotent; revoking again keeps the later `until`. */
  revoke(sessionId: string, until: Date): Promise<void>;
  /** True while a revocation of `sessionId` is in force. */
  isRevoked(sessionId: string): Promise<boolean>;
}

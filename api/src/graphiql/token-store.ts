const KEY = "video-processor.accessToken";
const REFRESH_KEY = "video-processor.refreshToken";

/** Seconds since the epoch at which a JWT expires (unverified: only to decide when to refresh). */
function expiresAt(token: string): number | null {
  try {
    const payload = token.split(".")[1] ?? "";
    const exp = (JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp : null;
  } catch {
    return null;
  }
}

/** The access token the playground sends, kept across reloads in this browser only. */
export const tokenStore = {
  get: (): string => localStorage.getItem(KEY) ?? "",
  set: (token: string): void => localStorage.setItem(KEY, token.trim().replace(/^Bearer\s+/i, "")),
  /** The refresh token of the last login here; a pasted access token has none. */
  setRefresh: (token: string): void => {
    if (token) localStorage.setItem(REFRESH_KEY, token);
    else localStorage.removeItem(REFRESH_KEY);
  },
  /**
   * The access token, refreshed first when it is expired (or about to) and a login left a refresh
   * token: the server closes a subscription socket at its token's expiry (4403), graphql-ws
   * reconnects, and the new connection must carry a fresh token.
   */
  async fresh(): Promise<string> {
    const token = tokenStore.get();
    const refreshToken = localStorage.getItem(REFRESH_KEY);
    const exp = token ? expiresAt(token) : null;
    if (!token || !refreshToken || exp === null || exp * 1000 - 30_000 > Date.now()) return token;
    const res = await fetch("/api/v1/accounts/refresh", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    });
    if (!res.ok) return token;
    const body = (await res.json()) as { accessToken?: string; refreshToken?: string };
    if (body.accessToken) tokenStore.set(body.accessToken);
    if (body.refreshToken) tokenStore.setRefresh(body.refreshToken);
    return tokenStore.get();
  },
};

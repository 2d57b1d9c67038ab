const KEY = "video-processor.accessToken";

/** The access token the playground sends, kept across reloads in this browser only. */
export const tokenStore = {
  get: (): string => localStorage.getItem(KEY) ?? "",
  set: (token: string): void => localStorage.setItem(KEY, token.trim().replace(/^Bearer\s+/i, "")),
};

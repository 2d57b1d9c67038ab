import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AccountsError, type AccountsApi, type Tokens } from "./accounts-api.js";
import { createSessionStore } from "./session-store.js";

const tokens = (n: number, expiresIn = 600): Tokens => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn,
});

function fakeApi(refresh: AccountsApi["refresh"]): AccountsApi & { loggedOut: string[] } {
  const loggedOut: string[] = [];
  return {
    loggedOut,
    signUp: async () => ({ confirmationRequired: false, message: "ok" }),
    confirm: async () => ({ confirmed: true }),
    logIn: async () => tokens(1),
    refresh,
    logOut: async (_access, refreshToken) => {
      loggedOut.push(refreshToken);
      return { signedOut: true };
    },
  };
}

describe("session store", () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("survives a reload: a new store reads the session back", () => {
    const api = fakeApi(async () => tokens(2));
    const first = createSessionStore(api, localStorage);
    first.signIn("me@example.com", tokens(1));
    first.dispose();
    const again = createSessionStore(api, localStorage);
    expect(again.get()).toMatchObject({ email: "me@example.com", accessToken: "access-1", refreshToken: "refresh-1" });
    again.dispose();
  });

  it("refreshes a minute before expiry, rotating the refresh token, and tells listeners", async () => {
    const refresh = vi.fn(async (_token: string) => tokens(2));
    const store = createSessionStore(fakeApi(refresh), localStorage);
    const seen: string[] = [];
    store.subscribe(() => seen.push(store.get()?.accessToken ?? ""));
    store.signIn("me@example.com", tokens(1, 600));
    await vi.advanceTimersByTimeAsync(538_000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(refresh).toHaveBeenCalledWith("refresh-1");
    expect(store.get()).toMatchObject({ accessToken: "access-2", refreshToken: "refresh-2" });
    expect(seen).toEqual(["access-1", "access-2"]);
    expect(JSON.parse(localStorage.getItem("video-processor.session")!)).toMatchObject({ accessToken: "access-2" });
    store.dispose();
  });

  it("answers a fresh token when the stored one is about to expire (once, for concurrent callers)", async () => {
    const refresh = vi.fn(async () => tokens(3));
    const store = createSessionStore(fakeApi(refresh), localStorage);
    store.signIn("me@example.com", tokens(1, 30));
    vi.setSystemTime(Date.now() + 25_000);
    const [a, b] = await Promise.all([store.freshToken(), store.freshToken()]);
    expect([a, b]).toEqual(["access-3", "access-3"]);
    expect(refresh).toHaveBeenCalledTimes(1);
    store.dispose();
  });

  it("signs out when the refresh is refused, and keeps the session when the network failed", async () => {
    const refused = createSessionStore(
      fakeApi(async () => {
        throw new AccountsError("INVALID_TOKEN", "The session has ended.", 401);
      }),
      localStorage,
    );
    refused.signIn("me@example.com", tokens(1, 30));
    vi.setSystemTime(Date.now() + 29_000);
    expect(await refused.freshToken()).toBe("");
    expect(refused.get()).toBeNull();
    refused.dispose();

    const offline = createSessionStore(
      fakeApi(async () => {
        throw new AccountsError("NETWORK", "unreachable", 0);
      }),
      localStorage,
    );
    offline.signIn("me@example.com", tokens(1, 30));
    vi.setSystemTime(Date.now() + 29_000);
    expect(await offline.freshToken()).toBe("access-1");
    expect(offline.get()).not.toBeNull();
    offline.dispose();
  });

  it("refreshes at once when the server refused the token, and signs out when the session was revoked", async () => {
    let revoked = false;
    const store = createSessionStore(
      fakeApi(async () => {
        if (revoked) throw new AccountsError("NOT_AUTHORIZED", "The session has ended.", 401);
        return tokens(4);
      }),
      localStorage,
    );
    store.signIn("me@example.com", tokens(1, 600));
    expect(await store.forceRefresh()).toBe("access-4");
    revoked = true;
    expect(await store.forceRefresh()).toBe("");
    expect(store.get()).toBeNull();
    store.dispose();
  });

  it("logs out on the server with the session's refresh token and forgets it here", async () => {
    const api = fakeApi(async () => tokens(2));
    const store = createSessionStore(api, localStorage);
    store.signIn("me@example.com", tokens(1));
    await store.signOut();
    expect(api.loggedOut).toEqual(["refresh-1"]);
    expect(store.get()).toBeNull();
    expect(localStorage.getItem("video-processor.session")).toBeNull();
    store.dispose();
  });
});

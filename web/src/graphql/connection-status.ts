/** What the banner shows: whether the live socket and the last HTTP request got through. */
export interface ConnectionState {
  /** The socket dropped after it had been connected, and has not reconnected yet. */
  readonly socketLost: boolean;
  /** The last GraphQL or accounts request failed to reach the server. */
  readonly httpLost: boolean;
  /** The browser says it is offline. */
  readonly offline: boolean;
}

export interface ConnectionStatus {
  readonly get: () => ConnectionState;
  readonly set: (patch: Partial<ConnectionState>) => void;
  readonly subscribe: (listener: () => void) => () => void;
}

export function createConnectionStatus(): ConnectionStatus {
  let state: ConnectionState = {
    socketLost: false,
    httpLost: false,
    offline: typeof navigator !== "undefined" && navigator.onLine === false,
  };
  const listeners = new Set<() => void>();
  if (typeof window !== "undefined") {
    window.addEventListener("offline", () => status.set({ offline: true }));
    window.addEventListener("online", () => status.set({ offline: false }));
  }
  const status: ConnectionStatus = {
    get: () => state,
    set(patch) {
      const next = { ...state, ...patch };
      if (next.socketLost === state.socketLost && next.httpLost === state.httpLost && next.offline === state.offline)
        return;
      state = next;
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return status;
}

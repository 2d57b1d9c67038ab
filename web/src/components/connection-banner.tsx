import { useSyncExternalStore } from "react";
import type { ConnectionStatus } from "../graphql/connection-status.js";

/** Says in words when the server cannot be reached; live updates resume by themselves. */
export function ConnectionBanner({ status }: { readonly status: ConnectionStatus }) {
  const state = useSyncExternalStore(status.subscribe, status.get, status.get);
  const message = state.offline
    ? "You are offline. Changes will show again when the connection is back."
    : state.socketLost
      ? "Connection to the server lost. Reconnecting; live updates resume by themselves."
      : state.httpLost
        ? "The server could not be reached. Check your connection; the page retries on its own."
        : null;
  return (
    <div role="status" aria-live="polite" className={message ? "banner" : "banner-empty"}>
      {message}
    </div>
  );
}

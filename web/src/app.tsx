import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { Provider, useSubscription } from "urql";
import type { AccountsApi } from "./auth/accounts-api.js";
import type { SessionStore } from "./auth/session-store.js";
import { ConnectionBanner } from "./components/connection-banner.js";
import { WebJobUpdatesDocument } from "./generated/graphql.js";
import { createApiClients, type ApiClients } from "./graphql/client.js";
import type { ConnectionStatus } from "./graphql/connection-status.js";
import { LoginPage, SignupPage } from "./pages/auth-pages.js";
import { VideoPage } from "./pages/video-page.js";
import { VideosPage } from "./pages/videos-page.js";
import { Link, navigate, parseRoute, useLocation } from "./router.js";
import { graphqlUploadApi } from "./upload/graphql-upload-api.js";
import { xhrTransfer } from "./upload/transfer.js";
import { UploadManager } from "./upload/upload-manager.js";

export interface AppProps {
  readonly accounts: AccountsApi;
  readonly sessions: SessionStore;
  readonly status: ConnectionStatus;
}

/** Seconds of job history a (re)subscription replays, so a dropped socket loses no change. */
const REPLAY_SECONDS = 300;

export function App({ accounts, sessions, status }: AppProps) {
  const session = useSyncExternalStore(sessions.subscribe, sessions.get, sessions.get);
  const route = parseRoute(useLocation());
  const signedInAs = session?.email ?? null;
  // A new client (cache, socket) per signed-in user: nothing of one account survives into the next.
  const [clients, setClients] = useState<ApiClients | null>(null);
  useEffect(() => {
    if (!signedInAs) return setClients(null);
    const created = createApiClients(sessions, status);
    setClients(created);
    return () => created.dispose();
  }, [signedInAs, sessions, status]);
  const uploads = useMemo(
    () => (clients ? new UploadManager({ api: graphqlUploadApi(clients.urql), transfer: xhrTransfer }) : null),
    [clients],
  );

  const authRoute = route.name === "login" || route.name === "signup";
  useEffect(() => {
    if (!session && !authRoute) navigate("/login", { replace: true });
    if (session && authRoute) navigate("/videos", { replace: true });
  }, [session, authRoute]);

  useEffect(() => {
    const titles = { login: "Log in", signup: "Sign up", videos: "Your videos", video: "Video", notFound: "Not found" };
    document.title = `${titles[route.name]} · video-processor`;
  }, [route.name]);

  const main =
    !session || !clients || !uploads ? (
      route.name === "signup" ? (
        <SignupPage api={accounts} sessions={sessions} />
      ) : (
        <LoginPage api={accounts} sessions={sessions} />
      )
    ) : route.name === "video" ? (
      <VideoPage id={route.id} />
    ) : route.name === "notFound" ? (
      <>
        <h1>Page not found</h1>
        <p>
          <Link href="/videos">Go to your videos</Link>
        </p>
      </>
    ) : (
      <VideosPage uploads={uploads} />
    );

  const page = (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/videos" className="brand">
          video-processor
        </Link>
        {session && (
          <nav aria-label="Account" className="account">
            <span className="email">{session.email}</span>
            <button
              type="button"
              className="secondary"
              onClick={() => void sessions.signOut().then(() => navigate("/login", { replace: true }))}
            >
              Log out
            </button>
          </nav>
        )}
      </header>
      <ConnectionBanner status={status} />
      <main id="main" tabIndex={-1}>
        {main}
      </main>
    </>
  );
  return clients ? (
    <Provider value={clients.urql}>
      <LiveUpdates />
      {page}
    </Provider>
  ) : (
    page
  );
}

/** The one myJobUpdates subscription: each event lands in the normalized cache and moves every view of that job. */
function LiveUpdates() {
  useSubscription({ query: WebJobUpdatesDocument, variables: { replaySeconds: REPLAY_SECONDS } });
  return null;
}

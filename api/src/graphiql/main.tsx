import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import { GraphiQL } from "graphiql";
import { StrictMode, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { createAuthedFetcher } from "./fetcher.js";
import { TokenBar } from "./token-bar.js";
import { tokenStore } from "./token-store.js";

const DEFAULT_QUERY = `# Log in above (or paste a token), then run:
query Me {
  viewer {
    email
    videos(first: 10) {
      edges { node { id filename status latestJob { id status progress } } }
    }
  }
}
`;

function App() {
  const [token, setToken] = useState(tokenStore.get());
  const { fetcher, reconnect } = useMemo(
    () =>
      createAuthedFetcher(
        () => tokenStore.get(),
        () => tokenStore.fresh(),
      ),
    [],
  );
  const onToken = (value: string) => {
    tokenStore.set(value);
    setToken(tokenStore.get());
    reconnect();
  };
  return (
    <div style={{ display: "flex", flexDirection: "column", height: "100vh" }}>
      <TokenBar token={token} onToken={onToken} />
      <div style={{ flex: 1, minHeight: 0 }}>
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </div>
    </div>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

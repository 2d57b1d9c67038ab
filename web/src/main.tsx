import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { accountsApi } from "./auth/accounts-api.js";
import { createSessionStore } from "./auth/session-store.js";
import { createConnectionStatus } from "./graphql/connection-status.js";
import "./styles.css";

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App accounts={accountsApi} sessions={createSessionStore(accountsApi)} status={createConnectionStatus()} />
    </StrictMode>,
  );
}

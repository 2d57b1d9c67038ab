import { useState, type FormEvent } from "react";
import { tokenStore } from "./token-store.js";

interface Props {
  readonly token: string;
  readonly onToken: (token: string) => void;
}

/** Paste a token, or log in with email and password through the accounts API. */
export function TokenBar({ token, onToken }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState("");

  const login = async (e: FormEvent) => {
    e.preventDefault();
    setMessage("Logging in…");
    const res = await fetch("/api/v1/accounts/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    const body = (await res.json()) as { accessToken?: string; refreshToken?: string; error?: { message: string } };
    if (body.accessToken) {
      onToken(body.accessToken);
      // Kept so subscriptions can reconnect with a fresh token when this one expires.
      tokenStore.setRefresh(body.refreshToken ?? "");
      setMessage("Logged in.");
    } else setMessage(body.error?.message ?? `Login failed (${res.status})`);
  };

  const style = {
    display: "flex",
    gap: 8,
    alignItems: "center",
    padding: "6px 12px",
    font: "13px system-ui",
    borderBottom: "1px solid #ddd",
  };
  return (
    <form
      style={style}
      onSubmit={(e) => void login(e).catch((err: unknown) => setMessage(`Login failed: ${String(err)}`))}
    >
      <strong>video-processor</strong>
      <label>
        Token{" "}
        <input
          value={token}
          onChange={(e) => {
            tokenStore.setRefresh(""); // a pasted token comes with no refresh token
            onToken(e.target.value);
          }}
          placeholder="paste an access token"
          size={40}
        />
      </label>
      <span>or</span>
      <input value={email} onChange={(e) => setEmail(e.target.value)} placeholder="email" type="email" />
      <input value={password} onChange={(e) => setPassword(e.target.value)} placeholder="password" type="password" />
      <button type="submit">Log in</button>
      <span aria-live="polite">{message}</span>
    </form>
  );
}

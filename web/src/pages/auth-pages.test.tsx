import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AccountsError, type AccountsApi } from "../auth/accounts-api.js";
import { createSessionStore } from "../auth/session-store.js";
import { LoginPage, SignupPage } from "./auth-pages.js";

function api(overrides: Partial<AccountsApi> = {}): AccountsApi {
  return {
    signUp: async () => ({ confirmationRequired: false, message: "Account created." }),
    confirm: async () => ({ confirmed: true }),
    logIn: async () => ({ accessToken: "a", refreshToken: "r", expiresIn: 600 }),
    refresh: async () => ({ accessToken: "a2", refreshToken: "r2", expiresIn: 600 }),
    logOut: async () => ({ signedOut: true }),
    ...overrides,
  };
}

const fill = (email: string, password: string) => {
  fireEvent.change(screen.getByLabelText("Email"), { target: { value: email } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
};

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe("account pages", () => {
  it("logs in and keeps the session", async () => {
    const accounts = api();
    const sessions = createSessionStore(accounts, localStorage);
    render(<LoginPage api={accounts} sessions={sessions} />);
    fill("me@example.com", "a long passphrase 1");
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    await waitFor(() => expect(sessions.get()?.email).toBe("me@example.com"));
    expect(location.pathname).toBe("/videos");
    sessions.dispose();
  });

  it("shows the server's refusal in words", async () => {
    const accounts = api({
      logIn: async () => {
        throw new AccountsError("NOT_AUTHORIZED", "Incorrect email or password.", 401);
      },
    });
    const sessions = createSessionStore(accounts, localStorage);
    render(<LoginPage api={accounts} sessions={sessions} />);
    fill("me@example.com", "wrong");
    fireEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Incorrect email or password.");
    expect(sessions.get()).toBeNull();
    sessions.dispose();
  });

  it("asks for the code when confirmation is on, then logs in", async () => {
    const confirmed: string[] = [];
    const accounts = api({
      signUp: async () => ({ confirmationRequired: true, message: "We sent a code to your email." }),
      confirm: async (email, code) => {
        confirmed.push(`${email} ${code}`);
        return { confirmed: true };
      },
    });
    const sessions = createSessionStore(accounts, localStorage);
    render(<SignupPage api={accounts} sessions={sessions} />);
    fill("new@example.com", "a long passphrase 1");
    fireEvent.click(screen.getByRole("button", { name: "Sign up" }));
    expect((await screen.findByRole("status")).textContent).toBe("We sent a code to your email.");
    fireEvent.change(screen.getByLabelText("Confirmation code"), { target: { value: " 123456 " } });
    fireEvent.click(screen.getByRole("button", { name: "Confirm" }));
    await waitFor(() => expect(sessions.get()?.email).toBe("new@example.com"));
    expect(confirmed).toEqual(["new@example.com 123456"]);
    sessions.dispose();
  });
});

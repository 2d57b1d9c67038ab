import { cleanup, act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { createConnectionStatus } from "../graphql/connection-status.js";
import { ConnectionBanner } from "./connection-banner.js";

afterEach(cleanup);

describe("ConnectionBanner", () => {
  it("says in words when the socket is lost, and clears when it is back", () => {
    const status = createConnectionStatus();
    render(<ConnectionBanner status={status} />);
    expect(screen.getByRole("status").textContent).toBe("");
    act(() => status.set({ socketLost: true }));
    expect(screen.getByRole("status").textContent).toMatch(/Connection to the server lost\. Reconnecting/);
    act(() => status.set({ socketLost: false, httpLost: true }));
    expect(screen.getByRole("status").textContent).toMatch(/could not be reached/);
    act(() => status.set({ httpLost: false }));
    expect(screen.getByRole("status").textContent).toBe("");
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuilt } from "../../../web/src/build/build.js";
import { removeDir, startTestProduct, type TestProduct } from "../support/product.js";
import { makeTestVideo } from "../support/videos.js";
import { launchBrowser, type TestBrowser } from "./browser.js";

const PASSWORD = "orange kettle under moonlight 7";
let browser: TestBrowser;
let workDir: string;
let clipB: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "vp-browser-session-"));
  [clipB] = await Promise.all([
    makeTestVideo(join(workDir, "second-clip.mp4"), { seconds: 2, size: "320x180" }),
    ensureWebBuilt(),
  ]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("web app session", () => {
  let own: TestProduct | null = null;
  afterAll(async () => {
    await own?.close();
    if (own) await removeDir(own.dataDir);
  });

  it("refreshes its token before expiry and reopens the live socket with it; updates keep coming", async () => {
    // 60 s tokens (the shortest allowed): the app refreshes at half their life.
    own = await startTestProduct({ env: { VP_ACCESS_TOKEN_TTL_SECONDS: "60" } });
    const context = await browser.browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    await page.goto(`${own.url}/signup`);
    await page.getByLabel("Email").fill("refresh@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Your videos" }).waitFor();
    const tokenNow = () =>
      page.evaluate(
        () =>
          (JSON.parse(localStorage.getItem("video-processor.session") ?? "{}") as { accessToken?: string }).accessToken,
      );
    const first = await tokenNow();
    expect(first).toBeTruthy();
    await expect.poll(() => sockets.length, { timeout: 10_000 }).toBe(1);

    await expect.poll(tokenNow, { timeout: 45_000, interval: 1000 }).not.toBe(first);
    await expect.poll(() => sockets.length, { timeout: 10_000 }).toBe(2);

    // Past the first token's expiry: still signed in, and live updates arrive on the new socket.
    await page.waitForTimeout(Math.max(0, 62_000 - 31_000));
    await page.getByLabel("Video files").setInputFiles([clipB]);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.locator(".video-row", { hasText: "Succeeded" }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole("heading", { name: "Log in" }).count()).toBe(0);
    await context.close();
  }, 180_000);
});

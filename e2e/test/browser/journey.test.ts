import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuilt } from "../../../web/src/build/build.js";
import { removeDir, startTestProduct, type TestProduct } from "../support/product.js";
import { makeTestVideo } from "../support/videos.js";
import { launchBrowser, recordTraffic, seriousViolations, type TestBrowser } from "./browser.js";

const SCREENSHOT = fileURLToPath(new URL("../../../docs/web-app.png", import.meta.url));
const PASSWORD = "orange kettle under moonlight 7";

let product: TestProduct;
let browser: TestBrowser;
let workDir: string;
let clipA: string;
let clipB: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "vp-browser-"));
  [clipA, clipB] = await Promise.all([
    makeTestVideo(join(workDir, "first clip.mp4"), { seconds: 3, size: "320x180" }),
    makeTestVideo(join(workDir, "second-clip.mp4"), { seconds: 2, size: "320x180" }),
    ensureWebBuilt(),
  ]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/**
 * The web app in Debian's Chromium against the started product: sign up, upload two videos at
 * once (one in parts), watch both finish live, open a video's gallery, download its ZIP, delete it,
 * log out; axe on every page; the same at 375 px wide. Nothing may leave the origin.
 */
describe("web app in a real browser", () => {
  beforeAll(async () => {
    const sizes = await Promise.all([stat(clipA), stat(clipB)]);
    // The larger clip goes in parts, the smaller in one PUT.
    const threshold = Math.floor((sizes[0].size + sizes[1].size) / 2);
    expect(sizes[0].size).toBeGreaterThan(threshold);
    expect(sizes[1].size).toBeLessThanOrEqual(threshold);
    product = await startTestProduct({ env: { VP_MULTIPART_THRESHOLD_BYTES: String(threshold) } });
  });

  afterAll(async () => {
    await product?.close();
    if (product) await removeDir(product.dataDir);
  });

  async function signUp(page: Page, email: string): Promise<void> {
    await page.goto(`${product.url}/`);
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await page.getByRole("link", { name: "Create one" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Your videos" }).waitFor();
  }

  it("signs up, uploads two videos at once, watches them finish live, downloads, deletes, logs out", async () => {
    const context: BrowserContext = await browser.browser.newContext({
      viewport: { width: 800, height: 700 },
      acceptDownloads: true,
    });
    const traffic = recordTraffic(context);
    const page = await context.newPage();

    // Log in page, then sign up: axe on both.
    await page.goto(`${product.url}/`);
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "Create one" }).click();
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Email").fill("browser@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Your videos" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The session survives a reload.
    await page.reload();
    await page.getByRole("heading", { name: "Your videos" }).waitFor();
    await expectText(page, "browser@example.com");

    // Two files at once, then Upload: no navigation from here until both have finished.
    let navigations = 0;
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    await page.getByLabel("Video files").setInputFiles([clipA, clipB]);
    await page.getByRole("radio", { name: "N frames spread evenly" }).check();
    await page.getByLabel("Number of frames").fill("4");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const uploads = page.locator(".upload-item");
    await expect.poll(() => uploads.count()).toBe(2);
    await expect.poll(() => uploads.filter({ hasText: "Uploaded" }).count(), { timeout: 30_000 }).toBe(2);
    await expectText(page, "(in parts)");

    // Both finish live: the list's badges move to Succeeded without a reload.
    const rows = page.locator(".video-row");
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => rows.filter({ hasText: "Succeeded" }).count(), { timeout: 60_000, interval: 250 }).toBe(2);
    expect(navigations).toBe(0);
    await page.getByRole("button", { name: "Clear finished" }).click();
    expect(await seriousViolations(page)).toEqual([]);

    // The video's page: metadata, the job, its ZIP.
    await page.getByRole("link", { name: "first clip.mp4" }).click();
    await page.getByRole("heading", { name: "first clip.mp4" }).waitFor();
    await expectText(page, "320×180");
    await expectText(page, "h264");
    await expectText(page, "MP4/MOV");
    await expectText(page, "4 frames spread evenly");
    expect(await seriousViolations(page)).toEqual([]);

    // The gallery: four frames with their exact times, loaded from the origin, keyboard-navigable.
    const images = page.getByRole("list", { name: "Frames" }).getByRole("img");
    await expect.poll(() => images.count(), { timeout: 15_000 }).toBe(4);
    const alts = await images.evaluateAll((els) => els.map((e) => e.getAttribute("alt")));
    expect(alts[0]).toMatch(/^Frame 1 at 0:00\.\d{3} \(\d+\.\d{3} s\)$/);
    expect(new Set(alts).size).toBe(4);
    await expect
      .poll(() => images.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).naturalWidth === 320)))
      .toBe(true);
    // The README's picture: this page, whole.
    await mkdir(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.getByRole("button", { name: alts[0]! }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.querySelector("img")?.alt)).toBe(alts[1]);
    await page.keyboard.press("Enter");
    const viewer = page.getByRole("dialog", { name: alts[1]! });
    await viewer.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press("ArrowRight");
    await page.getByRole("dialog", { name: alts[2]! }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    expect(await page.evaluate(() => document.activeElement?.querySelector("img")?.alt)).toBe(alts[2]);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download ZIP" }).first().click(),
    ]);
    const zip = await readFile(await download.path());
    expect(zip.subarray(0, 2).toString("latin1")).toBe("PK");

    // Delete, with a confirmation; back on the list, the video is gone.
    await page.getByRole("button", { name: "Delete video" }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await page.getByRole("heading", { name: "Your videos" }).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => page.getByRole("link", { name: "first clip.mp4" }).count()).toBe(0);

    // Log out: the login page, and a reload stays logged out.
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Log in" }).waitFor();

    // By keyboard alone: Tab to the form, type, Enter; then Tab reaches the remaining video's link.
    const focused = () =>
      page.evaluate(
        () =>
          document.activeElement?.getAttribute("aria-label") ??
          document.activeElement?.textContent ??
          document.activeElement?.id,
      );
    for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.id)) !== "email"; i++)
      await page.keyboard.press("Tab");
    await page.keyboard.type("browser@example.com");
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Your videos" }).waitFor();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = (await focused()) === "second-clip.mp4";
    }
    expect(reached).toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "second-clip.mp4" }).waitFor();
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();

    expect(offOrigin(product.url!, traffic.urls)).toEqual([]);
    expect(traffic.consoleErrors).toEqual([]);
    await context.close();
  });

  it("works at 375 px wide: nothing overflows, and axe finds nothing serious", async () => {
    const context = await browser.browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    const traffic = recordTraffic(context);
    const page = await context.newPage();
    await signUp(page, "narrow@example.com");
    // The server judges the options: its userError lands beside the field, in its words.
    const every = page.getByLabel("Seconds between frames");
    await page.getByLabel("Video files").setInputFiles([clipB]);
    await every.fill("0");
    // A preview's sub-field too: its error lands beside it.
    await page.getByRole("checkbox", { name: "Storyboard" }).check();
    const tileWidth = page.getByLabel("Tile width (px)");
    await tileWidth.fill("100");
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await expect.poll(() => every.getAttribute("aria-invalid"), { timeout: 10_000 }).toBe("true");
    const message = await page.locator(`#${await every.getAttribute("aria-describedby")}`).textContent();
    expect(message).toMatch(/interval|seconds|greater|positive/i);
    expect(await tileWidth.getAttribute("aria-invalid")).toBe("true");
    await expectText(page, "must be at least 160");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Clear finished" }).click();
    await every.fill("1");
    await page.getByRole("checkbox", { name: "Storyboard" }).uncheck();
    await page.getByLabel("Video files").setInputFiles([clipB]);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const rows = page.locator(".video-row");
    await expect.poll(() => rows.filter({ hasText: "Succeeded" }).count(), { timeout: 60_000 }).toBe(1);
    for (const path of ["/videos", "video"]) {
      if (path === "video") {
        await page.getByRole("link", { name: "second-clip.mp4" }).click();
        await page.getByRole("heading", { name: "second-clip.mp4" }).waitFor();
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      expect(await seriousViolations(page)).toEqual([]);
    }
    expect(offOrigin(product.url!, traffic.urls)).toEqual([]);
    expect(traffic.consoleErrors).toEqual([]);
    await context.close();
  });
});

describe("web app when the server goes away", () => {
  let own: TestProduct | null = null;
  let dataDir = "";
  afterAll(async () => {
    await own?.close();
    if (dataDir) await removeDir(dataDir);
  });

  it("cancels a slow upload; when the server goes: a banner, reconnection by itself, live updates again", async () => {
    own = await startTestProduct();
    dataDir = own.dataDir;
    const url = own.url!;
    const context = await browser.browser.newContext({ viewport: { width: 1000, height: 800 } });
    const traffic = recordTraffic(context);
    const page = await context.newPage();
    await page.goto(`${url}/signup`);
    await page.getByLabel("Email").fill("restart@example.com");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Your videos" }).waitFor();

    // A slow upload shows its speed and can be cancelled; its video record goes with it.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 40 * 1024,
    });
    await page.getByLabel("Video files").setInputFiles([clipA]);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const slow = page.locator(".upload-item", { hasText: "first clip.mp4" });
    await slow.getByText(/\d+(\.\d)? KB\/s/).waitFor({ timeout: 15_000 });
    await slow.getByRole("button", { name: "Cancel upload of first clip.mp4" }).click();
    await slow.getByText("Cancelled").waitFor();
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.reload();
    await page.getByRole("heading", { name: "Videos", exact: true }).waitFor();
    await expectText(page, "No videos yet.");

    await page.getByLabel("Video files").setInputFiles([clipB]);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.locator(".video-row", { hasText: "Succeeded" }).waitFor({ timeout: 60_000 });
    await page.getByRole("link", { name: "second-clip.mp4" }).click();
    await page.getByRole("heading", { name: "second-clip.mp4" }).waitFor();

    // The server stops: the banner says so in words.
    await own.close();
    own = null;
    const banner = page.getByRole("status").filter({ hasText: "Connection to the server lost" });
    await banner.waitFor({ timeout: 15_000 });

    // Back on the same port and data: the banner goes by itself, no reload.
    own = await startTestProduct({ dataDir, env: { PORT: new URL(url).port } });
    await banner.waitFor({ state: "detached", timeout: 20_000 });

    // Live again: a new extraction's QUEUED -> SUCCEEDED arrives over the socket (the app never polls).
    await page.getByRole("button", { name: "Extract again" }).click();
    await page.getByRole("radio", { name: "Keyframes" }).check();
    await page.getByRole("checkbox", { name: "Storyboard" }).check();
    await page.getByRole("button", { name: "Start extraction" }).click();
    const jobs = page.locator(".job");
    await expect.poll(() => jobs.count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => jobs.filter({ hasText: "Succeeded" }).count(), { timeout: 60_000 }).toBe(2);
    await expectText(page, "keyframes; JPEG quality 85; with storyboard");

    expect(offOrigin(url, traffic.urls)).toEqual([]);
    await context.close();
  });
});

/** Requests to anywhere but the product's origin (data: and blob: URLs stay in the page). */
function offOrigin(productUrl: string, urls: readonly string[]): string[] {
  const origin = new URL(productUrl).origin;
  return urls.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin);
}

async function expectText(page: Page, text: string): Promise<void> {
  await page.getByText(text, { exact: false }).first().waitFor();
}

import { existsSync } from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`); playwright never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface TestBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Headless Chromium; playwright gives it a fresh temporary profile and removes it on close. */
export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return { browser, close: () => browser.close() };
}

/**
 * Every request the pages of `context` make, and every console error (a CSP violation shows there):
 * the app must stay on its origin.
 */
export function recordTraffic(context: BrowserContext): { urls: string[]; consoleErrors: string[] } {
  const urls: string[] = [];
  const consoleErrors: string[] = [];
  context.on("request", (r) => urls.push(r.url()));
  context.on("page", (p) => watchConsole(p, consoleErrors));
  for (const p of context.pages()) watchConsole(p, consoleErrors);
  return { urls, consoleErrors };
}

function watchConsole(page: Page, into: string[]): void {
  page.on("console", (m) => {
    if (m.type() === "error") into.push(m.text());
  });
  page.on("pageerror", (e) => into.push(e.message));
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2 A and AA). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

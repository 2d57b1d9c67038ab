import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express, { type NextFunction, type Request, type Response, type Router } from "express";

/**
 * Where the built web app is: beside the bundled server (`dist/web/`) in production, `web/dist/`
 * when running from source (built by `npm run build`, `npm run dev` or the browser tests); null
 * when it has not been built, and then nothing is served at `/`.
 */
export function webAppDir(): string | null {
  const candidates = [
    fileURLToPath(new URL("./web/", import.meta.url)),
    fileURLToPath(new URL("../../../web/dist/", import.meta.url)),
  ];
  return candidates.find((dir) => existsSync(join(dir, "index.html"))) ?? null;
}

/**
 * Nothing the app loads or calls leaves this origin: scripts, styles, images and fonts from here,
 * fetch and WebSocket to here ('self' covers ws: and wss: of the same host), no frames, no plugins.
 * data: images are the favicon's; blob: ones are local previews. `uploadOrigins` are where signed
 * upload URLs point when that is not this origin (the videos bucket on AWS): PUTs only go there.
 */
export function webAppCsp(uploadOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...uploadOrigins].join(" "),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}

export const WEB_APP_CSP = webAppCsp();

export interface UploadOriginSettings {
  readonly VP_BACKEND: string;
  readonly AWS_REGION?: string | undefined;
  readonly VP_S3_VIDEOS_BUCKET?: string | undefined;
  readonly VP_S3_FORCE_PATH_STYLE: boolean;
}

/**
 * The origin the signed upload URLs point to when it is not the API's: none on one machine (the
 * API serves /blobs/), the videos bucket's S3 endpoint on AWS (or the AWS_ENDPOINT_URL_S3 override).
 */
export function uploadOriginsOf(config: UploadOriginSettings, env: NodeJS.ProcessEnv): string[] {
  if (config.VP_BACKEND !== "aws" || !config.VP_S3_VIDEOS_BUCKET) return [];
  const bucket = config.VP_S3_VIDEOS_BUCKET;
  const override = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (override) {
    const url = new URL(override);
    return config.VP_S3_FORCE_PATH_STYLE ? [url.origin] : [`${url.protocol}//${bucket}.${url.host}`];
  }
  const region = config.AWS_REGION ?? "us-east-1";
  return config.VP_S3_FORCE_PATH_STYLE
    ? [`https://s3.${region}.amazonaws.com`]
    : [`https://${bucket}.s3.${region}.amazonaws.com`];
}

/** Paths that belong to the API: never answered with the app, even for a browser. */
const API_PATHS = /^\/(graphql|graphiql|api|blobs|frames|healthz|metrics|\.well-known)(\/|$)/;

function securityHeaders(res: Response, csp: string): void {
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
}

/**
 * The web app at `/`: hashed files under /assets/ cached for a year as immutable; every other
 * browser navigation (GET or HEAD asking for HTML) outside the API's paths gets index.html, never
 * cached, so client routes such as /videos/<id> load on a reload or a shared link. Other requests
 * fall through (to the API's JSON 404).
 */
export function serveWebApp(dir: string, options: { readonly uploadOrigins?: readonly string[] } = {}): Router {
  const csp = webAppCsp(options.uploadOrigins);
  const router = express.Router();
  router.use(
    "/assets",
    express.static(join(dir, "assets"), {
      index: false,
      fallthrough: false,
      immutable: true,
      maxAge: "365d",
      setHeaders: (res) => res.setHeader("X-Content-Type-Options", "nosniff"),
    }),
  );
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    if (API_PATHS.test(req.path)) return next();
    if (req.accepts(["application/json", "text/html"]) !== "text/html") return next();
    securityHeaders(res, csp);
    res.setHeader("Cache-Control", "no-cache");
    // `root`, not a joined path: send refuses paths with a dot-folder in them.
    res.sendFile("index.html", { root: dir, cacheControl: false });
  });
  return router;
}

# syntax=docker/dockerfile:1.7
# One file, two images, each running one esbuild bundle (`npm run build`, scripts/build.ts):
#   docker build --target api    -t video-processor-api .      node dist/api.js     (no ffmpeg)
#   docker build --target worker -t video-processor-worker .   node dist/worker.js  (Debian ffmpeg)
#
# The runtime images hold the bundles, their assets and the one native external (better-sqlite3,
# compiled here in the full image): no TypeScript sources, no tsx, no dev or optional dependencies.
# e2e/test/built-bundle.test.ts starts the same artifact (`npm run build -- --node-modules`, run
# from a folder outside the repository) on every test run.

# Both images must be the same Node major: better-sqlite3 is compiled in the first and loaded in the second.
ARG NODE_IMAGE=node:22-bookworm
ARG NODE_SLIM_IMAGE=node:22-bookworm-slim

# ---- build: dependencies of the bundled workspaces (+ root dev tools), then the bundles ---------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci needs every workspace manifest, including the ones it does not install.
COPY domain/package.json domain/
COPY engine/package.json engine/
COPY schema/package.json schema/
COPY platform/package.json platform/
COPY auth-lambda/package.json auth-lambda/
COPY notify-lambda/package.json notify-lambda/
COPY api/package.json api/
COPY worker/package.json worker/
COPY standalone/package.json standalone/
COPY client/package.json client/
COPY infra/package.json infra/
COPY e2e/package.json e2e/
COPY web/package.json web/
# The three entries' workspaces and what they depend on, plus the root's tools (tsx, vite, esbuild
# via tsx); better-sqlite3 compiles here (python3, make, g++ are in the full image).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund --include-workspace-root -w @vp/api -w @vp/worker -w @vp/standalone -w @vp/web
COPY tsconfig.json ./
COPY scripts scripts
COPY domain domain
COPY engine engine
COPY schema schema
COPY platform platform
COPY auth-lambda auth-lambda
COPY notify-lambda notify-lambda
COPY api api
COPY worker worker
COPY standalone standalone
COPY web web
# dist/: api.js, worker.js, standalone.js (+ maps), graphiql/, web/ (the app at /), schema.graphql, package.json, and
# node_modules/ with better-sqlite3 and its dependencies only (sources and build leftovers dropped).
RUN npm run build -- --node-modules
# The frame picker (engine/native/pick-frames.c) against bookworm's libav* 5.1: the very libraries
# the worker's Debian ffmpeg loads, so its pictures are the command line's, byte for byte.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libavformat-dev libavcodec-dev libavutil-dev pkg-config \
 && cc -O2 -o dist/pick-frames engine/native/pick-frames.c $(pkg-config --cflags --libs libavformat libavcodec libavutil)

# ---- runtime base: slim Node, non-root, read-only files ------------------------------------------
FROM ${NODE_SLIM_IMAGE} AS runtime
ENV NODE_ENV=production \
    VP_DATA_DIR=/tmp/vp \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build /app/dist/package.json dist/package.json
COPY --from=build /app/dist/node_modules dist/node_modules
# `node` (uid 1000) from the base image; files stay root-owned and read-only to it.
USER node

# ---- api: GraphQL over HTTP and WebSocket; workers probe and extract, so no ffmpeg here -----------
FROM runtime AS api
COPY --from=build /app/dist/api.js /app/dist/api.js.map dist/
COPY --from=build /app/dist/graphiql dist/graphiql
COPY --from=build /app/dist/web dist/web
COPY --from=build /app/dist/schema.graphql dist/
ENV PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/api.js"]

# ---- worker: adds Debian's ffmpeg (5.1, libx264, libwebp), the frame picker built against it, and a font ----
FROM runtime AS worker
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
USER node
COPY --from=build /app/dist/worker.js /app/dist/worker.js.map /app/dist/pick-frames dist/
ENV VP_METRICS_PORT=9100 \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe \
    VP_FRAME_PICKER=/app/dist/pick-frames
EXPOSE 9100
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.VP_METRICS_PORT||9100)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/worker.js"]

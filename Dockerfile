# syntax=docker/dockerfile:1.7
# One file, two images:
#   docker build --target api    -t video-processor-api .
#   docker build --target worker -t video-processor-worker .
#
# Runtime choice: the TypeScript sources run under tsx, exactly as in development and tests,
# rather than an esbuild bundle. The code resolves files next to its modules (graphiql-dist,
# schema.graphql via import.meta.url) and type-graphql relies on the tsconfig's decorator settings;
# tsx keeps both true with no second build path to keep in step. The cost is ~30 MB (tsx + esbuild)
# and a few hundred ms of transpiling at start, cached in /tmp.

ARG NODE_IMAGE=node:20.20.2-bookworm
ARG NODE_SLIM_IMAGE=node:20.20.2-bookworm-slim

# ---- build: all dependencies, builds the offline GraphiQL bundle -----------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY schema/package.json schema/
COPY platform/package.json platform/
COPY worker/package.json worker/
COPY auth-lambda/package.json auth-lambda/
COPY notify-lambda/package.json notify-lambda/
COPY api/package.json api/
COPY client/package.json client/
COPY infra/package.json infra/
RUN --mount=type=cache,target=/root/.npm npm ci --include=dev --no-audit --no-fund -w @vp/api --include-workspace-root
COPY tsconfig.json ./
COPY schema schema
COPY platform platform
COPY worker worker
COPY auth-lambda auth-lambda
COPY notify-lambda notify-lambda
COPY api api
RUN node --import tsx api/src/graphiql/build.ts

# ---- prod-deps: production dependencies of the api workspace (and its workspace deps) only ------
# From the root lock file; better-sqlite3 compiles here (python3, make, g++ are in the full image).
# Optional deps are left out: the worker uses Debian's ffmpeg, not the 2018 npm fallback.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY schema/package.json schema/
COPY platform/package.json platform/
COPY worker/package.json worker/
COPY auth-lambda/package.json auth-lambda/
COPY notify-lambda/package.json notify-lambda/
COPY api/package.json api/
COPY client/package.json client/
COPY infra/package.json infra/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --omit=optional --no-audit --no-fund -w @vp/api --include-workspace-root \
 && npm cache clean --force

# ---- runtime base: slim Node, non-root, sources + production node_modules + tsx ---------------
FROM ${NODE_SLIM_IMAGE} AS runtime
ENV NODE_ENV=production \
    VP_DATA_DIR=/tmp/vp \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app ./
# tsx is a root devDependency: bring it and its one dependency (esbuild + its platform binary).
COPY --from=build /app/node_modules/tsx node_modules/tsx
COPY --from=build /app/node_modules/esbuild node_modules/esbuild
COPY --from=build /app/node_modules/@esbuild node_modules/@esbuild
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/schema schema
COPY --from=build /app/platform platform
COPY --from=build /app/worker worker
COPY --from=build /app/auth-lambda auth-lambda
COPY --from=build /app/notify-lambda notify-lambda
COPY --from=build /app/api api
# `node` (uid 1000) from the base image; files stay root-owned and read-only to it.
USER node
ENTRYPOINT ["node", "--import", "tsx", "api/src/main.ts"]

# ---- api ------------------------------------------------------------------------------------
FROM runtime AS api
ENV PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["--role", "api"]

# ---- worker: adds Debian's ffmpeg (5.1, libx264, libwebp) -----------------------------------
FROM runtime AS worker
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*
USER node
ENV VP_METRICS_PORT=9100 \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe
EXPOSE 9100
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.VP_METRICS_PORT||9100)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["--role", "worker"]

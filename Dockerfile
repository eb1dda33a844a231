# syntax=docker/dockerfile:1
# crs-cds: CDS Hooks 2.0 service. Stages: build (all deps, tsc → dist/, Vite → dist/app/), deps (production
# deps only), and a slim runtime running as the unprivileged `node` user (uid 1000); SIGTERM drains
# (docs/deployment.md). Nothing compiles: the embedded database
# binding (libsql) ships its native binary inside npm packages, so no compiler stage is needed.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: `prepare` builds the timeline app, whose sources are copied below; `npm run build` does it.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY hooks ./hooks
COPY app ./app
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# libsql's optional binaries for both C libraries install on Linux; keep only the one this image runs.
# --ignore-scripts: `prepare` runs Vite, a dev dependency; the built app comes from the build stage.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force \
 && if ldd --version 2>&1 | grep -qi musl; then rm -rf node_modules/@libsql/*-gnu*; \
    else rm -rf node_modules/@libsql/*-musl*; fi

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# dist/src (the service) and dist/app (the CRS timeline's static files, served under /app/).
COPY --from=build /app/dist ./dist
COPY package.json ./
# The `crs-cds` command (grade, check-config): its launcher runs dist/ where there are no sources.
COPY bin ./bin
# Card templates (cards/*.json) are data read at run time.
COPY cards ./cards
# With the embedded store (storage.sqlitePath default ./data/crs-cds.sqlite) /app/data is the only
# writable path; with PostgreSQL nothing is written and the root filesystem can be read-only
# (deploy/kubernetes, deploy/compose.yaml mount a small /tmp only).
RUN mkdir -p /app/data && chown node:node /app/data
# The image's `node` user by number, so Kubernetes can verify runAsNonRoot (deploy/kubernetes uses 1000).
USER 1000:1000
EXPOSE 3000
VOLUME ["/app/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/server.js"]

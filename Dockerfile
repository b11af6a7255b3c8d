# One image for every service of the project; the container's command picks the process:
#   node dist/services/<orders|payment|inventory|shipping|email>/worker.js   (a worker)
#   node dist/services/api/server.js                                          (the HTTP API, the default)
# Build: docker build -t temporal-orders:0.1.0 .

# Node 26.12.1, the version pinned in .nvmrc (package.json's "engines" asks for ^26.12.1; the
# deployment tests keep the three in step). Every stage starts from the same base, so the native
# module compiled in a build stage matches the runtime's Node ABI and glibc.
ARG NODE_IMAGE=node:26.12.1-bookworm-slim

# --- toolchain: the compilers better-sqlite3 needs when no prebuilt binary can be fetched
FROM ${NODE_IMAGE} AS toolchain
# Debian's stable archive replaces point versions in place, so pinning them would break rebuilds.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The npm that package.json's "allowScripts" is written for (npm 11): install scripts run only
# for the packages it allows (better-sqlite3), never for the ones it denies.
RUN npm install -g --no-audit --no-fund npm@11.19.1
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci`: exactly what package-lock.json pins, or it stops.

# --- build: every dependency (TypeScript is a devDependency), then the code and the workflow bundle
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY workflows ./workflows
COPY services ./services
COPY scripts ./scripts
COPY web ./web
RUN npm run build

# --- production dependencies only, compiled here so the runtime image carries no compiler
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY deploy/docker/healthcheck.js ./healthcheck.js
# Each service keeps its SQLite store under DATA_DIR: the one writable place (mount a volume there);
# the rest of the filesystem can be read-only. 1000 is the base image's unprivileged "node" user.
RUN mkdir -p /data && chown 1000:1000 /data
USER 1000:1000
# 3000: the API (PORT). 8080: a worker's /healthz and /readyz (WORKER_HEALTH_PORT). 9464: a worker's metrics.
EXPOSE 3000 8080 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 CMD ["node", "healthcheck.js"]
CMD ["node", "dist/services/api/server.js"]

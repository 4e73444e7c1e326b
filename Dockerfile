# syntax=docker/dockerfile:1
# Cartella API image. The container expects an external PostgreSQL (DATABASE_URL, see docker-compose.yml).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Compiling needs no install script; skipping them keeps the build reproducible and its supply chain smaller.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/cartella
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. The optional ones are the embedded PostgreSQL binaries (60 MB, unused with
# DATABASE_URL), esbuild's (for tsx, unused by `node dist/server.js`), fsevents and pg-cloudflare.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY reference ./reference
# The code stays root-owned and read-only for the service; only DATA_DIR (local JWT secret) is writable.
RUN mkdir -p /var/lib/cartella && chown node:node /var/lib/cartella
USER node
EXPOSE 3000
# No curl in the slim image: Node's fetch asks GET /status, which answers 503 when the database is away.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/status`, { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same V8 heap cap as `npm start` (README, Configuration): raise it with the container's memory.
CMD ["node", "--max-old-space-size=512", "dist/server.js"]

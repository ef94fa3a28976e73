# Paperboy container image. Never built in the development sandbox (no Docker engine
# there); its steps were run there by hand without Docker (docs/operations.md, "Container
# image"). Build it once in CI before relying on it.
#
#   docker build -t paperboy .
#   docker run -d --name paperboy -v paperboy-data:/data \
#     -e DISCORD_TOKEN -e DISCORD_APPLICATION_ID -e PAPERBOY_METRICS_PORT=9464 \
#     -e PAPERBOY_METRICS_HOST=0.0.0.0 -p 127.0.0.1:9464:9464 paperboy

# --- build: compile better-sqlite3 (.npmrc sets build_from_source) with the toolchain -----
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Runtime dependencies only (tsx runs the TypeScript sources, so no build step is needed).
RUN npm ci --omit=dev && npm cache clean --force

# --- run: no compiler, non-root user, data on a volume ---------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PAPERBOY_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY config/default.json ./config/default.json
COPY samples ./samples
COPY src ./src
# The official image's unprivileged `node` user (uid 1000) owns the data folder.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# PORT: Slack HTTP mode; 9464: /healthz and /metrics when PAPERBOY_METRICS_PORT=9464.
EXPOSE 3000 9464
# Healthy when /healthz says so; without PAPERBOY_METRICS_PORT there is nothing to ask.
HEALTHCHECK --interval=60s --timeout=5s --start-period=120s \
  CMD node -e "const p=process.env.PAPERBOY_METRICS_PORT;if(!p)process.exit(0);fetch('http://127.0.0.1:'+p+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm) so SIGTERM reaches Paperboy, which shuts down cleanly.
CMD ["node", "--import", "tsx", "src/main.ts"]

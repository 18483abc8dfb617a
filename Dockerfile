# syntax=docker/dockerfile:1

# 1. Production dependencies only (no install scripts are needed by any of them).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY stubs ./stubs
RUN npm ci --omit=dev --no-audit --no-fund

# 2. Runtime: Node 24 runs the TypeScript sources directly (type stripping), so there is no build.
FROM node:24-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends git bubblewrap slirp4netns iproute2 ripgrep ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Probot 14 listens on localhost unless HOST is set; a container must listen on all interfaces.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ISSUE_AGENT_WORKDIR=/home/node/workspaces \
    ISSUE_AGENT_DB=/home/node/workspaces/state.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json app.yml ./
COPY src ./src
RUN mkdir -p /home/node/workspaces && chown node:node /home/node/workspaces
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "src/main.ts"]

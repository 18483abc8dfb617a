# syntax=docker/dockerfile:1
# Two images (docs/deployment.md#docker):
#   docker build --target slim -t issue-agent:slim .   Node.js only: JavaScript and TypeScript repositories
#                                                      (any Node.js version they declare is fetched on demand)
#   docker build --target full -t issue-agent:full .   adds Python, Go, Rust, C/C++ and Java toolchains
# The agent's commands run in a bubblewrap sandbox that sees this image's /usr, so the image decides
# which toolchains a repository's setup and tests can use.

# 1. Production dependencies only (no install scripts are needed by any of them).
FROM node:24-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY stubs ./stubs
RUN npm ci --omit=dev --no-audit --no-fund

# 2. slim: Node 24 runs the TypeScript sources directly (type stripping), so there is no build.
FROM node:24-trixie-slim AS slim
# git for workspaces, bubblewrap for the sandbox, slirp4netns and iproute2 for setup's own network
# namespace (docs/security-sandbox.md), ripgrep for the agent's search, tini to reap the
# children that commands leave behind (PID 1 in a container does not, and zombies pile up).
RUN apt-get update \
 && apt-get install -y --no-install-recommends git bubblewrap slirp4netns iproute2 ripgrep ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
# Probot 14 listens on localhost unless HOST is set; a container must listen on all interfaces.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    ISSUE_AGENT_WORKDIR=/home/node/workspaces \
    ISSUE_AGENT_DB=/home/node/workspaces/state.db \
    ISSUE_AGENT_TOOLCHAIN_DIR=/home/node/toolchains
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json app.yml ./
COPY src ./src
COPY scripts/require-node-24.js ./scripts/
# Node.js versions that repositories declare (.nvmrc, engines.node) are fetched from the npm registry
# into the toolchain directory once per version; mount a volume there to keep them across restarts.
RUN mkdir -p /home/node/workspaces /home/node/toolchains \
 && chown node:node /home/node/workspaces /home/node/toolchains
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "./scripts/require-node-24.js", "src/main.ts"]

# 3. full: the toolchains that lockfile detection knows, from Debian's packages.
FROM slim AS full
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential pkg-config \
      python3 python3-venv python3-pip python3-dev \
      golang-go \
      cargo rustc \
      default-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/*
USER node

# syntax=docker/dockerfile:1
#
# One image for both processes: `node apps/cli/src/main.ts api` (the default) and
# `node apps/cli/src/main.ts worker`. Node 24 runs the TypeScript sources directly
# (type stripping), so there is no build step. See docker-compose.yml for how to run it.

ARG NODE_IMAGE=node:24-slim

# ---- deps: install the workspace with pnpm (no corepack) ----------------------------------
FROM ${NODE_IMAGE} AS deps
ARG PNPM_VERSION=10.34.9
RUN npm install --global "pnpm@${PNPM_VERSION}" && npm cache clean --force
WORKDIR /app

# Download every package named in the lockfile first: this layer is reused until the
# lockfile changes, whatever happens to the sources.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch --store-dir /pnpm/store

# Then the sources (see .dockerignore), and link node_modules from the fetched store.
# --prod=false: the root devDependencies hold the tools and the private testkit package,
# and Node runs the sources as they are.
COPY . .
RUN pnpm install --frozen-lockfile --prod=false --prefer-offline --store-dir /pnpm/store

# ---- runtime: the workspace with its node_modules, without pnpm's store -------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787
WORKDIR /app
COPY --from=deps /app /app
# Writable data dir for the embedded mode (`reasonq serve`: PGlite under ./.reasonq).
RUN mkdir -p /app/.reasonq && chown node:node /app/.reasonq
USER node
EXPOSE 8787
CMD ["node", "apps/cli/src/main.ts", "api"]

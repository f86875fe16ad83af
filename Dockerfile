# One image for every server-mode service; docker-compose.yml picks the bundle each container runs
# (`node <workspace>/dist/main.js`). Node 24 LTS, as in development and CI.

# Build stage: every dependency (dev included, with the install's patches), the Prisma clients and
# typed resolvers, one JavaScript bundle per service (`npm run build`), and then only the files
# those bundles load at run time, gathered into /runtime (`npm run runtime:collect`).
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
COPY package.json package-lock.json turbo.json codegen.yml tsconfig.base.json ./
COPY patches patches
COPY scripts scripts
COPY packages packages
COPY subgraphs subgraphs
COPY gateway gateway
COPY clients clients
COPY tests/package.json tests/package.json
COPY schema schema
COPY deploy/healthcheck.mjs deploy/healthcheck.mjs
COPY prisma prisma
RUN npm ci --include=dev --no-audit --no-fund
RUN npm run generate && npm run build && npm run runtime:collect -- --out /runtime

# Runtime stage: the bundles, the npm package files they load (no dev dependency, no TypeScript
# source, no npm install), schema/, the migrations and the health check; run as the unprivileged
# `node` user.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /runtime ./
USER node
EXPOSE 4000
# Whichever service the container runs (deploy/healthcheck.mjs). Kubernetes uses its own probes.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "deploy/healthcheck.mjs"]
CMD ["node", "gateway/dist/main.js"]

# One image for every service; docker-compose.yml picks the workspace to start.
# Node 24 LTS in production (the development machines run Node 20; versions are chosen for both).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production CHECKPOINT_DISABLE=1
COPY package.json package-lock.json turbo.json codegen.yml tsconfig.base.json ./
COPY packages packages
COPY subgraphs subgraphs
COPY gateway gateway
COPY tests/package.json tests/package.json
COPY schema schema
COPY prisma prisma
COPY scripts scripts
RUN npm ci --include=dev && npm run generate
USER node

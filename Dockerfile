# syntax=docker/dockerfile:1
# One image for every service, the gateway with the built web app, and the topic-init job; the command picks what runs, e.g.
#   node -r @swc-node/register apps/planning-service/src/main.ts
#   node scripts/infra.mjs topics --brokers kafka:29092

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the image's Node 24 stands in for the `node` dev dependency's binary, and the
# embedded-postgres binaries are only a fallback for machines without PostgreSQL. Dev dependencies
# stay: the services run their TypeScript through @swc-node/register.
RUN npm ci --ignore-scripts --no-audit --no-fund
# The dashboard (apps/web) built once into dist/apps/web, which the gateway serves (ADR 0600, 0603).
COPY tsconfig.base.json ./
COPY apps/web ./apps/web
RUN node node_modules/vite/bin/vite.js build -c apps/web/vite.config.mts --logLevel warn

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json tsconfig.base.json .swcrc ./
COPY libs ./libs
COPY apps ./apps
COPY scripts ./scripts
COPY --from=deps /app/dist/apps/web ./dist/apps/web
# The base image's unprivileged user (uid 1000), as deploy/k8s expects (runAsNonRoot).
USER node
EXPOSE 3000 3001 3002 3003 3004 3005
CMD ["node", "--disable-warning=TimeoutNegativeWarning", "-r", "@swc-node/register", "apps/planning-service/src/main.ts"]

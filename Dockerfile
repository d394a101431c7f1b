# syntax=docker/dockerfile:1
# Conflict Ledger API. Two stages: `build` installs every dependency (compiling
# better-sqlite3 natively when no prebuilt binary matches) and generates the Prisma clients;
# the runtime stage gets production node_modules only and runs as the non-root `node` user.

FROM node:20-bookworm AS build
WORKDIR /app
# The full image has python3, make and g++ for node-gyp.
ENV npm_config_update_notifier=false CHECKPOINT_DISABLE=1
# postinstall runs `npm run db:generate` (tsx + the Prisma CLI), which reads the Prisma
# schemas and configs, and imports src/db/database-url.ts and src/db/text-search-schema.ts:
# copy those first so the dependency layer is cached until the lockfile or the schema
# changes (tests/db/generate-standalone.test.ts checks this list against the imports).
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY src/db/database-url.ts ./src/db/database-url.ts
COPY src/db/text-search-schema.ts ./src/db/text-search-schema.ts
RUN npm ci --no-audit --no-fund
# .dockerignore keeps node_modules and src/generated out, so the generated clients stay.
COPY . .
# What the runtime needs: tsx runs the TypeScript sources (`npm start`), the Prisma CLI
# applies migrations, the driver adapters and better-sqlite3 talk to the databases.
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    npm_config_update_notifier=false \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1
# Code and dependencies stay owned by root, read-only for the process; only data/ (the
# SQLite file, when DATABASE_URL is not PostgreSQL) is writable.
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/seed ./seed
COPY --from=build /app/src ./src
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `npm start` is `tsx src/server.ts`; loading tsx into one node process instead lets
# SIGTERM reach the server's graceful shutdown directly.
CMD ["node", "--import", "tsx", "src/server.ts"]

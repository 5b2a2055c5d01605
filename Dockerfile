# The triage service in one image: Node 20 on Debian bookworm (glibc, which the locked esbuild
# binary of tsx expects). It runs the TypeScript through tsx like `npm start` does anywhere else.
# Lint: src/deploy/deploy-lint.test.ts (npm test) checks this file and compose.yaml.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    SCARF_ANALYTICS=false \
    DATA_DIR=/app/data \
    PORT=3000
WORKDIR /app

# Dependencies first, so a code change reuses this layer. tsx is a runtime dependency, so the
# dev tools stay out. No install scripts: esbuild finds its platform package without its
# postinstall, and the other one (@scarf/scarf) only reports the installation.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
COPY prompts ./prompts
COPY knowledge-base ./knowledge-base

# The code stays root-owned (the service cannot change it); only the data folder is its own:
# the embedded database when DATABASE_URL is not set, and data/initial-admin-password.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000

# Liveness: the process answers (compose.yaml waits on /readyz instead). Start-up trains the
# models and, on a first start, ingests the knowledge base: give it time before counting.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD ["node", "bin/healthcheck.js", "/livez"]

# npm passes SIGTERM on to the server (`exec node bin/triage.js serve`), which drains and exits 0.
CMD ["npm", "start"]

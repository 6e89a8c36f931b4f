# syntax=docker/dockerfile:1
# Sprout's image: compiled once in a build stage, shipped with production dependencies only,
# run as an unprivileged numeric user (runAsNonRoot can verify a number, not a name).

FROM node:20-bookworm-slim AS build
WORKDIR /src
# Dependencies first, so source edits reuse this layer. --ignore-scripts: the package's own
# `prepare` script runs tsc, and the sources are not here yet.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY bin ./bin
RUN npm run build \
 && find dist -name '*.test.js*' -delete \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=0:0 /src/package.json ./package.json
COPY --from=build --chown=0:0 /src/node_modules ./node_modules
COPY --from=build --chown=0:0 /src/dist/src ./dist/src
COPY --from=build --chown=0:0 /src/bin ./bin
# Files stay root-owned and read-only to the process; the chart mounts an emptyDir on /tmp.
USER 10001:10001
EXPOSE 9443
ENTRYPOINT ["node", "bin/sprout.js"]
CMD ["serve"]

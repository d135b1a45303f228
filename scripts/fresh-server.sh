# Sourced by scripts/fuzz.sh and scripts/client-check.sh: starts a fresh server (empty temporary PGlite database, a
# known admin key, no effective rate limit) on a free loopback port and stops it on exit.
# Sets ADMIN_KEY, BASE (http://127.0.0.1:<port>) and SERVER_PID; writes the server's log to $SERVER_LOG.
# `npm run generate` must have run once (npm test's pretest does it).

[[ -d src/generated/prisma ]] || { log "ERROR: src/generated/prisma is missing: run \`npm run generate\` first"; exit 1; }

DATA_DIR="$(mktemp -d)"
ADMIN_KEY="vs_live_$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
SERVER_PID=""

stop_fresh_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA_DIR"
}
trap stop_fresh_server EXIT
trap 'exit 130' INT TERM

: >"$SERVER_LOG"
# PORT=0: the server binds a free port and logs it ("vitasync listening" {"port": …}), so no port race.
# The embedded default: CI's exported service URLs (Temporal, Redis, PostgreSQL) stay out of this server.
# Webhook URLs registered on it are refused unless on this machine: no delivery (nor DNS lookup) leaves it.
env -u DATABASE_URL -u REDIS_URL -u TEMPORAL_ADDRESS \
  WEBHOOK_DENY_PUBLIC=true WEBHOOK_ALLOWED_NETWORKS=127.0.0.0/8 \
  VITASYNC_ADMIN_KEY="$ADMIN_KEY" VITASYNC_DATA_DIR="$DATA_DIR" PORT=0 HOST=127.0.0.1 RATE_LIMIT_MAX=1000000 \
  LOG_LEVEL="${LOG_LEVEL:-info}" node --import tsx src/main.ts </dev/null >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

PORT=""
for _ in $(seq 1 600); do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; log "ERROR: the server exited during start-up"; exit 1; }
  PORT="$(sed -n 's/.*"msg":"vitasync listening".*"port":\([0-9]*\).*/\1/p' "$SERVER_LOG" | head -n1 || true)"
  [[ -n "$PORT" ]] && curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.1
done
[[ -n "$PORT" ]] && curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null || { cat "$SERVER_LOG" >&2; log "ERROR: /health never answered"; exit 1; }
BASE="http://127.0.0.1:$PORT"
log "server up at $BASE (pid $SERVER_PID, data $DATA_DIR)"

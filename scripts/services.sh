#!/usr/bin/env bash
# Install (if needed) and start the backing services the tests use:
#   PostgreSQL on 127.0.0.1:5432 (trust auth, database "test"),
#   Redis on 127.0.0.1:6379,
#   the Temporal dev server on 127.0.0.1:7233 (namespace "vitasync-test"),
#   an S3-compatible server (moto's standalone server) on 127.0.0.1:9000 with the bucket "vitasync-test".
# and installs the standardwebhooks Python package (a second signature verifier for the webhook tests) into a venv.
# Then print `export ...` lines on stdout, so a caller can do:
#   eval "$(bash scripts/services.sh)"
#
# Idempotent: anything already installed/built/running is left alone, so a
# second run takes a few seconds. All progress goes to stderr.
#
# Environment knobs:
#   VITASYNC_CACHE          cache dir outside the repo (default ~/.cache/vitasync)
#   SERVICES_SKIP_TEMPORAL  set to 1 to skip the Temporal part entirely
#   TEMPORAL_START_TIMEOUT  seconds to wait for the Temporal server (default 60)
#   SERVICES_SKIP_S3        set to 1 to skip the S3 part entirely
set -euo pipefail

# Pinned Temporal CLI. v1.5.1 is the newest release that `go install` can
# build from the Go module proxy here: v1.9.1 has a `replace` directive for
# its nested module github.com/temporalio/cli/cliext (go install refuses
# modules with replace directives, and that nested module is not served), and
# v1.6.x-v1.8.x are refused by the proxy. v1.5.1 needs Go >= 1.25.
TEMPORAL_CLI_VERSION=v1.5.1

# Pinned moto (PyPI), whose standalone server speaks the S3 protocol (multipart uploads, ranged GETs) and keeps
# objects in memory: a real S3-compatible server for the storage tests, installed into a venv like schemathesis.
MOTO_VERSION=5.2.1

# Pinned standardwebhooks (PyPI), the specification's Python library: a second, independent verifier of the
# webhook signatures (test/webhooks/deliveries.test.ts), installed into a venv like moto.
STANDARDWEBHOOKS_VERSION=1.1.0

PG_HOST=127.0.0.1 PG_PORT=5432 PG_DB=test
REDIS_HOST=127.0.0.1 REDIS_PORT=6379
TEMPORAL_HOST=127.0.0.1 TEMPORAL_PORT=7233 TEMPORAL_NS=vitasync-test
S3_HOST=127.0.0.1 S3_PORT=9000 S3_TEST_BUCKET=vitasync-test

CACHE="${VITASYNC_CACHE:-$HOME/.cache/vitasync}"
mkdir -p "$CACHE"

# Keep the real stdout on fd 3 for the final exports and send everything else
# (our messages and any tool output) to stderr, so stdout stays eval-able.
exec 3>&1 1>&2

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Serialise concurrent runs (e.g. two test jobs starting at once).
exec 9>"$CACHE/services.lock"
flock 9

# Daemons must not inherit fd 3 (the caller's $(...) pipe would never close
# and `eval "$(...)"` would hang) nor fd 9 (they would hold the lock forever).
# So every command that may leave a process behind runs through this.
detached() { "$@" </dev/null 3>&- 9>&-; }

# True if something accepts TCP connections on host:port.
port_open() { timeout 2 bash -c "exec 7<>/dev/tcp/$1/$2" 2>/dev/null; }

# Poll a command until it succeeds or the timeout (seconds) runs out.
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
  log "$what is ready"
}

# --- Debian packages --------------------------------------------------------
# Only touch apt when something is missing: `apt-get update` is slow, and on a
# machine that already has everything we want this script to be quick.
need_pkgs=()
command -v pg_ctlcluster >/dev/null && command -v pg_isready >/dev/null || need_pkgs+=(postgresql)
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || need_pkgs+=(redis-server)
if ((${#need_pkgs[@]})); then
  log "installing ${need_pkgs[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists can be stale or absent on a fresh machine: refresh once.
  detached apt-get update -qq
  # Package scripts may try to start the service; keep them off our fds too.
  detached apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}"
fi

# --- PostgreSQL ---------------------------------------------------------------
# Debian's postgresql package creates a cluster ("main") on port 5432. Find the
# cluster on our port; create one with the newest installed server if none.
pg_cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p {print $1, $2; exit}')
if [[ -z $pg_cluster ]]; then
  pg_ver=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)
  log "creating PostgreSQL $pg_ver cluster 'main' on port $PG_PORT"
  detached pg_createcluster --port "$PG_PORT" "$pg_ver" main
  pg_cluster="$pg_ver main"
fi
read -r pg_ver pg_name <<<"$pg_cluster"
pg_conf_dir=/etc/postgresql/$pg_ver/$pg_name

# Trust auth for local TCP connections. pg_hba.conf is read top-down and the
# first matching line wins, so our block goes first; the marker makes it a
# one-time edit.
hba=$pg_conf_dir/pg_hba.conf
hba_changed=0
if ! grep -q '^# BEGIN vitasync' "$hba"; then
  log "adding trust rules for 127.0.0.1/::1 to $hba"
  tmp=$(mktemp)
  {
    echo '# BEGIN vitasync: passwordless local TCP access for tests'
    echo 'host    all             all             127.0.0.1/32            trust'
    echo 'host    all             all             ::1/128                 trust'
    echo '# END vitasync'
    cat "$hba"
  } >"$tmp"
  cat "$tmp" >"$hba"   # cat (not mv) keeps the file's owner and mode
  rm -f "$tmp"
  hba_changed=1
fi

pg_log=$CACHE/postgres-ctl.log
pg_status=0
pg_ctlcluster "$pg_ver" "$pg_name" status >/dev/null 2>&1 || pg_status=$?
if ((pg_status == 0)); then
  # Running already; a reload is enough to pick up the pg_hba.conf change.
  if ((hba_changed)); then detached pg_ctlcluster "$pg_ver" "$pg_name" reload; fi
else
  # No systemd here: pg_ctlcluster starts the server directly (as postgres).
  log "starting PostgreSQL $pg_ver/$pg_name"
  detached pg_ctlcluster "$pg_ver" "$pg_name" start >>"$pg_log" 2>&1 || {
    tail -n 20 "$pg_log" >&2
    tail -n 20 "/var/log/postgresql/postgresql-$pg_ver-$pg_name.log" >&2 || true
    die "pg_ctlcluster $pg_ver $pg_name start failed"
  }
fi
wait_for "PostgreSQL" 30 pg_isready -q -h "$PG_HOST" -p "$PG_PORT" ||
  die "PostgreSQL did not become ready on $PG_HOST:$PG_PORT"

psql_pg() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [[ $(psql_pg -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'") != 1 ]]; then
  log "creating database $PG_DB"
  psql_pg -c "CREATE DATABASE \"$PG_DB\""
fi

# --- Redis --------------------------------------------------------------------
redis_ping() { [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }
if ! redis_ping; then
  # Start our own instance rather than via /etc/redis/redis.conf: no init
  # system here, and its pidfile dir (/run/redis) may not exist. No snapshots:
  # tests need no persistence.
  log "starting Redis on $REDIS_HOST:$REDIS_PORT"
  mkdir -p "$CACHE/redis"
  detached redis-server --bind "$REDIS_HOST" --port "$REDIS_PORT" --daemonize yes \
    --save '' --appendonly no --dir "$CACHE/redis" \
    --logfile "$CACHE/redis/redis.log" --pidfile "$CACHE/redis/redis.pid"
  wait_for "Redis" 20 redis_ping || { tail -n 20 "$CACHE/redis/redis.log" >&2; die "Redis did not answer PING"; }
fi

# --- Temporal dev server ------------------------------------------------------
TEMPORAL_BIN=
if [[ ${SERVICES_SKIP_TEMPORAL:-0} != 1 ]]; then
  tdir=$CACHE/temporal-$TEMPORAL_CLI_VERSION
  TEMPORAL_BIN=$tdir/bin/temporal

  if [[ ! -x $TEMPORAL_BIN ]]; then
    command -v go >/dev/null || die "go is needed to build the Temporal CLI"
    log "building Temporal CLI $TEMPORAL_CLI_VERSION with $(go version) (takes several minutes)"
    start=$SECONDS
    # Everything Go writes stays in the cache dir, outside the repo.
    # -modcacherw lets the cache be deleted with a plain rm -rf. CGO is off:
    # the dev server uses a pure-Go SQLite, and upstream builds it that way.
    GOBIN="$tdir/bin" GOPATH="$CACHE/go" GOMODCACHE="$CACHE/go/pkg/mod" \
      GOCACHE="$CACHE/go-build" GOFLAGS="${GOFLAGS:-} -modcacherw" CGO_ENABLED=0 \
      go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
    log "built $TEMPORAL_BIN in $((SECONDS - start))s"
  fi

  temporal_ready() {
    "$TEMPORAL_BIN" operator namespace describe --namespace "$TEMPORAL_NS" \
      --address "$TEMPORAL_HOST:$TEMPORAL_PORT" >/dev/null 2>&1
  }
  if ! port_open "$TEMPORAL_HOST" "$TEMPORAL_PORT"; then
    log "starting Temporal dev server on $TEMPORAL_HOST:$TEMPORAL_PORT (log: $tdir/server.log)"
    # setsid+nohup: the server outlives this script and the caller's shell.
    # A fresh state file per start: schedules an earlier run left behind would
    # keep firing into task queues nobody polls and slow this run's. --headless:
    # no web UI.
    # The internal per-namespace worker runs every Schedule's scheduler
    # workflow; with its defaults (one worker, few pollers) hundreds of
    # schedules due in one minute start minutes late (README "Calendar
    # schedules: fire lag"), so it gets 8 workers, 32 pollers each, and
    # 200 schedule starts/s instead of 30.
    # (fds 3 and 9 closed for the same reason as in detached(); inlined so
    # that $! is the server's own pid.)
    rm -f "$tdir/dev-server.db"
    setsid nohup "$TEMPORAL_BIN" server start-dev \
      --ip "$TEMPORAL_HOST" --port "$TEMPORAL_PORT" --headless \
      --db-filename "$tdir/dev-server.db" --namespace "$TEMPORAL_NS" \
      --dynamic-config-value worker.perNamespaceWorkerCount=8 \
      --dynamic-config-value 'worker.perNamespaceWorkerOptions={"MaxConcurrentWorkflowTaskPollers":32,"MaxConcurrentActivityTaskPollers":32}' \
      --dynamic-config-value worker.schedulerNamespaceStartWorkflowRPS=200 \
      --log-level warn </dev/null >>"$tdir/server.log" 2>&1 3>&- 9>&- &
    echo $! >"$tdir/server.pid"
  elif ! temporal_ready; then
    # Something (maybe an older run with another namespace) already serves the
    # port: make sure our namespace exists there. Errors are fine if it does.
    "$TEMPORAL_BIN" operator namespace create --namespace "$TEMPORAL_NS" \
      --address "$TEMPORAL_HOST:$TEMPORAL_PORT" >/dev/null 2>&1 || true
  fi
  wait_for "Temporal (namespace $TEMPORAL_NS)" "${TEMPORAL_START_TIMEOUT:-60}" temporal_ready || {
    tail -n 30 "$tdir/server.log" >&2 || true
    die "Temporal did not become ready on $TEMPORAL_HOST:$TEMPORAL_PORT"
  }
fi

# --- S3-compatible server (moto) ----------------------------------------------
S3_READY=0
if [[ ${SERVICES_SKIP_S3:-0} != 1 ]]; then
  mdir=$CACHE/moto-$MOTO_VERSION
  if ! "$mdir/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    log "installing moto[server] $MOTO_VERSION into $mdir"
    rm -rf "$mdir"
    python3 -m venv "$mdir"
    "$mdir/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
  fi
  s3_ready() { curl -fsS -o /dev/null "http://$S3_HOST:$S3_PORT/moto-api/"; }
  if ! port_open "$S3_HOST" "$S3_PORT"; then
    log "starting moto S3 server on $S3_HOST:$S3_PORT (log: $mdir/server.log)"
    setsid nohup "$mdir/bin/moto_server" -H "$S3_HOST" -p "$S3_PORT" \
      </dev/null >>"$mdir/server.log" 2>&1 3>&- 9>&- &
    echo $! >"$mdir/server.pid"
  fi
  wait_for "moto S3 server" 30 s3_ready || { tail -n 20 "$mdir/server.log" >&2; die "moto did not answer on $S3_HOST:$S3_PORT"; }
  # Creating a bucket that exists already is answered 200 by moto in us-east-1: idempotent.
  curl -fsS -o /dev/null -X PUT "http://$S3_HOST:$S3_PORT/$S3_TEST_BUCKET" || die "could not create bucket $S3_TEST_BUCKET"
  S3_READY=1
fi

# --- Standard Webhooks' Python library (a verifier, no server) -----------------
swdir=$CACHE/standardwebhooks-$STANDARDWEBHOOKS_VERSION
if ! "$swdir/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('standardwebhooks') != '$STANDARDWEBHOOKS_VERSION')" 2>/dev/null; then
  log "installing standardwebhooks $STANDARDWEBHOOKS_VERSION into $swdir"
  rm -rf "$swdir"
  python3 -m venv "$swdir"
  "$swdir/bin/pip" install --quiet --disable-pip-version-check "standardwebhooks==$STANDARDWEBHOOKS_VERSION"
fi

# --- Exports (the only thing on stdout) ---------------------------------------
{
  echo "export TEST_DATABASE_URL=postgres://postgres@$PG_HOST:$PG_PORT/$PG_DB"
  echo "export REDIS_URL=redis://$REDIS_HOST:$REDIS_PORT"
  echo "export TEST_PYTHON_STANDARDWEBHOOKS=$swdir/bin/python"
  if [[ -n $TEMPORAL_BIN ]]; then
    echo "export TEMPORAL_ADDRESS=$TEMPORAL_HOST:$TEMPORAL_PORT"
    echo "export TEMPORAL_NAMESPACE=$TEMPORAL_NS"
    echo "export TEMPORAL_CLI_PATH=$TEMPORAL_BIN"
  fi
  if ((S3_READY)); then
    # moto takes any credentials; the SDK only needs some to sign with.
    echo "export TEST_S3_ENDPOINT=http://$S3_HOST:$S3_PORT"
    echo "export TEST_S3_BUCKET=$S3_TEST_BUCKET"
    echo "export TEST_S3_REGION=us-east-1"
    echo "export TEST_S3_ACCESS_KEY_ID=test"
    echo "export TEST_S3_SECRET_ACCESS_KEY=test"
  fi
} >&3

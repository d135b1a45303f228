#!/usr/bin/env bash
# Fuzz the REST API with schemathesis against its own OpenAPI document.
#
# Starts a fresh server (scripts/fresh-server.sh: empty temporary PGlite database, a known admin key, no effective
# rate limit) on a free loopback port, runs schemathesis over every operation of GET /v1/openapi.json with the
# checks for server errors and for conformance to the document (status codes, content types, headers, response
# schemas) plus rejection of schema-invalid input and acceptance of schema-valid input (its short allow-list is in
# scripts/fuzz_hooks.py), then stops the server and exits 0 when no schemathesis process found a failure.
#
#   bash scripts/fuzz.sh [extra schemathesis run options…]
#
# `npm run generate` must have run once (npm test's pretest does it). Environment knobs:
#   VITASYNC_CACHE     cache dir outside the repo (default ~/.cache/vitasync); the venv lives there
#   FUZZ_MAX_EXAMPLES  test cases per operation and phase (default 200)
#   FUZZ_SEED          schemathesis seed (default 1)
#   FUZZ_REPORT_DIR    where the server log and each process's JUnit report and log go (default: a temp dir, printed)
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
CACHE="${VITASYNC_CACHE:-$HOME/.cache/vitasync}"
VENV="$CACHE/schemathesis-$SCHEMATHESIS_VERSION"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-200}"
SEED="${FUZZ_SEED:-1}"

log() { printf '[fuzz] %s\n' "$*" >&2; }

# --- schemathesis, in a venv outside the repo (installed once per version) --------------------------------------
mkdir -p "$CACHE"
exec 9>"$CACHE/schemathesis.lock"
flock 9
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
flock -u 9
log "$("$VENV/bin/schemathesis" --version)"

# --- a fresh server ----------------------------------------------------------------------------------------------
REPORT_DIR="${FUZZ_REPORT_DIR:-$(mktemp -d)}"
mkdir -p "$REPORT_DIR"
SERVER_LOG="$REPORT_DIR/server.log"
# shellcheck source=scripts/fresh-server.sh
source scripts/fresh-server.sh

# The fuzzer must not rotate or delete the key it authenticates with (scripts/fuzz_hooks.py): find its id.
FUZZ_PROTECTED_KEY_ID="$(curl -fsS -H "Authorization: Bearer $ADMIN_KEY" "$BASE/v1/api-keys" |
  python3 -c 'import json, sys; key = sys.argv[1]; print(next(k["id"] for k in json.load(sys.stdin)["data"] if key.startswith(k["prefix"])))' "$ADMIN_KEY")"
export FUZZ_PROTECTED_KEY_ID

# --- schemathesis ------------------------------------------------------------------------------------------------
# Its run state (.schemathesis/: failures it replays first next time) would make runs depend on earlier ones and
# land in the work tree: a config outside the repo turns it off and loads the hooks.
CONFIG="$REPORT_DIR/schemathesis.toml"
cat >"$CONFIG" <<TOML
hooks = "$PWD/scripts/fuzz_hooks.py"

[cache]
enabled = false
TOML

# The document's servers entry is relative ("/v1"); --url names the base explicitly. Phases: examples (the
# document's own examples), coverage (deterministic boundary and invalid values), fuzzing (random) and stateful
# (sequences over links schemathesis infers, e.g. POST /users → GET /users/{userId}). --seed with no example
# database makes the generated cases repeatable (ids the server hands out still differ from run to run).
#
# Generating cases costs schemathesis far more CPU than answering them costs the server, and its --workers are
# threads of one Python process: three processes run side by side instead, against the one server — the
# examples, coverage and fuzzing phases of two halves of the operations (split by contract section; a new section
# joins the second half), and the stateful phase over all of them, so its links still span every section.
FIRST_HALF=("OAuth and connections" "Notifications" "Health data" "Users" "Domain events" "Providers")
run_part() {
  local name="$1" phases="$2"
  shift 2
  mkdir -p "$REPORT_DIR/$name"
  "$VENV/bin/schemathesis" --config-file "$CONFIG" run "$BASE/v1/openapi.json" \
    --url "$BASE/v1" \
    --header "Authorization: Bearer $ADMIN_KEY" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance \
    --phases "$phases" \
    --max-examples "$MAX_EXAMPLES" \
    --seed "$SEED" \
    --generation-database none \
    --workers 1 \
    --request-timeout 30 \
    --no-color \
    --report junit --report-dir "$REPORT_DIR/$name" \
    "$@" >"$REPORT_DIR/$name/schemathesis.log" 2>&1
}
# With extra options (a filter, say) one process runs every phase: schemathesis ORs filters of different kinds, so
# a tag split would widen a path filter instead of narrowing it.
if [[ $# -gt 0 ]]; then
  PARTS=(all)
  run_part all examples,coverage,fuzzing,stateful "$@" &
  PIDS=($!)
else
  first=() rest=()
  for tag in "${FIRST_HALF[@]}"; do first+=(--include-tag "$tag") rest+=(--exclude-tag "$tag"); done
  PARTS=(first-half rest stateful)
  run_part first-half examples,coverage,fuzzing "${first[@]}" &
  PIDS=($!)
  run_part rest examples,coverage,fuzzing "${rest[@]}" &
  PIDS+=($!)
  run_part stateful stateful &
  PIDS+=($!)
fi
STATUS=0
for i in "${!PARTS[@]}"; do
  code=0
  wait "${PIDS[$i]}" || code=$?
  if [[ $code -ne 0 ]]; then
    STATUS=$code
    # Its console output closes like pytest's ("== 2 warnings in 71s ==", no test counted), which CI would read
    # as a run of no test: it goes to a file, and is printed only when the run failed.
    log "schemathesis (${PARTS[$i]}) failed; its output:"
    cat "$REPORT_DIR/${PARTS[$i]}/schemathesis.log" >&2
  else
    sed -n '/^Test cases:/,/^$/p' "$REPORT_DIR/${PARTS[$i]}/schemathesis.log" | sed "s/^/[fuzz] ${PARTS[$i]}: /" >&2
  fi
done

# Server-side errors (500s carry only a request id; the log has the stack).
if grep -q '"level":"error"' "$SERVER_LOG"; then
  log "server errors logged:"
  grep '"level":"error"' "$SERVER_LOG" | head -n 20 >&2
fi
log "schemathesis exit code $STATUS; report and server log in $REPORT_DIR"
# A closing line CI reads as a count (one test per operation, plus the stateful scenarios).
python3 - "$REPORT_DIR"/*/junit-*.xml <<'PY' || true
import sys, xml.etree.ElementTree as ET
suites = [ET.parse(path).getroot() for path in sys.argv[1:]]
count = lambda name: sum(int(suite.get(name, 0)) for suite in suites)
failed = count("failures") + count("errors")
print(f"fuzz: {count('tests') - failed - count('skipped')} passed, {failed} failed, {count('skipped')} skipped")
PY
exit "$STATUS"

#!/usr/bin/env bash
# Proof that the OpenAPI document serves the generators REST users rely on: generates a typed client from
# schema/openapi.json (openapi-typescript), type-checks scripts/client/quickstart.ts against it (openapi-fetch),
# then runs that script — the README's quick start — against a fresh server. Exit 0: it compiled and passed.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[client] %s\n' "$*" >&2; }

# Inside node_modules so the script resolves openapi-fetch from the project's own install.
WORK="node_modules/.cache/vitasync-client"
rm -rf "$WORK" && mkdir -p "$WORK"
npx openapi-typescript schema/openapi.json --output "$WORK/api.d.ts" >/dev/null
cp scripts/client/quickstart.ts "$WORK/"
cat >"$WORK/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": true,
    "noEmit": true,
    "types": ["node"],
    "typeRoots": ["../../@types"]
  },
  "files": ["quickstart.ts"]
}
JSON
echo '{ "type": "module" }' >"$WORK/package.json"
npx tsc -p "$WORK"
log "the generated client type-checks"

SERVER_LOG="$(mktemp)"
# shellcheck source=scripts/fresh-server.sh
source scripts/fresh-server.sh
VITASYNC_URL="$BASE" VITASYNC_KEY="$ADMIN_KEY" npx tsx "$WORK/quickstart.ts"

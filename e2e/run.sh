#!/usr/bin/env bash
# Browser tests: starts `antt serve --demo` on a fresh database and a free port, runs the
# playwright-core tests against it with Debian's chromium, then stops the server.
# Usage: e2e/run.sh PATH_TO_ANTT_BINARY
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
antt="${1:?path to the antt binary}"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$antt" serve --demo --port 0 --data-dir "$work/data" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 200); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/server.log" | head -n 1 || true)"
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start"; cat "$work/server.log"; exit 1; }
echo "antt at $url"

cd "$here"
[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
# The command-line tests (05-rulesets) run the same binary against the server's database.
ANTT_URL="$url" ANTT_BIN="$antt" ANTT_DATA_DIR="$work/data" ANTT_DATABASE="$work/data/antt.sqlite" ANTT_SCREENSHOTS="${ANTT_SCREENSHOTS:-$here/screenshots}" node --test --test-concurrency=1 tests/

#!/usr/bin/env bash
# API fuzzing against 127.0.0.1 only, bounded in time: starts `antt serve --demo` on a fresh
# database and runs schemathesis (PyPI) on the served OpenAPI document with the province
# account's token, every phase including the stateful one, which follows the document's links
# (a decision's id from its issue, a record's id from its creation, a unit from the search).
# Fails on any 5xx answer or a panic in the server's log.
# Usage: scripts/schemathesis.sh [SECONDS] [postgres://…/SERVER]   (default 120 s on the embedded
# database; with a PostgreSQL server, a database of its own is created and dropped;
# pip install schemathesis first)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v schemathesis >/dev/null || { echo "schemathesis is needed: pip install schemathesis"; exit 1; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/antt-target}"
# $ANTT names an antt binary to use instead of building one.
if [ -z "${ANTT:-}" ]; then cargo build --locked -q -p antt; fi
antt="${ANTT:-$CARGO_TARGET_DIR/debug/antt}"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh
if [ -n "${2:-}" ]; then
  # A database of its own on the given server, migrated, dropped at the end.
  database="antt_schemathesis_$$"
  psql "$2/postgres" -qc "CREATE DATABASE $database" >/dev/null
  trap 'kill "${server:-0}" 2>/dev/null || true; wait "${server:-0}" 2>/dev/null || true; psql "$2/postgres" -qc "DROP DATABASE IF EXISTS $database" >/dev/null; rm -rf "$work"' EXIT
  "$antt" migrate --database "$2/$database" >/dev/null
  start_demo_server --database "$2/$database"
else
  start_demo_server --data-dir "$work/data"
fi
# Real ids for the path parameters, so operations reach the handlers instead of answering 404.
cat > "$work/schemathesis.toml" <<TOML
[parameters]
"path.cid" = "$cid"
"path.uid" = "29578-ap02"
TOML

status=0
schemathesis --config-file "$work/schemathesis.toml" run "$url/api/v1/openapi.json" --url "$url/api/v1" \
  -H "Authorization: Bearer $token" \
  --checks not_a_server_error \
  --max-time "${1:-120}" --workers 2 --suppress-health-check all || status=$?
if grep -q 'panicked' "$work/server.log"; then
  echo "the server panicked:"; grep -A5 'panicked' "$work/server.log" | head -n 40
  status=1
fi
exit "$status"

#!/usr/bin/env bash
# API fuzzing against 127.0.0.1 only, bounded in time: starts `antt serve --demo` on a fresh
# database and runs schemathesis (PyPI) on the served OpenAPI document with the commune
# account's token, every phase including the stateful one, which follows the document's links
# (a unit from the search, its confirmation, its decision; a record's id from its creation).
# Fails on any 5xx answer or a panic in the server's log.
# Usage: [PHASES=examples,stateful] scripts/schemathesis.sh [SECONDS] [postgres://…/SERVER]   (default 120 s on the embedded
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
# As the commune's account: it confirms its residential areas' results and issues their
# decisions, so the stateful phase can go from a unit to its confirmation to its decision.
export DEMO_USER=xa
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
# Results confirmed for the area of the API document's examples and for the pinned unit, so a
# decision for them can be issued (201) and the links from it lead to a real decision.
for unit in 29578-ap01 29578-ap02; do
  curl -sf -o /dev/null -X PUT "$url/api/v1/campaigns/$cid/units/$unit/review" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"confirmed":"recognised","note":"Đã xem xét hồ sơ kiểm tra."}'
done
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
  --max-time "${1:-120}" --workers 2 --suppress-health-check all ${PHASES:+--phases "$PHASES"} || status=$?
# How deep the run went: decisions are reached only through the links.
echo "decisions issued during the run: $(curl -s "$url/api/v1/campaigns/$cid/decisions" -H "Authorization: Bearer $token" | grep -o '"number"' | wc -l)"
if grep -q 'panicked' "$work/server.log"; then
  echo "the server panicked:"; grep -A5 'panicked' "$work/server.log" | head -n 40
  status=1
fi
exit "$status"

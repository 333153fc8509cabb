#!/usr/bin/env bash
# The national measurements (docs/benchmarks.md, "The national database"), against 127.0.0.1
# only: builds the release `antt`, builds the national database with `antt demo --scale
# national` (unless the database already has it), times its floor — sqlite3 or psql running the
# SELECTs that read the campaign's facts — then serves it, times single writes, runs
# scripts/write-read.mjs (50 clients each recording a document of a residential area and
# reading its verdict at once), restarts the server on the stored results and runs the writers
# again.
# Usage: scripts/national.sh [sqlite://FILE | postgres://USER@127.0.0.1/DB] [national|provinces]
# (default: a fresh SQLite file in a scratch folder; CLIENTS=, SECONDS= as for write-read.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/antt-target}"
cargo build --release --locked -p antt >/dev/null
antt="$CARGO_TARGET_DIR/release/antt"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="${1:-sqlite://$work/national.sqlite}"
campaigns="${2:-national}"

case "$db" in
  postgres*) "$antt" migrate --database "$db" >/dev/null; sql() { psql -q -At "$db" -c "$1"; } ;;
  sqlite*) "$antt" rulesets list --database "$db" >/dev/null; sql() { sqlite3 "${db#sqlite://}" "$1"; } ;;
esac
if [ "$(sql 'SELECT COUNT(*) FROM campaigns')" = "0" ]; then
  /usr/bin/time -f "built in %e s, peak memory %M kB" "$antt" demo --scale national --campaigns "$campaigns" --database "$db"
fi

# The floor: the statements `antt_store::facts::load` runs for the largest campaign, run by the
# database's own client, output discarded.
read -r cid path <<<"$(sql "SELECT c.id || ' ' || s.path FROM campaigns c JOIN units s ON s.id = c.scope_unit_id ORDER BY LENGTH(s.path), c.id LIMIT 1")"
from="${path}"; to="${path%/}0"
inside="unit_id IN (SELECT id FROM units WHERE path >= '$from' AND path < '$to')"
statements="SELECT id, name, unit_type, parent_id, attributes FROM units WHERE path >= '$from' AND path < '$to' ORDER BY path;"
for t in fact_lists unit_flags registrations documents commitments incidents discipline titles sub_units previous_year_counts judgements scores; do
  statements+="SELECT * FROM $t WHERE campaign_id = '$cid' AND $inside;"
done
for run in 1 2 3; do
  start=$(date +%s.%N)
  sql "$statements" >/dev/null
  echo "floor run $run: $(echo "$(date +%s.%N) - $start" | bc) s"
done

printf 'Phep-do-toan-quoc-2026\n' | "$antt" admin create --username do-hieu-nang --full-name "Đo hiệu năng" \
  --unit "$(sql "SELECT scope_unit_id FROM campaigns WHERE id = '$cid'")" --role admin --database "$db" >/dev/null 2>&1 || true
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh
serve_in_background --database "$db" --data-dir "$work/data"
token="$(curl -s -X POST "$url/api/v1/tokens" -H 'Content-Type: application/json' \
  -d '{"username":"do-hieu-nang","password":"Phep-do-toan-quoc-2026","name":"national"}' | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')"
scope="$(sql "SELECT scope_unit_id FROM campaigns WHERE id = '$cid'")"
start=$(date +%s.%N)
curl -s -o /dev/null -H "Authorization: Bearer $token" "$url/api/v1/campaigns/$cid/units/$scope/summary"
echo "first read of the campaign on a started server: $(echo "$(date +%s.%N) - $start" | bc) s"
grep VmHWM "/proc/$server/status" | sed 's/^/server memory after it: /'
# Single writes, each followed at once by the country's summary and the written area's verdict.
area="$(sql "SELECT id FROM units WHERE unit_type = 'residential_area' ORDER BY path LIMIT 1")"
for n in $(seq 1 10); do
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"kind\":\"internal_rules\",\"number\":\"do-$n/NQ\",\"issued_on\":null}" \
    "$url/api/v1/campaigns/$cid/units/$area/facts/documents"
  summary=$(curl -s -o "$work/summary.json" -w '%{time_total}' -H "Authorization: Bearer $token" "$url/api/v1/campaigns/$cid/units/$scope/summary")
  verdict=$(curl -s -o "$work/verdict.json" -w '%{time_total}' -H "Authorization: Bearer $token" "$url/api/v1/campaigns/$cid/units/$area/verdict")
  echo "write $n: country summary $summary s (revision $(grep -o '"revision":[0-9]*' "$work/summary.json" | cut -d: -f2)), area verdict $verdict s ($(grep -o '"updating":[a-z]*' "$work/verdict.json"))"
  sleep 1
done
node scripts/write-read.mjs "$url" "$token" "$cid"
grep -E 'VmRSS|VmHWM' "/proc/$server/status" | sed 's/^/server memory after the writers: /'

# A restarted server starts from the results stored in the database, not from the facts.
sleep 3
kill "$server"; wait "$server" 2>/dev/null || true
serve_in_background --database "$db" --data-dir "$work/data"
start=$(date +%s.%N)
curl -s -o /dev/null -H "Authorization: Bearer $token" "$url/api/v1/campaigns/$cid/units/$scope/summary"
echo "first read on a restarted server: $(echo "$(date +%s.%N) - $start" | bc) s"
grep -E 'VmRSS|VmHWM' "/proc/$server/status" | sed 's/^/restarted server memory: /'
# The writers again, against the restarted server: what a server holding the national campaign
# from its stored results uses while it follows writes.
node scripts/write-read.mjs "$url" "$token" "$cid"
grep -E 'VmRSS|VmHWM' "/proc/$server/status" | sed 's/^/restarted server memory after the writers: /'

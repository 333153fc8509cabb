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
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh
build_release_antt
db="${1:-sqlite://$work/national.sqlite}"
campaigns="${2:-national}"
# shellcheck source=scripts/national-lib.sh
source scripts/national-lib.sh

case "$db" in
  postgres*) "$antt" migrate --database "$db" >/dev/null ;;
  sqlite*) "$antt" rulesets list --database "$db" >/dev/null ;;
esac
if [ "$(sql 'SELECT COUNT(*) FROM campaigns')" = "0" ]; then
  /usr/bin/time -f "built in %e s, peak memory %M kB" "$antt" demo --scale national --campaigns "$campaigns" --database "$db"
fi

national_campaign
for run in 1 2 3; do time_floor "floor run $run"; done

national_account
serve_in_background --database "$db" --data-dir "$work/data"
national_token
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

#!/usr/bin/env bash
# A cold load of the national campaign, against its floor (docs/benchmarks.md): deletes the
# campaign's stored results so that a started server must evaluate it from its facts, times the
# floor (the database's own client running the same SELECTs), starts the release `antt` with
# its timing logged, times the first read of the country's summary, and reports the server's
# memory at that read and once the results are stored again, with the server's own timings.
# Usage: scripts/cold-load.sh sqlite://FILE | postgres://USER@127.0.0.1/DB  (a database built
# by scripts/national.sh or `antt demo --scale national`; ROUNDS=N repeats the whole measure)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh
build_release_antt
db="$1"
# shellcheck source=scripts/national-lib.sh
source scripts/national-lib.sh
national_campaign
national_account
scope="$(sql "SELECT scope_unit_id FROM campaigns WHERE id = '$cid'")"

for round in $(seq 1 "${ROUNDS:-1}"); do
  sql "DELETE FROM campaign_results WHERE campaign_id = '$cid'; DELETE FROM campaign_results_state WHERE campaign_id = '$cid'"
  # A large write-ahead log left behind slows every read of the file until it is checkpointed.
  # So does PostgreSQL writing out the deleted results while the round measures: settle them.
  case "$db" in
    sqlite*) sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null ;;
    postgres*) sql "VACUUM campaign_results" && sql "CHECKPOINT" ;;
  esac
  time_floor "round $round, floor"
  RUST_LOG=info,antt_app=debug serve_in_background --database "$db" --data-dir "$work/data"
  national_token
  start=$(date +%s.%N)
  curl -s -o /dev/null -H "Authorization: Bearer $token" "$url/api/v1/campaigns/$cid/units/$scope/summary"
  echo "round $round, first read from the facts: $(echo "$(date +%s.%N) - $start" | bc) s"
  grep -E 'VmHWM' "/proc/$server/status" | sed "s/^/round $round, at the first read: /"
  echo "round $round, at the first read: $(cut -d' ' -f10 "/proc/$server/stat") minor page faults"
  grep -E 'RssAnon|RssFile' "/proc/$server/status" | sed "s/^/round $round, at the first read: /"
  # The results of a cold load are stored in one task after the read; wait for it.
  for _ in $(seq 1 600); do grep -q 'lưu kết quả' "$work/server.log" && break; sleep 0.2; done
  grep -E 'VmRSS|VmHWM' "/proc/$server/status" | sed "s/^/round $round, results stored: /"
  grep -E 'tính cả đợt|lưu kết quả' "$work/server.log" | sed -e 's/\x1b\[[0-9;]*m//g' -e "s/^.*antt_app[^ ]* /round $round, server: /"
  kill "$server"; wait "$server" 2>/dev/null || true
done

#!/usr/bin/env bash
# Fault drills against 127.0.0.1 only, each bounded in time. Needs root (tmpfs mount, stopping
# PostgreSQL), python3 (PRAGMA integrity_check) and curl.
#   scripts/faults.sh disk-full       SQLite on a small disk that fills up: a clear 507, then the
#                                     write works once space is freed; integrity_check passes
#   scripts/faults.sh database-away   PostgreSQL (a throwaway cluster on port 5499) stopped under a
#                                     running server: a clear 503 with Retry-After, static files
#                                     still served; back to 200 once it returns, without restarting
#   scripts/faults.sh kill-import     kill -9 of `antt import` in the middle of a large file: all
#                                     of it or none of it is in the database (SQLite and PostgreSQL)
#   scripts/faults.sh all             the three in turn
# Prints one line per check ("ok …" or "FAIL …") and exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/antt-target}"
# $ANTT names an antt binary to use instead of building one.
if [ -z "${ANTT:-}" ]; then cargo build --locked -q -p antt; fi
antt="${ANTT:-$CARGO_TARGET_DIR/debug/antt}"
work="$(mktemp -d)"
failures=0
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  mountpoint -q "$work/disk" 2>/dev/null && umount "$work/disk"
  rm -rf "$work"
}
trap cleanup EXIT

check() { # check "what" command…
  local what="$1"; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}

# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh

stop_server() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
}

# GET or POST through the API; prints the HTTP status, keeps the body in $work/body and the
# headers in $work/headers.
api() {
  local method="$1" path="$2"; shift 2
  curl -s -m 60 -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@" "$url/api/v1$path"
}

# An incident with a 60 kB note, so a few hundred writes outgrow what SQLite keeps in reserve.
note="diễn tập $(printf 'x%.0s' $(seq 1 60000))"
incident='{"kind":"crime","occurred_on":"2013-08-01","severity":"it_nghiem_trong","in_territory":true,"by_own_people":false,"force_majeure":false,"reported_promptly":true,"note":"'"$note"'"}'

disk_full() {
  echo "== a full disk under SQLite"
  mkdir -p "$work/disk"
  mount -t tmpfs -o size=96m tmpfs "$work/disk"
  start_demo_server --data-dir "$work/disk/data"
  local facts="/campaigns/$cid/units/29578-ap02/facts/incidents"
  check "a write succeeds while there is room" test "$(api POST "$facts" -d "$incident")" = 201
  # Fill the disk, then keep writing until SQLite runs out of room.
  dd if=/dev/zero of="$work/disk/filler" bs=64k status=none 2>/dev/null || true
  local status="" saved=1
  for _ in $(seq 1 1000); do
    status="$(api POST "$facts" -d "$incident")"
    [ "$status" = 201 ] && saved=$((saved + 1)) && continue
    break
  done
  check "a write on the full disk is refused with 507 (got $status)" test "$status" = 507
  check "… and says so in Vietnamese" grep -q "đĩa" "$work/body"
  check "the server still answers reads on the full disk" test "$(api GET "/campaigns/$cid/units/29578/verdict")" = 200
  rm -f "$work/disk/filler"
  status="$(api POST "$facts" -d "$incident")"
  [ "$status" = 201 ] && saved=$((saved + 1))
  check "the same write succeeds once space is freed (got $status)" test "$status" = 201
  stop_server
  local db="$work/disk/data/antt.sqlite"
  check "PRAGMA integrity_check passes" test "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$db")" = ok
  local stored
  stored="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT COUNT(*) FROM incidents WHERE note LIKE 'diễn tập x%'\").fetchone()[0])" "$db")"
  check "every acknowledged write is stored, the refused one is not ($stored of $saved)" test "$stored" = "$saved"
  umount "$work/disk"
}

# A throwaway PostgreSQL cluster of its own, so stopping it disturbs nobody else's database.
PG_VERSION="$(ls /etc/postgresql | sort -n | tail -n 1)"
PG_PORT=5499
pg_cluster() { pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" antt_faults "$@"; }

# Creates the throwaway cluster afresh, starts it, migrates its database; prints its URL.
fresh_cluster() {
  pg_dropcluster --stop "$PG_VERSION" antt_faults 2>/dev/null || true
  pg_createcluster "$PG_VERSION" antt_faults -p "$PG_PORT" -- --auth=trust >/dev/null
  pg_cluster start >&2
  local pg="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  "$antt" migrate --database "$pg" >/dev/null
  echo "$pg"
}

database_away() {
  echo "== PostgreSQL goes away and comes back"
  local pg
  pg="$(fresh_cluster)"
  start_demo_server --database "$pg"
  local verdict="/campaigns/$cid/units/29578/verdict"
  check "the API answers while the database runs" test "$(api GET "$verdict")" = 200
  pg_cluster stop -m fast
  local status
  status="$(api GET "$verdict")"
  check "with the database stopped the API answers 503 (got $status)" test "$status" = 503
  check "… with Retry-After" grep -qi '^retry-after: 30' "$work/headers"
  check "… and a Vietnamese message" grep -q "cơ sở dữ liệu" "$work/body"
  check "static files are still served" test "$(curl -s -o /dev/null -w '%{http_code}' "$url/static/app.css")" = 200
  pg_cluster start >&2
  status=""
  for _ in $(seq 1 30); do
    status="$(api GET "$verdict")"
    [ "$status" = 200 ] && break
    sleep 1
  done
  check "the same server answers 200 again once the database is back (got $status)" test "$status" = 200
  stop_server
  pg_dropcluster --stop "$PG_VERSION" antt_faults
}

# Writes a household commitment list of $2 rows over the demo commune's residential areas.
households_csv() {
  python3 - "$1" "$2" <<'PY'
import sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w", encoding="utf-8") as f:
    f.write("Mã đơn vị,Chủ hộ,Địa chỉ,Đã ký cam kết,Ngày ký\n")
    for i in range(rows):
        f.write(f"29578-ap{1 + i % 12:02d},Nguyễn Văn Hộ {i},Số {i % 500} tổ {i % 20},có,{1 + i % 28:02d}/05/2013\n")
PY
}

# Counts the imported households ($1: sqlite://FILE or postgres://…).
households_in() {
  case "$1" in
    sqlite://*) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM household_commitments').fetchone()[0])" "${1#sqlite://}" ;;
    *) psql "$1" -Atc "SELECT COUNT(*) FROM household_commitments" ;;
  esac
}

# Whether the import's write transaction is open right now ($1 database, $2 WAL size before).
writing_now() {
  case "$1" in
    sqlite://*) [ "$(stat -c %s "${1#sqlite://}-wal" 2>/dev/null || echo 0)" -gt $(($2 + 4000000)) ] ;;
    *) [ "$(psql "$1" -Atc "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")" -gt 0 ] ;;
  esac
}

kill_import_on() { # $1: database URL (demo data seeded)
  local db="$1" rows=400000
  households_csv "$work/ho.csv" "$rows"
  local args=(import records --kind households --campaign "$cid" --unit 29578 --file "$work/ho.csv" --database "$db")
  # An empty write-ahead log, so its growth shows SQLite's write transaction under way.
  case "$db" in
    sqlite://*) python3 -c "import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute('PRAGMA wal_checkpoint(TRUNCATE)')" "${db#sqlite://}" ;;
  esac
  local wal_before
  wal_before="$(stat -c %s "${db#sqlite://}-wal" 2>/dev/null || echo 0)"
  "$antt" "${args[@]}" > "$work/import.log" 2>&1 &
  local importer=$! caught=""
  for _ in $(seq 1 1200); do
    kill -0 "$importer" 2>/dev/null || break
    if writing_now "$db" "$wal_before"; then kill -9 "$importer"; caught=yes; break; fi
    sleep 0.05
  done
  wait "$importer" 2>/dev/null || true
  check "the import was killed while its write transaction was open" test "$caught" = yes
  sleep 1
  local after
  after="$(households_in "$db")"
  check "after kill -9 none of the file is in the database ($after rows)" test "$after" = 0
  "$antt" "${args[@]}" > "$work/import.log" 2>&1
  after="$(households_in "$db")"
  check "the same import run again brings all of it ($after of $rows rows)" test "$after" = "$rows"
}

kill_import() {
  echo "== kill -9 in the middle of a large import (SQLite)"
  start_demo_server --data-dir "$work/k/data"
  stop_server
  kill_import_on "sqlite://$work/k/data/antt.sqlite"
  check "PRAGMA integrity_check passes" test "$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])" "$work/k/data/antt.sqlite")" = ok
  echo "== kill -9 in the middle of a large import (PostgreSQL)"
  local pg
  pg="$(fresh_cluster)"
  start_demo_server --database "$pg"
  stop_server
  kill_import_on "$pg"
  pg_dropcluster --stop "$PG_VERSION" antt_faults
}

case "${1:-all}" in
  disk-full) disk_full ;;
  database-away) database_away ;;
  kill-import) kill_import ;;
  all) disk_full; database_away; kill_import ;;
  *) echo "usage: $0 [disk-full|database-away|kill-import|all]"; exit 2 ;;
esac
[ "$failures" = 0 ] || { echo "$failures check(s) failed"; exit 1; }

#!/usr/bin/env bash
# Load test against 127.0.0.1 only, bounded in time: starts `antt serve --demo` (release build)
# on a fresh embedded database — or on the PostgreSQL database given as $1 — and runs wrk with
# 200 connections for 10 s on a trivial endpoint (the floor), the dashboard, a unit page and the
# API. Prints throughput, latency percentiles and any failed (non-2xx) response.
# Usage: scripts/load.sh [postgres://USER@127.0.0.1/DB]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh
start_release_demo_server "${1:-}"
cookie="$(curl -s -i -d 'username=tinh&password=antt-demo-2013' "$url/login" | grep -i '^set-cookie' | sed 's/^[^:]*: \([^;]*\);.*/\1/')"
# Warm the verdict cache once, as any first visitor would.
curl -s -o /dev/null -H "Cookie: $cookie" "$url/c/$cid/dashboard?unit=86"

run() {
  local name="$1"; shift
  echo "== $name"
  wrk -t2 -c200 -d10s --latency "$@" | grep -E 'Requests/sec|Non-2xx|Socket errors|^ +(50|99)%'
}
run "floor: static file" "$url/static/app.css"
run "dashboard, province" -H "Cookie: $cookie" "$url/c/$cid/dashboard?unit=86"
run "unit page, commune" -H "Cookie: $cookie" "$url/c/$cid/units/29578"
run "API: verdict of a residential area" -H "Authorization: Bearer $token" "$url/api/v1/campaigns/$cid/units/29578-ap01/verdict"

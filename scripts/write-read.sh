#!/usr/bin/env bash
# Writers reading their own verdict, against 127.0.0.1 only, bounded in time: starts
# `antt serve --demo` (release build) on a fresh embedded database — or on the PostgreSQL
# database given as $1 — and runs scripts/write-read.mjs: 50 clients, each recording a document
# of its own residential area through the API and reading the area's verdict at once, for 20 s.
# Usage: scripts/write-read.sh [postgres://USER@127.0.0.1/DB]   (CLIENTS=, SECONDS= to change)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh
start_release_demo_server "${1:-}"
# Warm the verdict cache once, as any first visitor would.
curl -s -o /dev/null -H "Authorization: Bearer $token" "$url/api/v1/campaigns/$cid/units/86/summary"
node scripts/write-read.mjs "$url" "$token" "$cid"

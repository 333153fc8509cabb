# Sourced by the scripts that drive a demo server (load, fault drills, API fuzzing).
# serve_in_background [ARGS…] runs `$antt serve --port 0 ARGS…` in the background, logging to
# $work/server.log, and sets $server (its pid) and $url; returns 1, showing the log, if it never
# listens.
serve_in_background() {
  "$antt" serve --port 0 "$@" > "$work/server.log" 2>&1 &
  server=$!
  url=""
  for _ in $(seq 1 900); do
    url="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/server.log" | head -n 1 || true)"
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$url" ] || { cat "$work/server.log"; return 1; }
}

# start_demo_server [ARGS…] runs `$antt serve --demo --port 0 ARGS…` in the background, logging
# to $work/server.log, and sets $server (its pid), $url, $token (an API token of the demo
# account $DEMO_USER, by default the province's `tinh`) and $cid (the demo campaign). Returns 1, showing the log, if it never listens.
start_demo_server() {
  serve_in_background --demo "$@" || return 1
  token="$(curl -s -X POST "$url/api/v1/tokens" -H 'Content-Type: application/json' \
    -d "{\"username\":\"${DEMO_USER:-tinh}\",\"password\":\"antt-demo-2013\",\"name\":\"$(basename "$0" .sh)\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')"
  cid="$(curl -s "$url/api/v1/campaigns" -H "Authorization: Bearer $token" | grep -o '"id":"[0-9a-f]*"' | head -n 1 | cut -d'"' -f4)"
}

# build_release_antt builds the release `antt` and sets $antt to it (or takes $ANTT, a release
# binary to measure instead, e.g. an earlier commit's, to compare builds in turns), and makes a
# scratch $work folder removed (with the server stopped) on exit.
build_release_antt() {
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/antt-target}"
  if [ -n "${ANTT:-}" ]; then
    antt="$ANTT"
  else
    cargo build --release --locked -p antt >/dev/null
    antt="$CARGO_TARGET_DIR/release/antt"
  fi
  work="$(mktemp -d)"
  trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
}

# start_release_demo_server [postgres://…]: builds the release `antt`, makes a scratch $work
# folder removed (with the server stopped) on exit, migrates the PostgreSQL database if one is
# given, and starts the demo server on it — or on a fresh embedded database — as above.
start_release_demo_server() {
  build_release_antt
  local args=(--data-dir "$work/data")
  if [ -n "${1:-}" ]; then
    "$antt" migrate --database "$1" >/dev/null
    args+=(--database "$1")
  fi
  start_demo_server "${args[@]}"
}

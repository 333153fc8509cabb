#!/usr/bin/env bash
# Slow-client and sign-in-flood drill against 127.0.0.1 only, bounded in time (about 1 minute):
# starts `antt serve --demo` (release build, or the binary in $ANTT_BIN) on a fresh embedded
# database and checks, with figures printed:
#   1. with 2,000 idle connections, 1,000 half-open ones (a request head never finished) and
#      500 kept alive after one answer open, GET /login on a new connection answers in < 1 s;
#   2. the header timeout (--header-timeout, 5 s here) closes every one of them;
#   3. a second server with --max-connections 100 answers the 101st connection 503 with
#      Retry-After, and serves again once connections close;
#   4. a static file's latency while 8 connections flood POST /login with unknown user names,
#      from one address (refused after 30 attempts) and from a new address at every attempt
#      (each one checked: the hash queue is what protects the other requests);
#   5. the time of a wrong sign-in for a known and for an unknown user name.
# Usage: scripts/slow-clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
if [ -z "${ANTT_BIN:-}" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/antt-target}"
  cargo build --release --locked -p antt >/dev/null
  ANTT_BIN="$CARGO_TARGET_DIR/release/antt"
fi
antt="$ANTT_BIN"
work="$(mktemp -d)"
trap 'kill "${server:-0}" "${small:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n 8192
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh
start_demo_server --data-dir "$work/data" --header-timeout 5 --client-address-header X-Real-IP

python3 - "$url" <<'PY'
import socket, statistics, sys, time, urllib.parse
host, port = urllib.parse.urlparse(sys.argv[1]).netloc.split(":")
port = int(port)

def login_ms():
    start = time.monotonic()
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    assert data.startswith(b"HTTP/1.1 200"), data[:80]
    return (time.monotonic() - start) * 1000

base = [login_ms() for _ in range(20)]
idle = [socket.create_connection((host, port)) for _ in range(2000)]
half = []
for _ in range(1000):
    s = socket.create_connection((host, port))
    s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\n")
    half.append(s)
# Kept alive after one answer, then silent.
kept = []
for _ in range(500):
    s = socket.create_connection((host, port))
    s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"</html>" not in data:
        data += s.recv(65536)
    kept.append(s)
opened = time.monotonic()
loaded = [login_ms() for _ in range(20)]
print(f"1. GET /login alone: median {statistics.median(base):.1f} ms, max {max(base):.1f} ms")
print(f"   with 2000 idle + 1000 half-open + 500 kept-alive connections: median {statistics.median(loaded):.1f} ms, max {max(loaded):.1f} ms")
assert max(loaded) < 1000, "GET /login took 1 s or more"
time.sleep(max(0.0, 5 + 2 - (time.monotonic() - opened)))
closed = 0
for s in idle + half + kept:
    s.settimeout(0.5)
    try:
        closed += s.recv(1) == b""
    except (ConnectionResetError, BrokenPipeError):
        closed += 1
    except socket.timeout:
        pass
    s.close()
print(f"2. closed by the server 7 s after the last opened (header timeout 5 s): {closed} of 3500")
assert closed == 3500
PY

"$antt" serve --demo --port 0 --data-dir "$work/data" --max-connections 100 > "$work/small.log" 2>&1 &
small=$!
small_url=""
for _ in $(seq 1 100); do
  small_url="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/small.log" | head -n 1 || true)"
  [ -n "$small_url" ] && break
  sleep 0.2
done
[ -n "$small_url" ] || { cat "$work/small.log"; exit 1; }
python3 - "$small_url" <<'PY'
import socket, sys, time, urllib.parse
host, port = urllib.parse.urlparse(sys.argv[1]).netloc.split(":")
port = int(port)
held = [socket.create_connection((host, port)) for _ in range(100)]
time.sleep(0.3)
s = socket.create_connection((host, port), timeout=5)
answer = b""
while chunk := s.recv(4096):
    answer += chunk
head, _, body = answer.partition(b"\r\n\r\n")
print(f"3. connection 101 of 100: {head.splitlines()[0].decode()}, {[h.decode() for h in head.splitlines() if h.lower().startswith(b'retry-after')][0]}, “{body.decode()}”")
assert head.startswith(b"HTTP/1.1 503") and b"Retry-After: 5" in head
for h in held:
    h.close()
time.sleep(0.3)
s = socket.create_connection((host, port), timeout=5)
s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
again = s.recv(64)
print(f"   after they close: {again.splitlines()[0].decode()}")
assert again.startswith(b"HTTP/1.1 200")
PY

cat > "$work/flood.lua" <<'LUA'
wrk.method = "POST"
counter = 0
spread = os.getenv("SPREAD") == "1"
request = function()
  counter = counter + 1
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  if spread then
    headers["X-Real-IP"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  end
  return wrk.format(nil, "/login", headers, "username=khong-co-" .. counter .. "&password=doan-sai")
end
LUA
static() {
  wrk -t1 -c4 -d5s --latency "$url/static/app.css" | grep -E 'Requests/sec|^ +(50|99)%'
}
echo "4. static file alone:"
static
for spread in 0 1; do
  SPREAD=$spread wrk -t1 -c8 -d12s -s "$work/flood.lua" "$url" > "$work/flood.txt" &
  flood=$!
  sleep 1
  if [ "$spread" = 1 ]; then echo "   while 8 connections flood POST /login, a new address at every attempt:"; else echo "   while 8 connections flood POST /login from one address:"; fi
  static
  wait "$flood"
  echo "   the flood itself (401: checked, 429: refused unchecked):"; grep -E 'Requests/sec|Non-2xx' "$work/flood.txt"
done

python3 - "$url" <<'PY'
import socket, statistics, sys, time, urllib.parse
host, port = urllib.parse.urlparse(sys.argv[1]).netloc.split(":")
port = int(port)
def wrong(name, address):
    body = f"username={name}&password=doan-sai".encode()
    start = time.monotonic()
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              + f"X-Real-IP: {address}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    assert data.startswith(b"HTTP/1.1 401"), data[:60]
    return (time.monotonic() - start) * 1000
for round in range(2):
    times = {name: [wrong(name, f"172.16.{round}.{i}") for i in range(1, 21)] for name in ["tinh", "khong-co-ai"]}
print("5. a wrong sign-in, 20 times each from new addresses: " + "; ".join(
    f"{name}: median {statistics.median(t):.1f} ms, min {min(t):.1f}, max {max(t):.1f}" for name, t in times.items()))
PY

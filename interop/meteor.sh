#!/usr/bin/env bash
# The genuine Meteor 1.9.3 reference DDP server (shared/meteor-reference beside the repository),
# for validating the interop suite and for frame comparisons.
#
#   interop/meteor.sh setup                 # install the reference runtime once (~40 s)
#   interop/meteor.sh start [port]          # start on 127.0.0.1:port (default 3999), prints its PID
#   interop/meteor.sh stop  [port]          # stop it
#   interop/meteor.sh start-ratelimit [port]
#                                           # start our own fixture interop/meteor/rate-limit-app.js
#                                           # (rate limits, login/logout) on port (default 4011)
#   interop/meteor.sh test  [port]          # start (and interop/meteor/rate-limit-app.js on port+12),
#                                           # run interop/run.sh with kind=meteor, stop
#   interop/meteor.sh compare <b-ws-url> [port] [compare-frames options...]
#                                           # start, compare its frames with another server, stop
#
# The reference lives in ../shared/meteor-reference relative to the repository root (CI clones
# the repository and puts shared/ beside it). Without it this script prints a notice and exits 0.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
REF="$REPO/../shared/meteor-reference"

if [ ! -d "$REF" ]; then
  echo "skipped: ../shared/meteor-reference not found (looked in $REF)"
  exit 0
fi
REF="$(cd "$REF" && pwd)"

cmd="${1:-}"; shift || true
case "$cmd" in
  setup)
    exec bash "$REF/setup.sh"
    ;;
  start)
    exec bash "$REF/start.sh" "${1:-3999}"
    ;;
  stop)
    exec bash "$REF/stop.sh" "${1:-3999}"
    ;;
  start-ratelimit)
    exec bash "$REF/start.sh" "${1:-4011}" "$HERE/meteor/rate-limit-app.js"
    ;;
  test)
    PORT="${1:-3999}"
    # Our own rate-limit fixture (Meteor's DDPRateLimiter rules) beside the reference app.
    RL_PORT=$((PORT + 12))
    bash "$REF/start.sh" "$PORT" >/dev/null
    bash "$REF/start.sh" "$RL_PORT" "$HERE/meteor/rate-limit-app.js" >/dev/null
    trap 'bash "$REF/stop.sh" "$PORT"; bash "$REF/stop.sh" "$RL_PORT"' EXIT
    DDP_RATELIMIT_URL="ws://127.0.0.1:$RL_PORT/websocket" \
      bash "$HERE/run.sh" "ws://127.0.0.1:$PORT/websocket" "http://127.0.0.1:$PORT/sockjs" meteor
    ;;
  compare)
    B="${1:?usage: $0 compare <b-ws-url> [port] [options]}"; shift
    PORT=3999
    if [ "$#" -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then PORT="$1"; shift; fi
    [ -f "$HERE/node_modules/.package-lock.json" ] || (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >&2)
    bash "$REF/start.sh" "$PORT" >/dev/null
    trap 'bash "$REF/stop.sh" "$PORT"' EXIT
    node "$HERE/compare-frames.mjs" --a "ws://127.0.0.1:$PORT/websocket" --b "$B" "$@"
    ;;
  *)
    sed -n '2,16p' "$0" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Starts the sample app jar (conformance profile) on a free loopback port, runs something
# against it, and stops it again:
#   interop/run-sample.sh <jar>           the npm interop suite, then the browser test of the
#                                         page (run-browser.sh, which starts the jar itself):
#                                         what 'mvn verify' runs in the sample-app module's
#                                         integration-test phase
#   interop/run-sample.sh <jar> compare   our frames against the genuine Meteor server's,
#                                         case by case (interop/meteor.sh compare)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$(realpath "$1")"
MODE="${2:-interop}"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});')"
LOG="$(mktemp -t ddp-sample-XXXXXX.log)"
java -jar "$JAR" --spring.profiles.active=conformance --server.port="$PORT" --server.address=127.0.0.1 >"$LOG" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true; wait $APP 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if node -e 'require("http").get(process.argv[1], (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1));' "http://127.0.0.1:$PORT/sockjs/info"; then break; fi
  if ! kill -0 "$APP" 2>/dev/null; then echo "[interop] sample app exited; log:" >&2; cat "$LOG" >&2; exit 1; fi
  sleep 0.5
done
echo "[interop] sample app on 127.0.0.1:$PORT (log $LOG)"
case "$MODE" in
  interop)
    "$HERE/run.sh" "ws://127.0.0.1:$PORT/websocket" "http://127.0.0.1:$PORT/sockjs" spring
    # the browser test starts (and restarts) its own instance of the jar
    kill "$APP" 2>/dev/null || true
    wait "$APP" 2>/dev/null || true
    "$HERE/run-browser.sh" "$JAR" ;;
  compare) "$HERE/meteor.sh" compare "ws://127.0.0.1:$PORT/websocket" 3999 ;;
  *) echo "unknown mode '$MODE' (interop or compare)" >&2; exit 2 ;;
esac

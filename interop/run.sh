#!/usr/bin/env bash
# Runs the DDP interop suite (real npm DDP clients) against one server.
#
#   interop/run.sh <ws-url> <sockjs-url> <kind>
#   interop/run.sh ws://127.0.0.1:3999/websocket http://127.0.0.1:3999/sockjs meteor
#   interop/run.sh ws://127.0.0.1:8080/websocket http://127.0.0.1:8080/sockjs spring
#
# kind: meteor = the genuine Meteor 1.9.3 reference (its two documented differences from
# ddp-protocol.md are tolerated); spring = ddp-spring-boot, held to ddp-protocol.md exactly.
# Installs node_modules with `npm ci` when missing or older than package-lock.json.
# Output is the node test runner's TAP, ending in `# pass N` / `# fail N`; exit status is
# non-zero when a test fails.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"

if [ "$#" -ne 3 ]; then
  echo "usage: $0 <ws-url> <sockjs-url> <meteor|spring>" >&2
  exit 2
fi
WS_URL="$1"; SOCKJS_URL="$2"; KIND="$3"
case "$KIND" in meteor|spring) ;; *) echo "kind must be meteor or spring, got '$KIND'" >&2; exit 2 ;; esac

cd "$HERE"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[interop] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# wait up to 30 s for the server's SockJS info endpoint, so a server still starting is not a failure
node -e '
  const url = process.argv[1].replace(/\/+$/, "") + "/info";
  const deadline = Date.now() + 30000;
  (async function poll() {
    try { const r = await fetch(url); if (r.ok) process.exit(0); } catch {}
    if (Date.now() > deadline) { console.error("[interop] " + url + " does not answer; running anyway"); process.exit(0); }
    setTimeout(poll, 250);
  })();' "$SOCKJS_URL"

export DDP_URL="$WS_URL" DDP_SOCKJS_URL="$SOCKJS_URL" DDP_SERVER_KIND="$KIND"
exec node --test --test-concurrency=1 --test-timeout=120000 --test-reporter=tap ./*.test.mjs

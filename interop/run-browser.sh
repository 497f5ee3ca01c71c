#!/usr/bin/env bash
# Runs the browser test of the sample app's page (interop/browser/page.test.mjs): headless
# Debian chromium driven by playwright-core; the test starts and restarts the given jar itself.
#
#   interop/run-browser.sh sample-app/target/sample-app-0.1.0-SNAPSHOT.jar
#
# Needs /usr/bin/chromium (apt-get install chromium); DDP_SKIP_BROWSER_TESTS=true skips it.
# Screenshots: sample-app/target/browser-screenshots (or DDP_SCREENSHOTS).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
if [ "$#" -ne 1 ]; then
  echo "usage: $0 <sample-app jar>" >&2
  exit 2
fi
export DDP_SAMPLE_JAR="$(realpath "$1")"
cd "$HERE"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[browser] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
exec node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=tap browser/page.test.mjs

#!/usr/bin/env bash
# The sample app's page, built by its Maven build (generate-resources): installs the npm packages
# of package-lock.json with 'npm ci' when node_modules is missing or older than the lock file,
# then bundles the page with esbuild into the given folder.
#   build.sh <output folder>
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$1"
command -v node >/dev/null || { echo "[web] node (20+) is needed to build the sample app's page" >&2; exit 1; }
cd "$HERE"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[web] npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
node build.mjs "$OUT"

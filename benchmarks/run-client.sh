#!/usr/bin/env bash
# The DDP client benchmark (see "Client" in README.md beside this file): the Java client
# (io.ddp.bench.ClientBench, one JVM) and npm simpleddp (client/simpleddp-bench.mjs) against the same
# benchmark server (io.ddp.bench.BenchmarkServer on Tomcat, own JVM, 127.0.0.1 only) in one run.
# Also measured: a bare call loop on the JDK WebSocket without any client library (BareJdkLoop,
# same executor as the client), the ceiling for a client on java.net.http, at 1 x 1 (the server's
# own round trip) and 1 x 100. The Java client and the bare loop run in one JVM, --rounds times,
# alternating which goes first; the report gives the median of each and the median of the
# per-round ratios. About 4 minutes; everything stops by itself.
#
#   benchmarks/run-client.sh [--no-build] [--scenarios 1x1,1x100,8x100] [--rounds 5] [--warmup 2] [--measure 3]
#
# Environment: BENCH_JAVA (java binary), BENCH_SERVER_JVM (server JVM options, default
# -Xms1g -Xmx1g -XX:+UseG1GC), BENCH_CLIENT_PORT (default 18090), MVN_ARGS (e.g. -o).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
JAVA="${BENCH_JAVA:-java}"
PORT="${BENCH_CLIENT_PORT:-18090}"
BUILD=1
SCENARIOS="1x1,1x100,8x100"
ROUNDS=5
WARMUP=2
MEASURE=3
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --measure) MEASURE="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
T="$HERE/target"
if [ "$BUILD" = 1 ]; then
  echo "[client-bench] building (mvn -pl benchmarks -am package -DskipTests)" >&2
  (cd "$ROOT" && mvn -q -B ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests)
fi
[ -f "$T/classpath-tomcat.txt" ] || { echo "[client-bench] $T/classpath-tomcat.txt missing: build first" >&2; exit 1; }
CP="$T/classes:$(cat "$T/classpath-tomcat.txt")"
mkdir -p "$T/bench-logs"
[ -d "$ROOT/interop/node_modules/simpleddp" ] || (cd "$ROOT/interop" && npm ci --no-audit --no-fund --loglevel=error >&2)

"$JAVA" ${BENCH_SERVER_JVM:--Xms1g -Xmx1g -XX:+UseG1GC} -cp "$CP" io.ddp.bench.BenchmarkServer \
  --server.port="$PORT" > "$T/bench-logs/client-bench-server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  if curl -sf "http://127.0.0.1:$PORT/bench/heap" >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "[client-bench] server exited; see $T/bench-logs/client-bench-server.log" >&2; exit 1; }
  sleep 0.3
done
URL="ws://127.0.0.1:$PORT/websocket"
OUT="$T/client-bench-results.md"
RESULTS="$T/bench-logs/client-bench-results.txt"
: > "$RESULTS"
echo "[client-bench] server pid $SERVER_PID on $URL; JIT warm-up of server and client" >&2
"$JAVA" -Xmx1g -cp "$CP" io.ddp.bench.ClientBench --url "$URL" --scenarios 2x100 --warmup 4 --measure 2 >/dev/null
# each scenario 1 x n is also run by the bare JDK loop, paired with the client in every round
JAVA_SCENARIOS=""
for s in ${SCENARIOS//,/ }; do
  case "$s" in
    1x1) JAVA_SCENARIOS="$JAVA_SCENARIOS,jdk:$s,$s" ;;
    1x*) JAVA_SCENARIOS="$JAVA_SCENARIOS,jdk:$s,$s,jdk-pooled:$s" ;;
    *) JAVA_SCENARIOS="$JAVA_SCENARIOS,$s" ;;
  esac
done
JAVA_SCENARIOS="${JAVA_SCENARIOS#,}"
ROUNDS_LOG="$T/bench-logs/client-bench-rounds.txt"
echo "[client-bench] Java client and bare JDK loop, $ROUNDS rounds: $JAVA_SCENARIOS" >&2
"$JAVA" -Xmx1g -cp "$CP" io.ddp.bench.ClientBench --url "$URL" --server-pid "$SERVER_PID" \
  --scenarios "$JAVA_SCENARIOS" --rounds "$ROUNDS" --warmup "$WARMUP" --measure "$MEASURE" | tee "$ROUNDS_LOG"
grep -E '^RESULT ' "$ROUNDS_LOG" | grep -v ' round=' >> "$RESULTS" || true
echo "[client-bench] npm simpleddp: $SCENARIOS" >&2
node "$HERE/client/simpleddp-bench.mjs" --url "$URL" --server-pid "$SERVER_PID" --modules "$ROOT/interop" \
  --scenarios "$SCENARIOS" --warmup "$WARMUP" --measure "$MEASURE" | tee -a "$RESULTS"

{
  echo "# DDP client benchmark"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- server: io.ddp.bench.BenchmarkServer (Tomcat) on 127.0.0.1, echo(42, \"hello\", {a: true}); warm-up ${WARMUP} s, measured ${MEASURE} s per scenario; Java rows: median of ${ROUNDS} rounds"
  echo "- Java: $("$JAVA" -version 2>&1 | head -1); node $(node --version), simpleddp $(node -p "require('$ROOT/interop/node_modules/simpleddp/package.json').version")"
  echo
  echo "| client | connections x in flight | calls/s | p50 µs | p99 µs | client CPU µs/call | server CPU µs/call | errors |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  sed -E 's/^RESULT client=([^ ]+) scenario=([^ ]+) calls=[0-9]+ rate=([^ ]+) p50us=([^ ]+) p99us=([^ ]+) clientCpuUsPerCall=([^ ]+) serverCpuUsPerCall=([^ ]+) errors=([^ ]+)$/| \1 | \2 | \3 | \4 | \5 | \6 | \7 | \8 |/' "$RESULTS"
  echo
  echo "Java client / bare JDK loop, same server, same JVM, per round (the median of the ratios first):"
  echo
  grep -E '^COMPARE ' "$ROUNDS_LOG" | sed -E 's/^COMPARE scenario=([^ ]+) baseline=([^ ]+) rateRatioMedian=([^ ]+) p50RatioMedian=([^ ]+) bareP50usMedian=([^ ]+) rateRatios=([^ ]+) p50Ratios=([^ ]+)$/- \1 against \2: rate ratio \3 (\6); p50 ratio \4 (\7); bare loop p50 \5 µs/' || true
} > "$OUT"
cat "$OUT"

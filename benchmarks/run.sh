#!/usr/bin/env bash
# Runs the ddp-spring-boot benchmarks (see README.md beside this file). Takes about 5 minutes.
#
#   benchmarks/run.sh [--no-build] [--no-meteor] [--quick] [--<runner option> <value> ...]
#
# Builds the benchmarks module if needed (mvn package of it and its reactor dependencies, no tests),
# starts the genuine Meteor 1.9.3 reference server from ../shared/meteor-reference (beside the repo;
# skipped with a message when it is missing), then hands over to io.ddp.bench.Runner, which starts
# the benchmark server (own JVM, on Tomcat and then Jetty), runs every scenario against 127.0.0.1
# only, prints the tables and writes them to benchmarks/target/bench-results.md.
#
# Environment:
#   BENCH_JAVA        java binary for the runner, the server and the load generators (default: java on PATH)
#   BENCH_SERVER_JVM  server JVM options (default: -Xms2g -Xmx2g -XX:+UseG1GC)
#   BENCH_METEOR_PORT port of the Meteor reference server (default 3997)
#   DDP_SHARED        where shared/ is (default: ../shared relative to the repo root)
#   MVN_ARGS          extra Maven arguments for the build, e.g. -o
# Runner options (after the flags above): --containers tomcat,jetty  --sections echo,gencheck,sessions,idle[,fanout][,propagation]
#   (propagation starts its own PostgreSQL and servers; see README "Propagation" for its --prop-* options)
#   --warmup 4 --measure 6 --idle-sessions 10000 --sessions-inflight 500 --gen-threads 1 --port 18080
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
JAVA="${BENCH_JAVA:-java}"
BUILD=1
METEOR=1
RUNNER_ARGS=()
SECTIONS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --no-meteor) METEOR=0; shift ;;
    --quick) RUNNER_ARGS+=(--warmup 2 --measure 3 --idle-sessions 2000 --retries 0 --quiet-wait 5); shift ;;
    --sections) SECTIONS="${2:?missing value for $1}"; RUNNER_ARGS+=("$1" "$2"); shift 2 ;;
    --*) RUNNER_ARGS+=("$1" "${2:?missing value for $1}"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

T="$HERE/target"
if [ "$BUILD" = 1 ]; then
  if [ ! -f "$T/classpath-tomcat.txt" ] || [ ! -f "$T/classpath-jetty.txt" ] \
     || [ -n "$(find "$HERE/src" "$HERE/pom.xml" "$ROOT"/ddp-spring*/src -newer "$T/classpath-tomcat.txt" -type f 2>/dev/null | head -1)" ]; then
    echo "[run] building benchmarks (mvn -pl benchmarks -am package -DskipTests)" >&2
    (cd "$ROOT" && mvn -q -B ${MVN_ARGS:-} -pl benchmarks -am package -DskipTests)
  fi
fi
for f in classpath-tomcat.txt classpath-jetty.txt; do
  [ -f "$T/$f" ] || { echo "[run] $T/$f missing: build first (drop --no-build)" >&2; exit 1; }
done
CLASSES="$T/classes"
GEN_CP="$CLASSES:$(tr ':' '\n' < "$T/classpath-tomcat.txt" | grep -m1 '/HdrHistogram-')"
RUN_CP="$CLASSES:$(cat "$T/classpath-tomcat.txt")"

# 10,000 idle sessions need more than 10,000 descriptors in the server (and the generators).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "[run] open-file limit $(ulimit -n) < 12000: the idle-session scenario will fail (raise ulimit -n)" >&2
fi

METEOR_ARGS=()
SHARED="${DDP_SHARED:-$ROOT/../shared}"
METEOR_PORT="${BENCH_METEOR_PORT:-3997}"
METEOR_PID=""
FANOUT_PORT=$((METEOR_PORT + 1))
FANOUT_PID=""
cleanup() {
  # PostgreSQL of the propagation section, left behind if the runner was killed:
  # postgres.dir holds its directory, its binaries and the user it runs as.
  local pgdir="$T/bench-logs/postgres.dir"
  if [ -f "$pgdir" ]; then
    local dir bin user
    { read -r dir; read -r bin; read -r user; } < "$pgdir"
    if [ -f "$dir/data/postmaster.pid" ]; then
      if [ -n "$user" ]; then
        runuser -u "$user" -- "$bin/pg_ctl" stop -D "$dir/data" -m immediate >/dev/null 2>&1 || true
      else
        "$bin/pg_ctl" stop -D "$dir/data" -m immediate >/dev/null 2>&1 || true
      fi
    fi
    rm -rf "$dir" "$pgdir"
  fi
  if [ -n "$METEOR_PID" ]; then
    "$SHARED/meteor-reference/stop.sh" "$METEOR_PORT" >/dev/null 2>&1 || kill "$METEOR_PID" 2>/dev/null || true
  fi
  if [ -n "$FANOUT_PID" ]; then
    "$SHARED/meteor-reference/stop.sh" "$FANOUT_PORT" >/dev/null 2>&1 || kill "$FANOUT_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
port_busy() { node -e 'const s=require("net").connect(+process.argv[1],"127.0.0.1");s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1))' "$1"; }
if [ "$METEOR" = 1 ]; then
  # start.sh would report the PID of a server that could not bind while an older one answers
  for p in "$METEOR_PORT" "$FANOUT_PORT"; do
    if port_busy "$p"; then
      echo "[run] port $p is already in use (a Meteor server left from another run?): stop it or set BENCH_METEOR_PORT" >&2
      exit 1
    fi
  done
  if [ -x "$SHARED/meteor-reference/start.sh" ] && command -v node >/dev/null && command -v npm >/dev/null; then
    METEOR_PID="$("$SHARED/meteor-reference/start.sh" "$METEOR_PORT")"
    METEOR_ARGS=(--meteor-url "ws://127.0.0.1:$METEOR_PORT/websocket" --meteor-pid "$METEOR_PID")
    # The fan-out section (opt-in: --sections ...,fanout) needs Meteor running benchmarks/meteor/fanout-app.js.
    case ",$SECTIONS," in
      *,fanout,*)
        FANOUT_PID="$("$SHARED/meteor-reference/start.sh" "$FANOUT_PORT" "$HERE/meteor/fanout-app.js")"
        METEOR_ARGS+=(--meteor-fanout-url "ws://127.0.0.1:$FANOUT_PORT/websocket" --meteor-fanout-pid "$FANOUT_PID") ;;
    esac
  else
    echo "[run] Meteor reference server not found at $SHARED/meteor-reference (or node/npm missing): Meteor rows skipped" >&2
  fi
fi

mkdir -p "$T/bench-logs"
: > "$T/bench-logs/loadgen.log"
"$JAVA" -Xmx512m -cp "$RUN_CP" io.ddp.bench.Runner \
  --java "$(command -v "$JAVA")" \
  --gen-cp "$GEN_CP" \
  --server-cp-tomcat "$CLASSES:$(cat "$T/classpath-tomcat.txt")" \
  --server-cp-jetty "$CLASSES:$(cat "$T/classpath-jetty.txt")" \
  --server-jvm-args "${BENCH_SERVER_JVM:--Xms2g -Xmx2g -XX:+UseG1GC}" \
  --log-dir "$T/bench-logs" \
  --out "$T/bench-results.md" \
  ${METEOR_ARGS[@]+"${METEOR_ARGS[@]}"} \
  ${RUNNER_ARGS[@]+"${RUNNER_ARGS[@]}"}

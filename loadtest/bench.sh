#!/usr/bin/env bash
# Reproduces the tables of loadtest/RESULTS.md: each workload at each concurrency, over HTTP and --direct,
# several runs each, medians; then the naive optimistic service on the hot workloads, for comparison.
#
#   loadtest/bench.sh                      # everything (about 30 minutes on 2 cores)
#   BENCH_RUNS=1 BENCH_CONCURRENCIES="16" BENCH_WORKLOADS="hot1" loadtest/bench.sh   # a quick look
#
# Environment (all optional):
#   BENCH_RUNS          runs per cell, medians reported (default 3)
#   BENCH_DURATION      seconds per phase (default 10)
#   BENCH_WARMUP        seconds of warm-up excluded from the numbers (default 2)
#   BENCH_CONCURRENCIES closed-loop concurrencies (default "1 16 64 256")
#   BENCH_WORKLOADS     any of "uniform hot10 hot1" (default all three)
#   BENCH_MODES         "combined naive" (default): the service as shipped, then with --naive-optimistic on the
#                       hot workloads (concurrency above 1, one run each), for comparison
#   BENCH_PORT          the benchmarked service's port (default 8091)
#
# Uses the private MariaDB of scripts/mariadb (started if needed). Each workload of each mode gets a fresh database
# (wallet_bench_<mode>_<workload>, dropped afterwards) and a freshly started service, so runs do not slow each other
# down as the ledger grows. Release builds. Every run's JSON report and the service's log land in
# loadtest/results/<time>/ (git-ignored); the tables go to loadtest/results/<time>/tables.md and stdout.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly RUNS="${BENCH_RUNS:-3}"
readonly DURATION="${BENCH_DURATION:-10}"
readonly WARMUP="${BENCH_WARMUP:-2}"
readonly CONCURRENCIES="${BENCH_CONCURRENCIES:-1 16 64 256}"
readonly WORKLOADS="${BENCH_WORKLOADS:-uniform hot10 hot1}"
readonly MODES="${BENCH_MODES:-combined naive}"
readonly PORT="${BENCH_PORT:-8091}"
readonly READY_TIMEOUT_S=30         # the service must answer /readyz 200 within this
readonly RSS_SAMPLE_INTERVAL_S=0.5  # how often the service's resident size is sampled during a run

OUT="loadtest/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

step() { echo "==> $*" >&2; }

# shellcheck source=loadtest/workloads.sh
source loadtest/workloads.sh

step "private MariaDB"
scripts/mariadb start >/dev/null
SERVER_URL="$(scripts/mariadb url)"          # mariadb://wallet:wallet@127.0.0.1:PORT/wallet
SERVER_ROOT="${SERVER_URL%/*}"
readonly AUDIT_READ_TIMEOUT_S=600           # the direct phase's whole-database audit may read for a while

step "release build"
swift build -c release --product wallet >&2
swift build -c release --product wallet-loadtest >&2
WALLET=.build/release/wallet
LOADTEST=.build/release/wallet-loadtest

SERVICE_PID=""
stop_service() {
  if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID"
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}
trap 'stop_service; drop_database' EXIT

# Points DATABASE_URL at a new, migrated database named wallet_bench_<label> (the wallet user may create wallet*).
fresh_database() {
  local name="wallet_bench_$1"
  drop_database
  mariadb --protocol=tcp -h 127.0.0.1 -P "${SERVER_ROOT##*:}" -u wallet -pwallet -e "CREATE DATABASE $name"
  DATABASE_NAME="$name"
  SERVICE_DATABASE_URL="$SERVER_ROOT/$name"
  DATABASE_URL="$SERVICE_DATABASE_URL?read_timeout=$AUDIT_READ_TIMEOUT_S"
  WALLET_DATABASE_URL="$SERVICE_DATABASE_URL" "$WALLET" migrate up >/dev/null
}

DATABASE_NAME=""
drop_database() {
  [[ -n "$DATABASE_NAME" ]] || return 0
  mariadb --protocol=tcp -h 127.0.0.1 -P "${SERVER_ROOT##*:}" -u wallet -pwallet -e "DROP DATABASE IF EXISTS $DATABASE_NAME"
  DATABASE_NAME=""
}

# Starts the service with extra flags; records the milliseconds from exec to /readyz 200.
start_service() {
  local label="$1"
  shift
  local started now
  started=$(date +%s%N)
  WALLET_DATABASE_URL="$SERVICE_DATABASE_URL" "$WALLET" serve --port "$PORT" --log-level warning --movement-rate-limit 0 --registration-rate-limit 0 --sign-in-rate-limit 0 "$@" >>"$OUT/service-$label.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 $((READY_TIMEOUT_S * 100))); do
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" == 200 ]]; then
      now=$(date +%s%N)
      echo "$(((now - started) / 1000000))" >>"$OUT/startup-ms-$label.txt"
      step "service ($label) ready in $(((now - started) / 1000000)) ms"
      return 0
    fi
    sleep 0.01
  done
  echo "the service ($label) did not become ready in ${READY_TIMEOUT_S}s; see $OUT/service-$label.log" >&2
  exit 1
}

# Samples the service's resident size (KiB) until told to stop; writes the largest.
sample_rss() {
  local file="$1" largest=0 rss
  while [[ -e "$file.sampling" ]]; do
    rss=$(ps -o rss= -p "$SERVICE_PID" 2>/dev/null | tr -d ' ' || echo 0)
    ((rss > largest)) && largest=$rss
    sleep "$RSS_SAMPLE_INTERVAL_S"
  done
  echo "$largest" >"$file"
}

# One harness run; its report lands in $OUT/<name>.json.
run_harness() {
  local name="$1" concurrency="$2"
  shift 2
  touch "$OUT/$name.rss.sampling"
  sample_rss "$OUT/$name.rss" &
  local sampler=$!
  local status=0
  # shellcheck disable=SC2046
  "$LOADTEST" --url "http://127.0.0.1:$PORT" --database-url "$DATABASE_URL" --concurrency "$concurrency" \
    --duration "$DURATION" --warmup "$WARMUP" --json "$OUT/$name.json" "$@" >"$OUT/$name.txt" 2>"$OUT/$name.progress" || status=$?
  rm -f "$OUT/$name.rss.sampling"
  wait "$sampler"
  if ((status != 0)); then
    echo "run $name failed (exit $status); see $OUT/$name.txt" >&2
    exit 1
  fi
}

for mode in $MODES; do
  for workload in $WORKLOADS; do
    [[ "$mode" == naive && "$workload" == uniform ]] && continue
    fresh_database "${mode}_$workload"
    if [[ "$mode" == naive ]]; then start_service naive --naive-optimistic; else start_service combined; fi
    for concurrency in $CONCURRENCIES; do
      if [[ "$mode" == naive ]]; then
        [[ "$concurrency" == 1 ]] && continue
        step "naive $workload, concurrency $concurrency"
        # shellcheck disable=SC2046
        run_harness "naive-$workload-c$concurrency-r1" "$concurrency" $(workload_flags "$workload")
        continue
      fi
      for run in $(seq 1 "$RUNS"); do
        step "combined $workload, concurrency $concurrency, run $run/$RUNS"
        # shellcheck disable=SC2046
        run_harness "combined-$workload-c$concurrency-r$run" "$concurrency" $(workload_flags "$workload") --direct
      done
    done
    stop_service
    drop_database
  done
done

python3 loadtest/summarize.py "$OUT" | tee "$OUT/tables.md"

#!/usr/bin/env bash
# The cluster table of loadtest/RESULTS.md, in one run: uniform transfers and transfers among 10 hot wallets, on one
# MariaDB server (scripts/mariadb) with one service instance, and on scripts/galera's 3-node cluster with 1 instance,
# with 3 instances each writing through its own node ("spread": instance N's host list starts at node N), and with 3
# instances all writing through node 1 ("one writer": every host list starts at node 1, the others are its
# failover). The harness sends to the instances in turn.
#
#   loadtest/cluster-bench.sh                                     # about 10 minutes on 2 cores
#   CLUSTER_BENCH_WORKLOADS=hot10 CLUSTER_BENCH_DURATION=10 loadtest/cluster-bench.sh
#
# Environment (all optional):
#   CLUSTER_BENCH_DURATION     measured seconds per run (default 20)
#   CLUSTER_BENCH_WARMUP       seconds of warm-up before them (default 3)
#   CLUSTER_BENCH_CONCURRENCY  closed-loop clients, spread over the instances (default 64)
#   CLUSTER_BENCH_WORKLOADS    any of "uniform hot10" (default both)
#   CLUSTER_BENCH_PORT         instance N listens on PORT+N-1 (default 8191)
#
# Starts the private MariaDB and the cluster when they are not running (and leaves them running). Each run gets a
# fresh database (wallet_cbench, dropped afterwards) and freshly started instances. Release builds. Every run's JSON
# report, output and the instances' logs land in loadtest/results/cluster-<time>/ (git-ignored); the table goes to
# its table.md and stdout. Every run verifies its ledger (the harness's own checks) or the script stops.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly DURATION="${CLUSTER_BENCH_DURATION:-20}"
readonly WARMUP="${CLUSTER_BENCH_WARMUP:-3}"
readonly CONCURRENCY="${CLUSTER_BENCH_CONCURRENCY:-64}"
readonly WORKLOADS="${CLUSTER_BENCH_WORKLOADS:-uniform hot10}"
readonly PORT="${CLUSTER_BENCH_PORT:-8191}"
readonly READY_TIMEOUT_S=30   # every instance must answer /readyz 200 within this
readonly DATABASE=wallet_cbench

OUT="loadtest/results/cluster-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
step() { echo "==> $*" >&2; }

# shellcheck source=loadtest/workloads.sh
source loadtest/workloads.sh

step "private MariaDB and the 3-node cluster"
scripts/mariadb start >/dev/null
SINGLE_ROOT="$(scripts/mariadb url)"; SINGLE_ROOT="${SINGLE_ROOT%/*}"   # mariadb://wallet:wallet@127.0.0.1:PORT
scripts/galera start >/dev/null
CLUSTER_HOSTS="$(scripts/galera url)"; CLUSTER_HOSTS="${CLUSTER_HOSTS#mariadb://wallet:wallet@}"; CLUSTER_HOSTS="${CLUSTER_HOSTS%/*}"
IFS=, read -r -a NODES <<<"$CLUSTER_HOSTS"

step "release build"
swift build -c release --product wallet >&2
swift build -c release --product wallet-loadtest >&2
readonly WALLET=.build/release/wallet LOADTEST=.build/release/wallet-loadtest

PIDS=()
stop_instances() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap stop_instances EXIT

# The SQL client on the layout's first server.
sql() {
  local layout="$1" statement="$2"
  if [[ "$layout" == single ]]; then
    mariadb --protocol=tcp -h 127.0.0.1 -P "${SINGLE_ROOT##*:}" -u wallet -pwallet -e "$statement"
  else
    scripts/galera sql 1 "$statement"
  fi
}

# The URL of instance N (1-based) of a layout: spread, node N first; writer, node 1 first; then the other nodes.
service_database_url() {
  local layout="$1" n="$2" hosts i first
  if [[ "$layout" == single ]]; then echo "$SINGLE_ROOT/$DATABASE"; return; fi
  first=0
  [[ "$layout" == spread ]] && first=$(((n - 1) % ${#NODES[@]}))
  hosts="${NODES[first]}"
  for ((i = 0; i < ${#NODES[@]}; i++)); do
    ((i == first)) || hosts+=",${NODES[i]}"
  done
  echo "mariadb://wallet:wallet@$hosts/$DATABASE"
}

# One run: a fresh database, $3 instances, the harness over all of them; its report lands in $OUT/<name>.json.
run() {
  local layout="$1" workload="$2" instances="$3" name="$1-$2-i$3" urls="" n pid
  step "$name: $instances instance(s) on $layout, $workload, $CONCURRENCY clients"
  sql "$layout" "DROP DATABASE IF EXISTS $DATABASE; CREATE DATABASE $DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" >/dev/null
  "$WALLET" migrate up --database-url "$(service_database_url "$layout" 1)" >/dev/null
  for ((n = 1; n <= instances; n++)); do
    "$WALLET" serve --port $((PORT + n - 1)) --database-url "$(service_database_url "$layout" "$n")" --log-level warning \
      --movement-rate-limit 0 --registration-rate-limit 0 --sign-in-rate-limit 0 >>"$OUT/service-$name-$n.log" 2>&1 &
    PIDS+=($!)
    urls+="${urls:+,}http://127.0.0.1:$((PORT + n - 1))"
  done
  for ((n = 1; n <= instances; n++)); do
    for ((i = 0; i < READY_TIMEOUT_S * 10; i++)); do
      [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((PORT + n - 1))/readyz")" == 200 ]] && break
      sleep 0.1
    done
    ((i < READY_TIMEOUT_S * 10)) || { echo "instance $n of $name not ready; see $OUT/service-$name-$n.log" >&2; exit 1; }
  done
  # shellcheck disable=SC2046
  if ! "$LOADTEST" --url "$urls" --database-url "$(service_database_url "$layout" 1)" --concurrency "$CONCURRENCY" \
      --duration "$DURATION" --warmup "$WARMUP" --json "$OUT/$name.json" $(workload_flags "$workload") \
      >"$OUT/$name.txt" 2>"$OUT/$name.progress"; then
    echo "run $name failed; see $OUT/$name.txt" >&2
    exit 1
  fi
  stop_instances
  sql "$layout" "DROP DATABASE IF EXISTS $DATABASE" >/dev/null
}

for workload in $WORKLOADS; do
  run single "$workload" 1
  run writer "$workload" 1
  run spread "$workload" 3
  run writer "$workload" 3
done

python3 - "$OUT" "$CONCURRENCY" <<'EOF' | tee "$OUT/table.md"
import json, pathlib, sys
out, concurrency = pathlib.Path(sys.argv[1]), sys.argv[2]
print(f"| workload | layout | instances | transfers/s | vs one server | p99 ms | 1213 per commit | version conflicts per commit | 503s |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
single = {}
order = {"single": 0, "writer": 1, "spread": 2}
names = {"single": "one server", "writer": "3-node Galera, all through node 1", "spread": "3-node Galera, each through its own node"}
for path in sorted(out.glob("*.json"), key=lambda p: (p.stem.split("-")[1], order[p.stem.split("-")[0]], p.stem)):
    layout, workload, instances = path.stem.split("-")
    http = json.loads(path.read_text())["http"]
    rate = http["acknowledged_per_second"].get("total", 0)
    assert not http["verification"]["failures"], f"{path.stem} did not verify"
    attempts = (http.get("server_counters") or {}).get("attempts", {})
    commits = max(attempts.get("committed", 0), 1)
    refused = sum(v for k, v in http.get("status_counts", {}).items() if k.startswith("503"))
    if layout == "single": single[workload] = rate
    ratio = rate / single[workload] if single.get(workload) else float("nan")
    print(f"| {workload} | {names[layout]} | {instances[1:]} | {rate:,.0f} | {ratio:.2f} | "
          f"{http['latency_milliseconds']['p99']:.1f} | {attempts.get('deadlock', 0) / commits:.3f} | {attempts.get('conflict', 0) / commits:.3f} | {refused} |")
print(f"\n{concurrency} closed-loop clients spread over the instances; every run verified.")
EOF

#!/usr/bin/env bash
# Compares two revisions of the service on the same workloads in one run, side by side: the ratio new/old is what
# counts, because the machine is shared and absolute figures drift from one hour to the next.
#
#   loadtest/compare.sh                          # 9bbf0c4 (before issue 11) against HEAD (about 20 minutes + builds)
#   loadtest/compare.sh OLD_REV NEW_REV          # any two revisions
#   BENCH_RUNS=1 COMPARE_WORKLOADS=hot1 BENCH_CONCURRENCIES=16 loadtest/compare.sh   # a quick look
#
# Each revision is checked out in a git worktree of its own, .build/compare/<short hash> (created if missing, reused
# otherwise), with the Package.resolved of this checkout copied in when it has none (both sides on the same
# dependency versions), and its `wallet` and `wallet-loadtest` are built there in release mode. Each revision runs
# with its own harness (the harness verifies the ledger shapes of its own revision) and from its own worktree (its
# own migrations and openapi.yaml). The first build of a worktree takes long (about 50 minutes on the shared
# 2 cores); later runs reuse it.
#
# Then, for each workload and each concurrency, the two revisions run alternately, old, new, old, new, …
# (BENCH_RUNS pairs); both runs of a pair get the same --seed. Every run gets a fresh database
# (wallet_cmp_<rev>_<n>, migrated by that revision, dropped afterwards) and a freshly started service. HTTP only
# (no --direct); the service's movement, registration and sign-in limits are off (100 users register at once).
# Every run's JSON report, output and service log, the machine's state (uptime and the busiest
# processes) before every run, and the tables land in loadtest/results/<time>-compare/ (git-ignored); the tables
# also go to stdout.
#
# Environment (all optional):
#   BENCH_RUNS           pairs (old, new) per workload and concurrency; medians reported (default 3)
#   BENCH_DURATION       seconds measured per run (default 10)
#   BENCH_WARMUP         seconds of warm-up before that, excluded from the numbers (default 2)
#   BENCH_CONCURRENCIES  closed-loop concurrencies (default "16 64")
#   BENCH_PORT           the benchmarked service's port (default 8092; bench.sh uses 8091)
#   COMPARE_WORKLOADS    any of "uniform-deposits hot1 uniform" (default "uniform-deposits hot1")
#   COMPARE_MAX_LOAD     when set (e.g. 2.5), wait before the first run until the 1-minute load average is below
#                        it, checking every 15 s, at most COMPARE_MAX_WAIT_S; then run anyway (default: no wait)
#   COMPARE_MAX_WAIT_S   the longest wait for COMPARE_MAX_LOAD (default 1200)
#   COMPARE_SKIP_BUILD   1: use the binaries already in the worktrees (default 0: swift build, a no-op when current)
#
# Uses the private MariaDB of scripts/mariadb (started if it is not running; never stopped: others use it).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/opt/swift/usr/bin:$PATH:/usr/sbin"

readonly OLD_REV="${1:-9bbf0c4}"
readonly NEW_REV="${2:-HEAD}"
readonly RUNS="${BENCH_RUNS:-3}"
readonly DURATION="${BENCH_DURATION:-10}"
readonly WARMUP="${BENCH_WARMUP:-2}"
readonly CONCURRENCIES="${BENCH_CONCURRENCIES:-16 64}"
readonly PORT="${BENCH_PORT:-8092}"
readonly WORKLOADS="${COMPARE_WORKLOADS:-uniform-deposits hot1}"
readonly MAX_LOAD="${COMPARE_MAX_LOAD:-}"
readonly MAX_WAIT_S="${COMPARE_MAX_WAIT_S:-1200}"
readonly SKIP_BUILD="${COMPARE_SKIP_BUILD:-0}"
readonly LOAD_CHECK_INTERVAL_S=15   # how often the load average is read while waiting for COMPARE_MAX_LOAD
readonly READY_TIMEOUT_S=30         # the service must answer /readyz 200 within this
readonly STOP_TIMEOUT_S=30          # the service must exit within this after TERM (then KILL)
readonly SEED_BASE=1100             # pair r runs with --seed SEED_BASE + r on both sides
readonly WORKTREES=.build/compare

OUT="loadtest/results/$(date -u +%Y%m%dT%H%M%SZ)-compare"
mkdir -p "$OUT"
OUT="$(realpath "$OUT")"

step() { echo "==> $*" >&2; }

# shellcheck source=loadtest/workloads.sh
source loadtest/workloads.sh
for workload in $WORKLOADS; do workload_flags "$workload" >/dev/null; done

step "private MariaDB"
if ! scripts/mariadb status >/dev/null 2>&1; then scripts/mariadb start >/dev/null; fi
SERVER_URL="$(scripts/mariadb url)"          # mariadb://wallet:wallet@127.0.0.1:PORT/wallet
SERVER_ROOT="${SERVER_URL%/*}"
DB_PORT="${SERVER_ROOT##*:}"

# Worktree and release build of one revision; prints the worktree's absolute path.
prepare() {
  local sha tree
  sha="$(git rev-parse --short=7 "$1^{commit}")"
  tree="$WORKTREES/$sha"
  if [[ ! -e "$tree/.git" ]]; then
    mkdir -p "$WORKTREES"
    git worktree add --detach "$tree" "$sha" >&2
  fi
  [[ -e "$tree/Package.resolved" || ! -e Package.resolved ]] || cp Package.resolved "$tree/"
  if [[ "$SKIP_BUILD" != 1 ]]; then
    step "release build of $1 ($sha) in $tree"
    # Every product of the package: wallet and wallet-loadtest.
    (cd "$tree" && swift build -c release >&2)
  fi
  realpath "$tree"
}
OLD_TREE="$(prepare "$OLD_REV")"
NEW_TREE="$(prepare "$NEW_REV")"
OLD_SHA="$(basename "$OLD_TREE")"
NEW_SHA="$(basename "$NEW_TREE")"
tree_of() { if [[ "$1" == old ]]; then echo "$OLD_TREE"; else echo "$NEW_TREE"; fi; }
sha_of() { if [[ "$1" == old ]]; then echo "$OLD_SHA"; else echo "$NEW_SHA"; fi; }

SERVICE_PID=""
stop_service() {
  [[ -n "$SERVICE_PID" ]] || return 0
  if kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID"
    for _ in $(seq 1 $((STOP_TIMEOUT_S * 10))); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}

DATABASE_NAME=""
drop_database() {
  [[ -n "$DATABASE_NAME" ]] || return 0
  mariadb --protocol=tcp -h 127.0.0.1 -P "$DB_PORT" -u wallet -pwallet -e "DROP DATABASE IF EXISTS $DATABASE_NAME"
  DATABASE_NAME=""
}
trap 'stop_service; drop_database' EXIT
trap 'exit 130' INT TERM

# A new database wallet_cmp_<label>, migrated by the revision of tree $1 (its own migrations folder).
fresh_database() {
  local tree="$1" name="wallet_cmp_$2"
  drop_database
  mariadb --protocol=tcp -h 127.0.0.1 -P "$DB_PORT" -u wallet -pwallet -e "CREATE DATABASE $name"
  DATABASE_NAME="$name"
  SERVICE_DATABASE_URL="$SERVER_ROOT/$name"
  (cd "$tree" && WALLET_DATABASE_URL="$SERVICE_DATABASE_URL" .build/release/wallet migrate up >/dev/null)
}

# Starts the service of tree $1 from that tree, logging to $OUT/<label>.service.log.
start_service() {
  local tree="$1" label="$2"
  (cd "$tree" && exec env WALLET_DATABASE_URL="$SERVICE_DATABASE_URL" .build/release/wallet serve --port "$PORT" \
    --log-level warning --movement-rate-limit 0 --registration-rate-limit 0 --sign-in-rate-limit 0) >>"$OUT/$label.service.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 $((READY_TIMEOUT_S * 100))); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/readyz")" == 200 ]] && return 0
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    sleep 0.01
  done
  echo "the service ($label) did not become ready in ${READY_TIMEOUT_S}s; see $OUT/$label.service.log" >&2
  exit 1
}

# One run of one side: fresh database, fresh service, that revision's harness; report in $OUT/<label>.json.
# A failed run (verification or otherwise) is recorded (<label>.exit) and the comparison goes on.
run_side() {
  local side="$1" workload="$2" concurrency="$3" run="$4"
  local tree label status=0
  tree="$(tree_of "$side")"
  label="$side-$workload-c$concurrency-r$run"
  { date -u +%FT%TZ; uptime; ps -eo pcpu,args --sort=-pcpu | head -n 8 | cut -c1-200 || true; } >"$OUT/$label.machine"
  fresh_database "$tree" "$(sha_of "$side")_$$"
  start_service "$tree" "$label"
  # shellcheck disable=SC2046
  "$tree/.build/release/wallet-loadtest" --url "http://127.0.0.1:$PORT" --database-url "$SERVICE_DATABASE_URL" \
    --concurrency "$concurrency" --duration "$DURATION" --warmup "$WARMUP" --seed $((SEED_BASE + run)) \
    --json "$OUT/$label.json" $(workload_flags "$workload") >"$OUT/$label.txt" 2>"$OUT/$label.progress" || status=$?
  echo "$status" >"$OUT/$label.exit"
  stop_service
  drop_database
  local ops
  ops="$(grep -m1 -E '^  total' "$OUT/$label.txt" | awk '{sub("/s", "", $2); print $2}' || true)"
  step "$label ($(sha_of "$side")): exit $status, ${ops:-?} ops/s, load $(cut -d' ' -f1 /proc/loadavg)"
}

if [[ -n "$MAX_LOAD" ]]; then
  for _ in $(seq 1 $((MAX_WAIT_S / LOAD_CHECK_INTERVAL_S))); do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }' && break
    step "load average $load ≥ $MAX_LOAD; waiting (at most ${MAX_WAIT_S}s in all)"
    sleep "$LOAD_CHECK_INTERVAL_S"
  done
fi

{
  echo "old $OLD_REV = $OLD_SHA, new $NEW_REV = $NEW_SHA"
  echo "runs $RUNS pairs, duration $DURATION s, warmup $WARMUP s, concurrencies $CONCURRENCIES, workloads $WORKLOADS"
  date -u +%FT%TZ; uptime; nproc
} >"$OUT/settings.txt"

for workload in $WORKLOADS; do
  for concurrency in $CONCURRENCIES; do
    for run in $(seq 1 "$RUNS"); do
      run_side old "$workload" "$concurrency" "$run"
      run_side new "$workload" "$concurrency" "$run"
    done
  done
done

# The tables: per workload and concurrency, medians over the runs of each side, the ratio of the medians, the
# ratio of each pair, p99s, and the verification of every run.
python3 - "$OUT" "$OLD_SHA" "$NEW_SHA" "$WORKLOADS" <<'PYTHON' | tee "$OUT/tables.md"
import json, pathlib, re, statistics, sys

folder, old_sha, new_sha, workloads = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4].split()
name = re.compile(r"^(old|new)-([\w-]+)-c(\d+)-r(\d+)\.exit$")
runs = {}
for path in sorted(folder.glob("*.exit")):
    m = name.match(path.name)
    if not m:
        continue
    side, workload, concurrency, run = m[1], m[2], int(m[3]), int(m[4])
    report_path = path.with_suffix(".json")
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    http = report.get("http") or {}
    exit_status = int(path.read_text().strip() or 1)
    verified = exit_status == 0 and bool(http) and not http.get("verification", {}).get("failures", [1])
    runs.setdefault((workload, concurrency), {}).setdefault(side, {})[run] = {
        "ops": (http.get("acknowledged_per_second") or {}).get("total"),
        "p99": (http.get("latency_milliseconds") or {}).get("p99"),
        "errors": http.get("errors"),
        "verified": verified,
    }

def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def fmt(value, digits=0):
    return "—" if value is None else f"{value:,.{digits}f}"

print(f"old = {old_sha}, new = {new_sha}; HTTP, closed loop; medians of the runs; ratio = new/old\n")
for workload in workloads:
    keys = sorted(k for k in runs if k[0] == workload)
    if not keys:
        continue
    print(f"### {workload}\n")
    print("| concurrency | pairs | old ops/s | new ops/s | new/old | pair ratios | old p99 ms | new p99 ms | new/old p99 "
          "| errors old/new | verified old | verified new |")
    print("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---|")
    for key in keys:
        old, new = runs[key].get("old", {}), runs[key].get("new", {})
        o_ops, n_ops = med(r["ops"] for r in old.values()), med(r["ops"] for r in new.values())
        o_p99, n_p99 = med(r["p99"] for r in old.values()), med(r["p99"] for r in new.values())
        pairs = [new[r]["ops"] / old[r]["ops"] for r in sorted(old) if r in new and old[r]["ops"] and new[r]["ops"]]
        ratio = n_ops / o_ops if o_ops and n_ops else None
        p99_ratio = n_p99 / o_p99 if o_p99 and n_p99 else None
        errors = f"{sum(r['errors'] or 0 for r in old.values())}/{sum(r['errors'] or 0 for r in new.values())}"
        yes = lambda side: " ".join("yes" if side[r]["verified"] else "**NO**" for r in sorted(side))
        print(f"| {key[1]} | {min(len(old), len(new))} | {fmt(o_ops)} | {fmt(n_ops)} | {fmt(ratio, 3)} "
              f"| {', '.join(f'{p:.3f}' for p in pairs)} | {fmt(o_p99, 2)} | {fmt(n_p99, 2)} | {fmt(p99_ratio, 2)} "
              f"| {errors} | {yes(old)} | {yes(new)} |")
    print()
PYTHON

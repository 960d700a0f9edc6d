#!/usr/bin/env python3
"""Turns the JSON reports of a loadtest/bench.sh run into the Markdown tables of RESULTS.md.

    python3 loadtest/summarize.py loadtest/results/<time>

Reports are named <mode>-<workload>-c<concurrency>-r<run>.json (mode: combined or naive); the largest resident
size sampled during a run is in <name>.rss (KiB) and the service's start-up time in startup-ms-<mode>.txt.
Every cell is the median over the runs. The goals of issue 4 are checked at the end.
"""

import json
import pathlib
import re
import statistics
import sys

NAME = re.compile(r"^(?P<mode>combined|naive)-(?P<workload>\w+)-c(?P<concurrency>\d+)-r(?P<run>\d+)\.json$")
WORKLOADS = {
    "uniform": "Uniform transfers, 10,000 wallets",
    "hot10": "10 hot wallets, transfers among them",
    "hot1": "1 hot wallet, deposits",
}


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def load(folder):
    cells = {}
    for path in sorted(folder.glob("*.json")):
        match = NAME.match(path.name)
        if not match:
            continue
        report = json.loads(path.read_text())
        rss_path = path.with_suffix(".rss")
        rss_kib = int(rss_path.read_text().strip() or 0) if rss_path.exists() else None
        key = (match["mode"], match["workload"], int(match["concurrency"]))
        cells.setdefault(key, []).append((report, rss_kib))
    return cells


def startup_times(folder, mode):
    path = folder / f"startup-ms-{mode}.txt"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def phase_numbers(runs, phase):
    reports = [r[phase] for r, _ in runs if r.get(phase)]
    if not reports:
        return None
    return {
        "ops": median([p["acknowledged_per_second"].get("total", 0) for p in reports]),
        "p50": median([p["latency_milliseconds"]["p50"] for p in reports]),
        "p99": median([p["latency_milliseconds"]["p99"] for p in reports]),
        "retries": median([p.get("database_retries_per_committed_operation") for p in reports]),
        "errors": sum(p["errors"] for p in reports),
        "verified": all(not p["verification"]["failures"] for p in reports),
    }


def main():
    folder = pathlib.Path(sys.argv[1])
    cells = load(folder)
    database = next((runs[0][0]["database"] for runs in cells.values()), {})
    print(f"MariaDB settings read by the harness: `{json.dumps(database, sort_keys=True)}`\n")
    for mode in ("combined", "naive"):
        times = startup_times(folder, mode)
        if times:
            print(f"Start-up to `/readyz` 200 ({mode} service, {len(times)} starts): median {median(times):.0f} ms, "
                  f"slowest {max(times)} ms  ")
    print()

    best = {}
    for workload, title in WORKLOADS.items():
        rows = sorted(k for k in cells if k[0] == "combined" and k[1] == workload)
        if not rows:
            continue
        print(f"### {title}\n")
        print("| concurrency | runs | HTTP ops/s | HTTP p50 ms | HTTP p99 ms | direct ops/s | direct p99 ms | HTTP/direct "
              "| DB retries per op | service RSS MiB | errors | verified |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
        for key in rows:
            runs = cells[key]
            http = phase_numbers(runs, "http")
            direct = phase_numbers(runs, "direct")
            rss = max((kib for _, kib in runs if kib), default=None)
            ratio = http["ops"] / direct["ops"] if http and direct and direct["ops"] else None
            verified = (http or {}).get("verified", True) and (direct or {}).get("verified", True)
            errors = (http or {}).get("errors", 0) + (direct or {}).get("errors", 0)
            print(f"| {key[2]} | {len(runs)} | {fmt(http and http['ops'])} | {fmt(http and http['p50'], 2)} "
                  f"| {fmt(http and http['p99'], 2)} | {fmt(direct and direct['ops'])} | {fmt(direct and direct['p99'], 2)} "
                  f"| {fmt(ratio, 2)} | {fmt(http and http['retries'], 3)} | {fmt(rss and rss / 1024, 0)} | {errors} "
                  f"| {'yes' if verified else '**NO**'} |")
            best[key] = (http, direct, ratio, rss)
        print()

    naive = sorted(k for k in cells if k[0] == "naive")
    if naive:
        print("### Naive optimistic concurrency (`wallet serve --naive-optimistic`), HTTP, one run each\n")
        print("| workload | concurrency | naive ops/s | naive p99 ms | naive DB retries per op | combined ops/s | combined p99 ms |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for key in naive:
            http = phase_numbers(cells[key], "http")
            combined = best.get(("combined", key[1], key[2]))
            combined_http = combined[0] if combined else None
            print(f"| {key[1]} | {key[2]} | {fmt(http['ops'])} | {fmt(http['p99'], 1)} | {fmt(http['retries'], 2)} "
                  f"| {fmt(combined_http and combined_http['ops'])} | {fmt(combined_http and combined_http['p99'], 1)} |")
        print()

    print("### Goals\n")
    def goal(text, ok):
        print(f"- {'met' if ok else '**missed**'}: {text}")

    for concurrency in (16, 64):
        cell = best.get(("combined", "uniform", concurrency))
        if cell and cell[2] is not None:
            goal(f"uniform, concurrency {concurrency}: HTTP/direct {cell[2]:.2f} ≥ 0.6", cell[2] >= 0.6)
    cell = best.get(("combined", "uniform", 16))
    if cell and cell[0]:
        goal(f"uniform, concurrency 16: HTTP p99 {cell[0]['p99']:.2f} ms < 25 ms", cell[0]["p99"] < 25)
    for workload in ("hot10", "hot1"):
        keys = [k for k in best if k[0] == "combined" and k[1] == workload and best[k][0]]
        if not keys:
            continue
        top = max(best[k][0]["ops"] for k in keys)
        for concurrency in (64, 256):
            cell = best.get(("combined", workload, concurrency))
            if not cell or not cell[0]:
                continue
            http = cell[0]
            goal(f"{workload}, concurrency {concurrency}: {http['ops']:,.0f} ops/s = {http['ops'] / top:.2f} of the best "
                 f"{top:,.0f} (≥ 0.8)", http["ops"] >= 0.8 * top)
            goal(f"{workload}, concurrency {concurrency}: p99 {http['p99']:.1f} ms < 100 ms", http["p99"] < 100)
            if http["retries"] is not None:
                goal(f"{workload}, concurrency {concurrency}: {http['retries']:.3f} DB retries per committed op < 1",
                     http["retries"] < 1)
    cell = best.get(("combined", "uniform", 1))
    if cell and cell[0]:
        goal(f"uniform transfers, concurrency 1: HTTP p50 {cell[0]['p50']:.2f} ms < 2 ms", cell[0]["p50"] < 2)
    rss = [best[k][3] for k in best if k[2] == 256 and best[k][3]]
    if rss:
        goal(f"service resident size at concurrency 256: at most {max(rss) / 1024:.0f} MiB < 200 MiB", max(rss) < 200 * 1024)
    times = startup_times(folder, "combined")
    if times:
        goal(f"start-up to /readyz 200: slowest of {len(times)} starts {max(times)} ms < 2000 ms", max(times) < 2000)
    goal("every run verified money and exactly-once", all(best[k][0] is None or best[k][0]["verified"] for k in best)
         and all(best[k][1] is None or best[k][1]["verified"] for k in best))


if __name__ == "__main__":
    main()

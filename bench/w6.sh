#!/usr/bin/env bash
# W6, point in time, side by side with DuckDB (see bench/Bench/Offline/W6Benchmark.cs and docs/offline.md).
#
#   bench/w6.sh [--events N] [--shoppers U] [--spine S] [--runs R]
#
# Generates the data once per size under bench/out/, ingests the amounts into the offline store (not timed), then runs the
# engine's offline query and DuckDB's ASOF JOIN + 30-day range join (1 thread, then all), each in its own process so the peak
# working sets are the engines' own. Exit code 1 when the checksums disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
events=10000000 shoppers=500000 spine=1000000 runs=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) events="$2"; shift 2 ;;
    --shoppers) shoppers="$2"; shift 2 ;;
    --spine) spine="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: bench/w6.sh [--events N] [--shoppers U] [--spine S] [--runs R]" >&2; exit 2 ;;
  esac
done
data="bench/out/w6-${events}-${shoppers}-${spine}"
dotnet build bench/Bench -c Release -v quiet -nologo >&2
bench=(dotnet run -c Release --no-build --project bench/Bench -- w6)
[[ -f "$data/spine.parquet" ]] || "${bench[@]}" generate --out "$data" --events "$events" --shoppers "$shoppers" --spine "$spine"
lines=$("${bench[@]}" dsl --data "$data" --runs "$runs"; "${bench[@]}" duckdb --data "$data" --threads 1 --runs "$runs"; "${bench[@]}" duckdb --data "$data" --threads "$(nproc)" --runs "$runs")
echo "$lines"
# The checksums (everything between "rows=" and ", peak") must be one and the same on every line.
[[ $(grep -o 'rows=.*, peak' <<< "$lines" | sort -u | wc -l) -eq 1 ]] || { echo "w6: checksums disagree" >&2; exit 1; }

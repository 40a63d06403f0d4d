#!/usr/bin/env bash
# Side-by-side benchmark: the same data, the same results, one run.
#
#   bench/run.sh [--rows N] [--seed S] [--runs R] [--slice M] [--workloads W5,W5-3w]
#
# Installs what it needs (npm ci in bench/peers; Debian's python3-numpy when /usr/bin/python3 lacks numpy),
# generates the data once per (N, seed) under bench/out/, runs every engine over it, and prints one table:
# workload × engine → median ms, rows/s, time relative to this project's compiled path, checksum agreement.
# Every engine times only its computation over data already in memory (one warm-up, then the median of R runs).
# Exit code 1 when any checksum disagrees.
set -euo pipefail
cd "$(dirname "$0")/.."

rows=10000000 seed=42 runs=5 slice=1000000 workloads=W1,W1P,W2,W3,W4,W5,W5-1w,W5-3w
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --slice) slice="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    *) echo "usage: bench/run.sh [--rows N] [--seed S] [--runs R] [--slice M] [--workloads W1,W5,...]" >&2; exit 2 ;;
  esac
done
threads=$(nproc)
# The peers compute W1–W5; W5-1w and W5-3w (W5 as windowed definitions) are this project's alone.
peer_workloads=$(tr ',' '\n' <<< "$workloads" | grep -xE 'W[1-5]' | paste -sd, || true)
# W1P (W1 read straight from bench.parquet) has one peer: DuckDB's read_parquet.
duckdb_workloads=$(tr ',' '\n' <<< "$workloads" | grep -xE 'W[1-5]|W1P' | paste -sd, || true)
data="bench/out/data-${rows}-${seed}"
results="bench/out/results-${rows}-${seed}.jsonl"
log() { echo "[run.sh] $*" >&2; }

# Debian's numpy lives with Debian's interpreter; a pyenv python3 earlier on PATH would not see it.
python=/usr/bin/python3
if ! "$python" -c 'import numpy' 2>/dev/null; then
  log "installing python3-numpy"
  apt-get update -qq && apt-get install -y -qq python3-numpy >/dev/null
fi

lock=bench/peers/package-lock.json stamp=bench/peers/node_modules/.installed-lock
if ! cmp -s "$lock" "$stamp" 2>/dev/null; then
  log "npm ci in bench/peers"
  # npm 11's `npm ci` refuses a lock that lacks other platforms' optional native packages (DuckDB and Polars
  # bindings the registry mirror does not carry); `npm install --no-save` installs the same pinned versions.
  (cd bench/peers && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null \
    || { log "npm ci refused the lock; npm install --no-save"; npm install --no-save --no-audit --no-fund --loglevel=error >&2; }; }) \
    && cp "$lock" "$stamp"
fi

if [[ ! -f "$data/meta.json" ]]; then
  log "generating $rows rows (seed $seed) into $data"
  rm -rf "$data"
  node bench/data/generate.mjs --rows "$rows" --seed "$seed" --out "$data"
fi

log "building bench/Bench (Release)"
dotnet build bench/Bench -c Release -v quiet -nologo >&2

: > "$results"
run() { log "$1"; shift; "$@" | tee -a "$results" >&2; }
run "this project (compiled, fallback, hand-written Vector256 and UTF-8)" \
  dotnet run -c Release --no-build --project bench/Bench -- side-by-side --data "$data" --runs "$runs" --threads "$threads" --workloads "$workloads"
if [[ -n "$peer_workloads" ]]; then
  for t in 1 "$threads"; do
    run "DuckDB, $t thread(s)" node bench/peers/duckdb.mjs --data "$data" --threads "$t" --runs "$runs" --workloads "$duckdb_workloads"
    run "Polars, $t thread(s)" env POLARS_MAX_THREADS="$t" node bench/peers/polars.mjs --data "$data" --runs "$runs" --workloads "$peer_workloads"
  done
  run "numpy" "$python" bench/peers/numpy_peer.py --data "$data" --runs "$runs" --workloads "$peer_workloads"
  run "plain Python, first $slice rows" "$python" bench/peers/python_rows.py --data "$data" --slice "$slice" --runs "$runs" --workloads "$peer_workloads"
  run "numpy checksums over the same slice" "$python" bench/peers/numpy_peer.py --data "$data" --slice "$slice" --runs 0 --workloads "$peer_workloads"
fi

echo "rows=$rows seed=$seed runs=$runs threads=$threads cpu=\"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\""
node bench/peers/table.mjs < "$results"

#!/usr/bin/env bash
# The online engine's latency (issue 13): a 20-feature query in process from the online store, computed through PostgreSQL,
# and over HTTP with 16 concurrent clients — p50/p90/p99/p99.9 of each, bounded in count and time.
#
#   bench/engine.sh [--users N] [--requests N] [--seconds S] [--rate R] [--clients C] [--postgres CONNECTION]
#                    [--only garnet,memory,computed,http,http-cached]   (the settings to run; all by default; http-cached: over HTTP with every feature in the store)
#                    [--alloc-types N]   (under each in-process setting, the N types allocated most while timed, sampled)
#                    [--warmup S]   (seconds of queries before each setting is timed, over HTTP at the offered rate; 2 by default)
#
# Starts its own PostgreSQL 15 on a free port of 127.0.0.1 (installed with apt when missing, as the tests do) unless
# --postgres is given; the online store is Garnet in process. Run on a quiet machine for figures.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Bench -c Release -v quiet -nologo >&2
# `dsl serve` runs with DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (src/Cli/Cli.csproj: idle workers park without spinning, less
# CPU per request under concurrent load); the bench takes the runtime's default unless the variable is set, which suits the one-query-
# at-a-time in-process settings (a parked worker's wake-up added ~200 µs to their p50 in one of two sittings here). For the HTTP settings as `dsl serve` runs:
#   DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 bench/engine.sh --only http,http-cached
exec dotnet bench/Bench/bin/Release/net10.0/Dsl.Bench.dll engine-latency "$@"

#!/usr/bin/env bash
# The benchmarks that are measured against a peer in the same run (issue 11), on a release build:
#   1. bench screen: the screening engine next to scripts/peer_screen.py (the same licence policy
#      hand-written in plain CPython) on the same synthetic rows; prints the ratio and checks that
#      both decide every row the same; plus end to end, peak memory and cold start.
#   2. bench ledger: single-debit and batched commits on SQLite and on PostgreSQL next to
#      `pgbench -b simple-update` on the same throwaway server (scripts/pg-cluster.sh).
# The binary is a release build with the Swift runtime linked statically (--static-swift-stdlib, as
# for deployment): docs/performance.md gives the dynamic build's cold start too.
# Extra arguments go to `bench screen` (e.g. --rows 1000000 --passes 5).
#   scripts/bench-peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "python3 is needed for the peer" >&2; exit 1; }
swift build -c release --static-swift-stdlib --scratch-path .build-release --product ai-diffusion >&2
BIN=.build-release/release/ai-diffusion
echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" bench screen "$@"
source scripts/pg-cluster.sh
pg_cluster_start
trap pg_cluster_stop EXIT
"$BIN" bench ledger --postgres "postgres://postgres@127.0.0.1:${PG_PORT}/postgres"
echo "== load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"

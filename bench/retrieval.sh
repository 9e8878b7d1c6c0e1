#!/usr/bin/env bash
# Retrieval benchmark (docs/benchmarks.md, "Retrieval"): for an embeddings folder and the graph
# it was trained on,
#   1. `recsys index` with the automatic choice (wall time, summary),
#   2. the load time of that index folder (checks included),
#   3. index_bench: Recall@20 against exact search (unfiltered, home city, city + price band),
#      queries/s on 1 and 2 threads, p50 / p99 latency, build and load seconds, per index type.
#   bench/retrieval.sh EMB_DIR GRAPH_DIR [BUILD_DIR] [index_bench flags...]
# BUILD_DIR (default build/release) holds the recsys program and bench/index_bench. The index
# folder is written to a temporary folder and removed. Default index_bench flags:
# --types flat,hnsw,ivf --runs 3 --queries 2000.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EMB="${1:?usage: bench/retrieval.sh EMB_DIR GRAPH_DIR [BUILD_DIR] [index_bench flags...]}"
GRAPH="${2:?usage: bench/retrieval.sh EMB_DIR GRAPH_DIR [BUILD_DIR] [index_bench flags...]}"
BUILD="${3:-$ROOT/build/release}"
shift $(( $# < 3 ? $# : 3 ))
BENCH_FLAGS=("$@")
[ ${#BENCH_FLAGS[@]} -gt 0 ] || BENCH_FLAGS=(--types flat,hnsw,ivf --runs 3 --queries 2000)
BIN="$BUILD/recsys"
BENCH="$BUILD/bench/index_bench"
[ -x "$BIN" ] || { echo "no recsys program at $BIN" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "no index_bench at $BENCH (cmake --build $BUILD --target index_bench)" >&2; exit 1; }
# FAISS and OpenBLAS use OpenMP: idle worker threads must not spin on the other core.
export OMP_WAIT_POLICY=passive

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "## recsys index (auto)"
start=$(date +%s.%N)
"$BIN" index --embeddings "$EMB" --output "$TMP/index"
end=$(date +%s.%N)
echo "wall $(echo "$end - $start" | bc) s (reading the embeddings folder included)"
du -sh "$TMP/index" | cut -f1 | sed 's/^/folder size /'

echo "## index folder load"
"$BENCH" --folder "$TMP/index" --embeddings "$EMB" --runs 5

echo "## index_bench ${BENCH_FLAGS[*]}"
"$BENCH" --embeddings "$EMB" --graph "$GRAPH" "${BENCH_FLAGS[@]}"

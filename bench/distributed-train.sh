#!/usr/bin/env bash
# Data-parallel training benchmark (docs/benchmarks.md, "Distributed training"): the same model
# and configuration trained by 1 rank, by N ranks (scripts/train-distributed, mini-batches of B
# per rank, so N*B triples per step) and by 1 rank with mini-batches of N*B (the same steps as
# the N ranks); each evaluated on the graph's test split. Prints a markdown table: test
# Recall@20 / NDCG@20, best validation Recall@20 (epoch), epochs, median seconds per epoch (of
# rank 0), wall seconds of the whole training command.
#   bench/distributed-train.sh GRAPH WORK_DIR [RECSYS_BINARY] -- TRAIN_ARGS...
# N: RANKS (default 2); THREADS: threads of the 1-rank runs (default: all cores; the N ranks
# get cores / N each). TRAIN_ARGS must include --model and --set <model>.batch_size=B.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
(($# >= 3)) || { echo "usage: bench/distributed-train.sh GRAPH WORK_DIR [RECSYS_BINARY] -- TRAIN_ARGS..." >&2; exit 2; }
GRAPH="$1"
WORK="$2"
shift 2
BIN="$ROOT/build/release/recsys"
if [[ "$1" != "--" ]]; then BIN="$1"; shift; fi
[[ "$1" == "--" ]] || { echo "bench/distributed-train.sh: expected -- before the train arguments" >&2; exit 2; }
shift
ARGS=("$@")
N="${RANKS:-2}"
THREADS="${THREADS:-$(nproc)}"
RANK_THREADS=$(( THREADS / N > 1 ? THREADS / N : 1 ))
model="" batch=""
for a in "${ARGS[@]}"; do
  [[ "$a" == *.batch_size=* ]] && batch="${a##*=}"
done
for ((i = 0; i < ${#ARGS[@]}; i++)); do [[ "${ARGS[i]}" == --model ]] && model="${ARGS[i+1]}"; done
[[ -n "$model" && -n "$batch" ]] || { echo "bench/distributed-train.sh: TRAIN_ARGS need --model M and --set M.batch_size=B" >&2; exit 2; }
mkdir -p "$WORK"

run() {  # name, command...
  local name="$1"
  shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$WORK/$name.log" 2>&1 || { echo "$name failed, see $WORK/$name.log" >&2; tail -5 "$WORK/$name.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc > "$WORK/$name.wall"
  "$BIN" evaluate --model "$WORK/$name" --graph "$GRAPH" --output "$WORK/$name.metrics.json" -q
}

run one-rank "$BIN" train --graph "$GRAPH" --output "$WORK/one-rank" --force --threads "$THREADS" "${ARGS[@]}"
RECSYS_BINARY="$BIN" run "$N-ranks" "$ROOT/scripts/train-distributed" "$N" --graph "$GRAPH" \
  --output "$WORK/$N-ranks" --force --threads "$RANK_THREADS" "${ARGS[@]}"
run one-rank-big-batch "$BIN" train --graph "$GRAPH" --output "$WORK/one-rank-big-batch" --force \
  --threads "$THREADS" "${ARGS[@]}" --set "$model.batch_size=$((batch * N))"

echo "| run | ranks x threads | batch per step | test R@20 | test NDCG@20 | best valid R@20 (epoch) | epochs | s/epoch (median) | train wall s |"
echo "|---|---|---|---|---|---|---|---|---|"
for name in one-rank "$N-ranks" one-rank-big-batch; do
  python3 - "$WORK" "$name" "$N" "$batch" "$THREADS" "$RANK_THREADS" <<'PY'
import json, sys
work, name, n, batch, threads, rank_threads = sys.argv[1:]
m = json.load(open(f"{work}/{name}.metrics.json"))
t = json.load(open(f"{work}/{name}/manifest.json"))["training"]
wall = float(open(f"{work}/{name}.wall").read())
ranks = int(n) if name.endswith("-ranks") else 1
per_step = int(batch) * (int(n) if name != "one-rank" else 1)
th = rank_threads if ranks > 1 else threads
spe = t.get("median_epoch_seconds")
spe = f"{spe:.2f}" if spe is not None else "-"
print(f"| {name} | {ranks} x {th} | {per_step} | {m['recall@20']:.4f} | {m['ndcg@20']:.4f} | "
      f"{t['best_valid_recall@20']:.4f} ({t['best_epoch']}) | {t['epochs_run']} | {spe} | {wall:.1f} |")
PY
done

#!/usr/bin/env bash
# Model benchmark: every model with its default configuration (plus the oracle and
# city popularity on synthetic data, the common-neighbours friend heuristic where there are
# friendships) on the default synthetic data set, cf/ml-1m, cf/lastfm and lbsn/yelp-1k. For each:
# train and evaluate with /usr/bin/time -v, then print a markdown table (Recall@20, NDCG@20,
# cold-start Recall@20, train and evaluation seconds (whole process), peak RSS of train /
# evaluate, friends Recall@20 / AUC).
#   bench/models.sh [WORK_DIR] [RECSYS_BINARY]
# Defaults: /tmp/recsys-models, build/release/recsys. Data and graphs are reused when present.
# MODELS="a b" replaces the list of models trained on every data set; DATASETS="x y" the data
# sets.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/recsys-models}"
BIN="${2:-$ROOT/build/release/recsys}"
SHARED="$ROOT/../shared/data"
PY=/usr/bin/python3
mkdir -p "$WORK"
[ -x "$BIN" ] || { echo "no recsys binary at $BIN" >&2; exit 1; }

prepare() {  # name, command that writes tables to $WORK/$name/tables
  local name=$1
  shift
  if [ ! -f "$WORK/$name/graph/manifest.json" ]; then
    rm -rf "$WORK/$name"
    mkdir -p "$WORK/$name"
    "$@" -q
    "$BIN" build-graph --data "$WORK/$name/tables" --output "$WORK/$name/graph" -q
  fi
}
prepare synthetic "$BIN" generate --output-dir "$WORK/synthetic/tables"
prepare ml-1m "$BIN" import cf --train "$SHARED/cf/ml-1m/train.txt" --valid "$SHARED/cf/ml-1m/valid.txt" \
  --test "$SHARED/cf/ml-1m/test.txt" --output-dir "$WORK/ml-1m/tables"
prepare lastfm "$BIN" import cf --train "$SHARED/cf/lastfm/train.txt" --valid "$SHARED/cf/lastfm/valid.txt" \
  --test "$SHARED/cf/lastfm/test.txt" --output-dir "$WORK/lastfm/tables"
prepare yelp-1k "$BIN" import lbsn --input "$SHARED/lbsn/yelp-1k" --output-dir "$WORK/yelp-1k/tables"

# Prints "seconds peak_rss_mb" of a `/usr/bin/time -v` log.
usage() {
  $PY - "$1" <<'PY'
import sys, re
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", t).group(1).split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(f"{secs:.2f} {rss / 1024:.0f}")
PY
}

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
for data in ${DATASETS:-synthetic ml-1m lastfm yelp-1k}; do
  models="${MODELS:-popularity itemknn mf-bpr}"
  [ "$data" = synthetic ] && [ -z "${MODELS:-}" ] && models="$models oracle city-popularity"
  # Friend recommendation: the common-neighbours heuristic where there are friendships.
  if [ -z "${MODELS:-}" ] && $PY -c "import json, sys; sys.exit('user_user.test' not in json.load(open(sys.argv[1]))['relations'])" \
    "$WORK/$data/graph/manifest.json"; then
    models="$models common-neighbours"
  fi
  for model in $models; do
    dir="$WORK/$data/model-$model"
    /usr/bin/time -v "$BIN" train --graph "$WORK/$data/graph" --model "$model" --output "$dir" \
      --force -q 2> "$WORK/$data/train-$model.time"
    /usr/bin/time -v "$BIN" evaluate --model "$dir" --graph "$WORK/$data/graph" \
      --output "$WORK/$data/metrics-$model.json" -q 2> "$WORK/$data/eval-$model.time"
    read -r train_s train_mb < <(usage "$WORK/$data/train-$model.time")
    read -r eval_s eval_mb < <(usage "$WORK/$data/eval-$model.time")
    $PY - "$WORK/$data/metrics-$model.json" "$data" "$model" "$train_s" "$train_mb" "$eval_s" \
      "$eval_mb" "$dir/manifest.json" >> "$RESULTS" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
man = json.load(open(sys.argv[8]))
epochs = man.get("training", {}).get("best_epoch", "")
cold = m.get("group.cold_start.recall@20")
print("\t".join([sys.argv[2], sys.argv[3], f"{m['recall@20']:.4f}", f"{m['ndcg@20']:.4f}",
                 "" if cold is None else f"{cold:.4f}",
                 sys.argv[4], sys.argv[6], f"{max(float(sys.argv[5]), float(sys.argv[7])):.0f}",
                 str(int(m["users"])), str(epochs),
                 f"{m['friends.recall@20']:.4f}" if "friends.recall@20" in m else "",
                 f"{m['friends.auc']:.4f}" if "friends.auc" in m else ""]))
PY
  done
done

$PY - "$RESULTS" <<'PY'
import sys
print("| data set | model | Recall@20 | NDCG@20 | cold-start Recall@20 | train s | evaluate s"
      " | peak RSS MB | users evaluated | best epoch | friends Recall@20 | friends AUC |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for line in open(sys.argv[1]):
    print("| " + " | ".join(line.rstrip("\n").split("\t")) + " |")
PY

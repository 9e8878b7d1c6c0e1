#!/usr/bin/env bash
# HTTP load on `recsys serve` with wrk on loopback (wrk shares the 2 cores with the server),
# against the FastAPI baseline (bench/fastapi_baseline.py) doing the same lookup with numpy.
#
#   bench/serve-load.sh ARTIFACTS [RECSYS] [RUNS] [SECONDS]
#
# ARTIFACTS: a pipeline workdir (embeddings/, graph/, optional index/). Per scenario and server,
# RUNS runs of `wrk -t2 -c64 -d SECONDS --latency`, each request for a random user (and, in the
# filtered scenario, that user's home city); prints the median requests/s and p99 latency.
set -euo pipefail
artifacts=${1:?usage: bench/serve-load.sh ARTIFACTS [RECSYS] [RUNS] [SECONDS]}
recsys=${2:-build/release/recsys}
runs=${3:-3}
seconds=${4:-15}
python=/usr/bin/python3  # Debian's, with python3-fastapi / python3-uvicorn
export OMP_WAIT_POLICY=passive
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

emb="$artifacts/embeddings"
graph="$artifacts/graph"
[ -d "$graph" ] || graph=$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['graph']['path'])" "$emb/manifest.json")

# Request targets: random users with their home city, as a Lua table for wrk.
"$python" - "$emb" "$graph" > "$work/users.lua" <<'PY'
import json, os, sys
import numpy as np
emb, graph = sys.argv[1], sys.argv[2]
ids = np.load(os.path.join(emb, "user_ids.npy"))
entry = json.load(open(os.path.join(graph, "manifest.json")))["arrays"]["user.home_city"]
city = np.fromfile(os.path.join(graph, entry["file"]), dtype=entry["dtype"])
rng = np.random.default_rng(7)
pick = rng.choice(len(ids), size=min(2000, len(ids)), replace=False)
print("users = {" + ",".join(str(int(ids[i])) for i in pick) + "}")
print("cities = {" + ",".join(str(int(city[i])) for i in pick) + "}")
PY
for scenario in plain city; do
  {
    cat "$work/users.lua"
    echo 'math.randomseed(11)'
    echo 'request = function()'
    echo '  local i = math.random(#users)'
    if [ "$scenario" = city ]; then
      echo '  return wrk.format("GET", "/v1/users/" .. users[i] .. "/recommendations/places?k=20&city=" .. cities[i])'
    else
      echo '  return wrk.format("GET", "/v1/users/" .. users[i] .. "/recommendations/places?k=20")'
    fi
    echo 'end'
    # Count non-2xx answers: wrk prints "Non-2xx or 3xx responses" itself.
  } > "$work/$scenario.lua"
done

wait_ready() {  # port
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$1/$2" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "server on port $1 did not come up" >&2
  return 1
}

start_recsys() {
  "$recsys" serve --artifacts "$artifacts" --port 18080 --threads 2 --events-log "$work/events.jsonl" \
    > "$work/recsys.log" 2>&1 &
  pids+=($!)
  wait_ready 18080 readyz
}
start_fastapi() {
  "$python" bench/fastapi_baseline.py "$emb" "$graph" 18081 > "$work/fastapi.log" 2>&1 &
  pids+=($!)
  wait_ready 18081 "v1/users/$("$python" -c "import numpy as np; print(int(np.load('$emb/user_ids.npy')[0]))")/recommendations/places"
}

# One wrk run: prints "requests_per_second p99_ms errors".
load() {  # port scenario
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/$2.lua" "http://127.0.0.1:$1" > "$work/wrk.out" 2>&1
  "$python" "$(dirname "$0")/wrk-summary.py" "$work/wrk.out" | cut -d' ' -f1-3
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "| server | scenario | requests/s (median of $runs) | p99 ms (median) | errors | runs (req/s) |"
echo "|---|---|---|---|---|---|"
for server in recsys fastapi; do
  if [ "$server" = recsys ]; then start_recsys; port=18080; else start_fastapi; port=18081; fi
  for scenario in plain city; do
    results=()
    for _ in $(seq 1 "$runs"); do results+=("$(load "$port" "$scenario")"); done
    rps=$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median)
    p99=$(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | median)
    errors=$(printf '%s\n' "${results[@]}" | cut -d' ' -f3 | paste -sd+ | bc)
    all=$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | paste -sd' ')
    echo "| $server | $scenario | $rps | $p99 | $errors | $all |"
  done
  kill "${pids[-1]}" 2>/dev/null || true
  wait "${pids[-1]}" 2>/dev/null || true
done

#!/usr/bin/env bash
# Serving replicas behind nginx (scripts/serve-replicas) under wrk on loopback; wrk, nginx and
# the replicas share this machine's cores.
#
#   bench/serve-replicas.sh ARTIFACTS [RECSYS] [RUNS] [SECONDS]
#
# Prints, as markdown rows: requests/s and p99 (medians of RUNS runs of `wrk -t2 -c64`) of one
# replica without nginx, then through nginx with 1 and 2 replicas (server threads split so that
# the replicas have 2 in all); then one run (3 x SECONDS) with a rolling reload 2 s in and one with
# a replica SIGKILLed 2 s in, with their failed requests (non-2xx and socket errors). With
# SHARDS="A,B C,D" also one replica per city shard behind the router, and every city-filtered
# answer of 500 users through the router compared with one unsharded server.
set -euo pipefail
artifacts=${1:?usage: bench/serve-replicas.sh ARTIFACTS [RECSYS] [RUNS] [SECONDS]}
recsys=${2:-build/release/recsys}
runs=${3:-3}
seconds=${4:-10}
script=$(dirname "$0")/../scripts/serve-replicas
work=$(mktemp -d)
trap '"$script" stop "$work/r" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
proxy=18190 port=18191

# Request targets: the first 2,000 users, a random one per request.
start_set() {  # replicas threads
  rm -rf "$work/r"
  "$script" start "$work/r" --artifacts "$artifacts" --recsys "$recsys" --replicas "$1" --threads "$2" \
    --port $port --proxy-port $proxy > /dev/null
}
start_set 1 2
curl -sf "http://127.0.0.1:$port/v1/users?limit=1000" |
  python3 -c 'import json,sys; print("users = {" + ",".join(map(str, json.load(sys.stdin)["users"])) + "}")' \
    > "$work/load.lua"
cat >> "$work/load.lua" <<'EOF'
math.randomseed(11)
request = function()
  return wrk.format("GET", "/v1/users/" .. users[math.random(#users)] .. "/recommendations/places?k=20")
end
EOF

wrk_run() {  # port: prints "requests/s p99_ms failed requests"
  wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/load.lua" "http://127.0.0.1:$1" > "$work/wrk.out" 2>&1
  python3 "$(dirname "$0")/wrk-summary.py" "$work/wrk.out"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
measure() {  # label port
  local results=() r
  for _ in $(seq 1 "$runs"); do results+=("$(wrk_run "$2")"); done
  r=$(printf '%s\n' "${results[@]}")
  echo "| $1 | $(cut -d' ' -f1 <<< "$r" | median) | $(cut -d' ' -f2 <<< "$r" | median) |" \
    "$(cut -d' ' -f3 <<< "$r" | paste -sd+ | bc) | $(cut -d' ' -f1 <<< "$r" | paste -sd' ') |"
}

echo "| setup | requests/s (median of $runs) | p99 ms | failed | runs (req/s) |"
echo "|---|---|---|---|---|"
measure "1 replica (2 threads), direct" $port
measure "nginx + 1 replica (2 threads)" $proxy
"$script" stop "$work/r"
start_set 2 1
measure "nginx + 2 replicas (1 thread each)" $proxy

if [ -n "${SHARDS:-}" ]; then  # e.g. SHARDS="0,1,2,3,4 5,6,7,8,9": one replica per city shard
  "$script" stop "$work/r"
  shard_args=()
  for cities in $SHARDS; do shard_args+=(--shard "$cities"); done
  rm -rf "$work/r"
  "$script" start "$work/r" --artifacts "$artifacts" --recsys "$recsys" --replicas 1 --threads 1 \
    --port $port --proxy-port $proxy "${shard_args[@]}" > /dev/null
  measure "nginx router + $(wc -w <<< "$SHARDS") city shards [$SHARDS] (1 thread each; no city: home shard)" $proxy
  # Every (user, city) of the first 500 users through the router against one unsharded server.
  "$recsys" serve --artifacts "$artifacts" --port $((port + 50)) --threads 1 --events-log "$work/ref-events.jsonl" \
    > "$work/ref.log" 2>&1 &
  ref=$!
  for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$((port + 50))/readyz" && break; sleep 0.1; done
  same=0 differ=0
  for u in $(curl -sf "http://127.0.0.1:$proxy/v1/users?limit=500" | python3 -c 'import json,sys; print(*json.load(sys.stdin)["users"])'); do
    for c in $(tr ', ' '  ' <<< "$SHARDS"); do
      q="/v1/users/$u/recommendations/places?k=20&city=$c"
      if [ "$(curl -s "http://127.0.0.1:$proxy$q")" = "$(curl -s "http://127.0.0.1:$((port + 50))$q")" ]; then
        same=$((same + 1))
      else
        differ=$((differ + 1))
      fi
    done
  done
  kill $ref
  echo
  echo "city-filtered answers through the router equal to one unsharded server: $same of $((same + differ))"
  "$script" stop "$work/r"
  rm -rf "$work/r"
  start_set 2 1
fi

# The events: one longer wrk run each, the event 2 s in (a reload under load takes seconds).
seconds=$((seconds * 3))
echo
echo "| event 2 s into one ${seconds} s wrk run (nginx + 2 replicas) | answered | failed | event took |"
echo "|---|---|---|---|"
( sleep 2; s0=$(date +%s.%N); "$script" reload "$work/r" > "$work/reload.log"
  echo "$(date +%s.%N) - $s0" | bc > "$work/event.s" ) &
r=$(wrk_run $proxy); wait
echo "| rolling reload (POST /admin/reload?wait=false, one replica at a time) | $(cut -d' ' -f4 <<< "$r") |" \
  "$(cut -d' ' -f3 <<< "$r") | $(printf '%.1f' "$(cat "$work/event.s")") s |"
victim=$(awk 'NR == 2 {print $3}' "$work/r/replicas.tsv")
( sleep 2; kill -9 "$victim" ) &
r=$(wrk_run $proxy); wait
echo "| SIGKILL of one replica | $(cut -d' ' -f4 <<< "$r") | $(cut -d' ' -f3 <<< "$r") | - |"

#!/usr/bin/env bash
# Soak: `recsys serve` on ARTIFACTS at a fixed request rate for SECONDS (default 600), with the
# server's RSS sampled every 10 s (bench/serve_soak_bench.cpp). Prints the JSON summary.
#   bench/serve-soak.sh ARTIFACTS [BUILD_DIR] [RATE] [SECONDS]
set -euo pipefail
artifacts=${1:?usage: bench/serve-soak.sh ARTIFACTS [BUILD_DIR] [RATE] [SECONDS]}
build=${2:-build/release}
rate=${3:-1000}
seconds=${4:-600}
export OMP_WAIT_POLICY=passive
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
/usr/bin/python3 -c "import numpy as np, sys; [print(int(u)) for u in np.load(sys.argv[1])[:5000]]" \
  "$artifacts/embeddings/user_ids.npy" > "$work/users.txt"
"$build/recsys" serve --artifacts "$artifacts" --port 18090 --threads 2 --events-log "$work/events.jsonl" \
  > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:18090/readyz >/dev/null && break; sleep 0.2; done
"$build/bench/serve_soak_bench" --port 18090 --pid "$server" --users "$work/users.txt" --rate "$rate" \
  --seconds "$seconds"

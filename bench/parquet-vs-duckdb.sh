#!/usr/bin/env bash
# Parquet write throughput of recsys next to DuckDB's COPY of the same data,
# in the same session on the same machine; prints a Markdown table (medians of
# REPEATS runs) ready for docs/benchmarks.md.
#   bench/parquet-vs-duckdb.sh [BUILD_DIR] [ROWS] [LIST_ROWS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
rows=${2:-10000000}
list_rows=${3:-2000000}
repeats=${4:-5}
work=$(mktemp -d /tmp/recsys-parquet-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ ! -x "$build/bench/parquet_bench" ]; then
  cmake --build "$build" --target parquet_bench -j"$(nproc)"
fi
"$build/bench/parquet_bench" --rows "$rows" --list-rows "$list_rows" --repeats "$repeats" --dir "$work" --json > "$work/ours.jsonl"
RECSYS_TOOLS_DIR="$PWD/tools" node bench/parquet-duckdb-copy.mjs "$rows" "$list_rows" "$repeats" "$work" > "$work/duckdb.jsonl"
node - "$work/ours.jsonl" "$work/duckdb.jsonl" <<'JS'
const fs = require('fs');
const load = (f) => fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const [ours, duck] = process.argv.slice(2).map(load);
const threads = duck[0]?.threads;
console.log(`| column | codec | raw MB | recsys write MB/s | DuckDB COPY MB/s (${threads} threads) | ratio | recsys read MB/s | recsys file MB | DuckDB file MB |`);
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const o of ours) {
  const d = duck.find((x) => x.column === o.column && x.codec === o.codec);
  console.log(`| ${o.column} | ${o.codec} | ${o.raw_mb.toFixed(1)} | ${o.write_mbs.toFixed(0)} | ${d.write_mbs.toFixed(0)} | ` +
              `${(o.write_mbs / d.write_mbs).toFixed(2)} | ${o.read_mbs.toFixed(0)} | ${o.file_mb.toFixed(1)} | ${d.file_mb.toFixed(1)} |`);
}
JS

#!/usr/bin/env bash
# Benchmark of `recsys generate` at two scales: the default data set (10k users x
# 10k places) and 100k users x 50k places. Each scale runs RUNS times (default 3);
# the median wall time and CPU time per stage and the peak RSS go into the
# "## Synthetic generator" section of docs/benchmarks.md (replaced, other sections kept).
#   bench/generate-bench.sh [BUILD_DIR]      (default build/release; RUNS=5 to change the count)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
runs=${RUNS:-3}
bin="$build/recsys"
if [ ! -x "$bin" ]; then
  echo "generate-bench: $bin not found; build first (cmake --build $build --target recsys_cli)" >&2
  exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/recsys-generate-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

scales=("10000 10000" "100000 50000")
for scale in "${scales[@]}"; do
  read -r users places <<<"$scale"
  cut -d' ' -f1 /proc/loadavg >"$work/load-before-$users.txt"
  for ((i = 1; i <= runs; i++)); do
    echo "generate-bench: ${users} users x ${places} places, run $i/$runs" >&2
    /usr/bin/time -v -o "$work/time-$users-$i.txt" \
      "$bin" generate --output-dir "$work/data" --force --n-users "$users" --n-places "$places" \
      --threads 0 --log-format json >"$work/summary-$users-$i.json" 2>/dev/null
    rm -rf "$work/data"
  done
  cut -d' ' -f1 /proc/loadavg >"$work/load-after-$users.txt"
done

python3 - "$work" "$runs" "$bin" <<'PY'
import json, os, re, statistics, subprocess, sys, datetime, platform
work, runs, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def cpu_model():
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'
lines = []
lines.append('## Synthetic generator')
lines.append('')
lines.append(f'Measured by `bench/generate-bench.sh` on {datetime.date.today().isoformat()}: '
             f'{os.cpu_count()} cores ({cpu_model()}), median of {runs} runs per scale, '
             f'`{binary} generate --output-dir DIR --force --n-users N --n-places M --threads 0 --log-format json` '
             'under `/usr/bin/time -v`. Wall and CPU seconds per stage come from the generator\'s own '
             'summary (CPU = all threads; on a busy shared machine wall time grows, CPU time much less). '
             'Each stage includes writing its Parquet file(s).')
lines.append('')
for users, places in ((10000, 10000), (100000, 50000)):
    summaries = [json.load(open(f'{work}/summary-{users}-{i}.json')) for i in range(1, runs + 1)]
    walls, rss = [], []
    for i in range(1, runs + 1):
        text = open(f'{work}/time-{users}-{i}.txt').read()
        m = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)', text)
        h, mnt, s = m.group(1), m.group(2), m.group(3)
        walls.append((int(h) if h else 0) * 3600 + int(mnt) * 60 + float(s))
        rss.append(int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', text).group(1)) / 1024)
    load_before = open(f'{work}/load-before-{users}.txt').read().strip()
    load_after = open(f'{work}/load-after-{users}.txt').read().strip()
    lines.append(f'### {users:,} users x {places:,} places')
    lines.append('')
    lines.append(f'Load average (1 min) on the machine: {load_before} before, {load_after} after these runs '
                 '(above 2 means other work shared the 2 cores; wall time is then roughly CPU time / '
                 'the share of the cores the generator got).')
    lines.append('')
    lines.append(f'Process: median wall **{statistics.median(walls):.2f} s** (runs: '
                 + ', '.join(f'{w:.2f}' for w in walls) + f'), peak RSS **{statistics.median(rss):.0f} MB**.')
    lines.append('')
    lines.append('| stage | file | rows | size | wall s (median) | CPU s (median) | peak RSS after stage |')
    lines.append('|---|---|---:|---:|---:|---:|---:|')
    stages = summaries[0]['stages']
    for k, st in enumerate(stages):
        wall = statistics.median(s['stages'][k]['seconds'] for s in summaries)
        cpu = statistics.median(s['stages'][k]['cpu_seconds'] for s in summaries)
        peak = statistics.median(s['stages'][k]['peak_rss_bytes'] for s in summaries) / 2**20
        lines.append(f"| {st['stage']} | {st['file']} | {st['rows']:,} | {st['bytes'] / 2**20:.1f} MB | "
                     f'{wall:.2f} | {cpu:.2f} | {peak:.0f} MB |')
    lines.append('')
section = '\n'.join(lines) + '\n'
path = 'docs/benchmarks.md'
text = open(path).read() if os.path.exists(path) else '# Benchmarks\n\n'
start = text.find('## Synthetic generator')
if start >= 0:
    end = text.find('\n## ', start + 1)
    text = text[:start] + section + (text[end + 1:] if end >= 0 else '')
else:
    text = text.rstrip('\n') + '\n\n' + section
open(path, 'w').write(text)
print(section)
PY

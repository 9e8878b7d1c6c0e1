#!/usr/bin/env python3
"""One line from a `wrk --latency` report: requests/s, p99 in ms, failed requests (non-2xx/3xx
answers plus socket errors) and total requests. Used by bench/serve-load.sh and
bench/serve-replicas.sh.

    bench/wrk-summary.py WRK_OUTPUT   ->   "41219 4.96 0 412345"
"""
import re
import sys

text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
p99 = float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
failed = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
total = int(re.search(r"(\d+) requests in", text).group(1))
print(f"{rps:.0f} {p99:.2f} {failed} {total}")

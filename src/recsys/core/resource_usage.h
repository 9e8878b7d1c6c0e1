#pragma once
// Process resource figures for stage reports.
#include <cstdint>

namespace recsys {

// Peak resident set size of this process so far, in bytes (getrusage).
int64_t peak_rss_bytes();
// CPU time (user + system) of all threads of this process so far, in seconds.
double process_cpu_seconds();

}  // namespace recsys

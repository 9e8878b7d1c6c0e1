#include "recsys/serve/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace recsys::serve {

namespace {

// Label values are escaped as the text format requires (backslash, quote, newline).
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Metrics::Metrics(std::vector<RouteName> routes) : names_(std::move(routes)) {
  names_.push_back({"", "unmatched"});
  for (size_t i = 0; i < names_.size(); ++i) counters_.push_back(std::make_unique<Counters>());
}

void Metrics::record(int route, int status, double seconds) {
  const size_t i = route >= 0 && static_cast<size_t>(route) + 1 < counters_.size()
                       ? static_cast<size_t>(route)
                       : counters_.size() - 1;
  Counters& c = *counters_[i];
  c.by_status[static_cast<size_t>(std::clamp(status, 0, 599))].fetch_add(1, std::memory_order_relaxed);
  const size_t b = static_cast<size_t>(std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) -
                                       kBuckets.begin());
  c.buckets[b].fetch_add(1, std::memory_order_relaxed);
  c.sum_nanoseconds.fetch_add(static_cast<uint64_t>(std::max(0.0, seconds) * 1e9), std::memory_order_relaxed);
}

std::string Metrics::render(const std::string& model, const std::string& version) const {
  std::string out;
  out += "# HELP recsys_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE recsys_http_requests_total counter\n";
  for (size_t i = 0; i < names_.size(); ++i)
    for (size_t s = 0; s < counters_[i]->by_status.size(); ++s) {
      const uint64_t n = counters_[i]->by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("recsys_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                         label(names_[i].pattern), label(names_[i].method), s, n);
    }
  out += "# HELP recsys_http_request_duration_seconds Time from a parsed request to its response.\n";
  out += "# TYPE recsys_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < names_.size(); ++i) {
    const Counters& c = *counters_[i];
    std::array<uint64_t, kBuckets.size() + 1> buckets;
    uint64_t count = 0;  // = the +Inf bucket, as the format requires (read once, not racing)
    for (size_t b = 0; b < buckets.size(); ++b) count += buckets[b] = c.buckets[b].load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string labels =
        fmt::format("route=\"{}\",method=\"{}\"", label(names_[i].pattern), label(names_[i].method));
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += buckets[b];
      const std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      out += fmt::format("recsys_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels, le,
                         cumulative);
    }
    out += fmt::format("recsys_http_request_duration_seconds_sum{{{}}} {}\n", labels,
                       static_cast<double>(c.sum_nanoseconds.load(std::memory_order_relaxed)) * 1e-9);
    out += fmt::format("recsys_http_request_duration_seconds_count{{{}}} {}\n", labels, count);
  }
  out += "# HELP recsys_model_info The artifacts being served.\n";
  out += "# TYPE recsys_model_info gauge\n";
  out += fmt::format("recsys_model_info{{model=\"{}\",version=\"{}\"}} 1\n", label(model), label(version));
  return out;
}

}  // namespace recsys::serve

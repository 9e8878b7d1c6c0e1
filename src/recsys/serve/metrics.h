#pragma once
// Request counters and latency histograms per route, rendered as Prometheus text (GET /metrics):
//   recsys_http_requests_total{route, method, status}   counter
//   recsys_http_request_duration_seconds{route, method} histogram (le buckets 100 us .. 2.5 s)
//   recsys_model_info{model, version}                    gauge 1 (the artifacts being served)
// Recording is lock-free (relaxed atomics): it is on every request's path.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace recsys::serve {

class Metrics {
 public:
  static constexpr std::array<double, 14> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                      0.005,  0.01,    0.025,  0.05,  0.1,
                                                      0.25,   0.5,     1.0,    2.5};

  // One entry per router route (same order) plus one for requests that matched no route.
  struct RouteName {
    std::string method, pattern;
  };
  explicit Metrics(std::vector<RouteName> routes);

  // route: the router's index, or -1 for an unmatched request.
  void record(int route, int status, double seconds);

  // Prometheus text exposition format (version 0.0.4).
  std::string render(const std::string& model, const std::string& version) const;

 private:
  struct Counters {
    std::array<std::atomic<uint64_t>, 600> by_status{};
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};
    std::atomic<uint64_t> sum_nanoseconds{0};
  };
  std::vector<RouteName> names_;
  std::vector<std::unique_ptr<Counters>> counters_;  // names_.size() + 1 (last: unmatched)
};

}  // namespace recsys::serve

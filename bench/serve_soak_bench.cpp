// Soak test of a running `recsys serve`: requests at a fixed rate for a fixed time over a few
// keep-alive connections, the server's RSS sampled from /proc/PID/status; reports errors,
// latency percentiles and the RSS series (flat memory = no leak). Used by bench/serve-soak.sh.
//   serve_soak_bench --port P --pid PID --users FILE [--rate 500] [--seconds 600]
//                    [--connections 4] [--sample-seconds 10]
// FILE: one raw user id per line; request i asks for places of user i mod n (a mix of k and
// filters); every 50th request reports an event and every 100th asks for friends.
#include <algorithm>
#include <utility>  // before Asio: boost 1.74 awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

long rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

struct Result {
  std::vector<double> latency_ms;
  long errors = 0, requests = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 0, pid = 0, connections = 4;
  double rate = 500, seconds = 600, sample_seconds = 10;
  std::string users_file;
  CLI::App app("Fixed-rate soak of recsys serve");
  app.add_option("--port", port)->required();
  app.add_option("--pid", pid)->required();
  app.add_option("--users", users_file)->required();
  app.add_option("--rate", rate, "requests per second, all connections together");
  app.add_option("--seconds", seconds);
  app.add_option("--connections", connections);
  app.add_option("--sample-seconds", sample_seconds);
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> users;
  {
    std::ifstream in(users_file);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) users.push_back(line);
  }
  if (users.empty()) {
    std::fprintf(stderr, "%s: no user ids\n", users_file.c_str());
    return 1;
  }

  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::vector<Result> results(static_cast<size_t>(connections));
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c)
    threads.emplace_back([&, c] {
      Result& r = results[static_cast<size_t>(c)];
      asio::io_context ioc;
      asio::ip::tcp::socket socket(ioc);
      boost::beast::flat_buffer buffer;
      auto connect = [&] {
        boost::system::error_code ec;
        socket.close(ec);
        socket = asio::ip::tcp::socket(ioc);
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)}, ec);
        return !ec;
      };
      connect();
      const double interval = static_cast<double>(connections) / rate;  // seconds between this thread's requests
      for (long i = 0;; ++i) {
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(interval * static_cast<double>(i) + c * interval / connections));
        if (due >= end) break;
        std::this_thread::sleep_until(due);
        const long n = i * connections + c;
        const std::string& user = users[static_cast<size_t>(n) % users.size()];
        http::request<http::string_body> req;
        req.version(11);
        req.set(http::field::host, "127.0.0.1");
        if (n % 50 == 0) {
          req.method(http::verb::post);
          req.target("/v1/events");
          req.set(http::field::content_type, "application/json");
          req.body() = "{\"events\": [{\"user_id\": " + user + ", \"place_id\": " + std::to_string(n % 100) +
                       ", \"type\": \"view\"}]}";
        } else if (n % 100 == 1) {
          req.method(http::verb::get);
          req.target("/v1/users/" + user + "/recommendations/friends?k=10");
        } else {
          req.method(http::verb::get);
          req.target("/v1/users/" + user + "/recommendations/places?k=" + std::to_string(10 + n % 3 * 5) +
                     (n % 4 == 0 ? "&price_band=" + std::to_string(1 + n % 4) : ""));
        }
        req.prepare_payload();
        const auto t0 = Clock::now();
        boost::system::error_code ec;
        http::write(socket, req, ec);
        http::response<http::string_body> res;
        if (!ec) http::read(socket, buffer, res, ec);
        ++r.requests;
        if (ec || res.result_int() != 200) {
          ++r.errors;
          if (ec) connect();
          continue;
        }
        r.latency_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });

  std::vector<std::pair<double, long>> rss;  // (seconds, KiB)
  while (Clock::now() < end) {
    rss.emplace_back(std::chrono::duration<double>(Clock::now() - start).count(), rss_kib(pid));
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(sample_seconds, std::chrono::duration<double>(end - Clock::now()).count() + 0.01)));
  }
  rss.emplace_back(std::chrono::duration<double>(Clock::now() - start).count(), rss_kib(pid));
  for (auto& t : threads) t.join();

  Result all;
  for (const Result& r : results) {
    all.requests += r.requests;
    all.errors += r.errors;
    all.latency_ms.insert(all.latency_ms.end(), r.latency_ms.begin(), r.latency_ms.end());
  }
  std::sort(all.latency_ms.begin(), all.latency_ms.end());
  auto pct = [&](double q) {
    return all.latency_ms.empty() ? 0.0 : all.latency_ms[static_cast<size_t>(q * static_cast<double>(all.latency_ms.size() - 1))];
  };
  long rss_min = rss.front().second, rss_max = rss.front().second;
  for (const auto& [t, kib] : rss) rss_min = std::min(rss_min, kib), rss_max = std::max(rss_max, kib);
  // RSS after the first minute (warm-up) against the end: the leak signal.
  long warm = rss.front().second;
  for (const auto& [t, kib] : rss)
    if (t <= 60) warm = kib;
  std::printf("{\"seconds\": %.0f, \"rate\": %.0f, \"requests\": %ld, \"errors\": %ld, \"p50_ms\": %.3f, \"p99_ms\": %.3f, "
              "\"max_ms\": %.3f, \"rss_kib_first\": %ld, \"rss_kib_after_60s\": %ld, \"rss_kib_last\": %ld, "
              "\"rss_kib_min\": %ld, \"rss_kib_max\": %ld, \"rss_samples\": [",
              seconds, rate, all.requests, all.errors, pct(0.5), pct(0.99), all.latency_ms.empty() ? 0.0 : all.latency_ms.back(),
              rss.front().second, warm, rss.back().second, rss_min, rss_max);
  for (size_t i = 0; i < rss.size(); ++i) std::printf("%s[%.0f, %ld]", i ? ", " : "", rss[i].first, rss[i].second);
  std::printf("]}\n");
  return all.errors == 0 ? 0 : 2;
}

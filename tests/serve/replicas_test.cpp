// Serving replicas behind nginx (scripts/serve-replicas): a rolling reload under load fails no
// request; a replica killed (SIGKILL) under load fails at most the requests in flight at the
// kill; and with city shards, the router answers a city-filtered request exactly like one
// unsharded server.
#include <signal.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>

#include "http_client.h"
#include "recsys/serve/api_service.h"
#include "running_server.h"
#include "serve_fixture.h"

namespace recsys::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string kScript = std::string(RECSYS_SOURCE_DIR) + "/scripts/serve-replicas";

bool have_nginx() {
  return std::system("command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx") == 0;
}

// A first port of `n` consecutive free loopback ports (in 20000..59999).
unsigned short free_ports(int n) {
  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  for (int attempt = 0; attempt < 200; ++attempt) {
    const auto base = static_cast<unsigned short>(20000 + rng() % 40000);
    bool all = true;
    for (int i = 0; i < n && all; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<unsigned short>(base + i));
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      all = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
      ::close(fd);
    }
    if (all) return base;
  }
  ADD_FAILURE() << "no " << n << " free consecutive ports";
  return 0;
}

// Replicas (and nginx) started by the script in a fresh folder; stopped at the end.
class Replicas {
 public:
  Replicas(const std::string& name, const std::string& options) : dir_(recsys::testing::fresh_dir(name)) {
    base_ = free_ports(8);
    proxy_ = base_;
    const std::string cmd = kScript + " start " + dir_.string() + " --artifacts " +
                            testing::serving_workdir().string() + " --recsys " + RECSYS_BINARY +
                            " --proxy-port " + std::to_string(proxy_) + " --port " + std::to_string(base_ + 1) +
                            " " + options + " > " + (dir_ / "start.log").string() + " 2>&1";
    started_ = std::system(cmd.c_str()) == 0;
    std::ifstream in(dir_ / "replicas.tsv");
    int shard = 0, port = 0, pid = 0;
    while (in >> shard >> port >> pid) replicas_.push_back({shard, port, pid});
  }
  ~Replicas() { std::system((kScript + " stop " + dir_.string() + " >/dev/null 2>&1").c_str()); }

  struct Replica {
    int shard, port, pid;
  };
  bool started() const { return started_; }
  std::string log() const { return recsys::testing::read_text(dir_ / "start.log"); }
  unsigned short proxy() const { return proxy_; }
  fs::path events_log(const Replica& replica) const {
    return dir_ / ("events-" + std::to_string(replica.port) + ".jsonl");
  }
  const std::vector<Replica>& replicas() const { return replicas_; }
  int reload() const {
    return std::system((kScript + " reload " + dir_.string() + " > " + (dir_ / "reload.log").string() + " 2>&1").c_str());
  }
  std::string reload_log() const { return recsys::testing::read_text(dir_ / "reload.log"); }

 private:
  fs::path dir_;
  unsigned short base_ = 0, proxy_ = 0;
  bool started_ = false;
  std::vector<Replica> replicas_;
};

// `clients` threads, each with one keep-alive connection (so at most one request in flight),
// sending GETs round the targets until stopped. A connection error or a status other than 200
// is a failed request; the client then connects again.
class Load {
 public:
  Load(unsigned short port, std::vector<std::string> targets, int clients) : targets_(std::move(targets)) {
    for (int c = 0; c < clients; ++c) threads_.emplace_back([this, port, c] { client(port, c); });
  }
  ~Load() { stop(); }
  void stop() {
    running_ = false;
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }
  int64_t ok() const { return ok_; }
  int64_t failed() const { return failed_; }
  std::string first_error() const {
    std::lock_guard lock(mutex_);
    return first_error_;
  }

 private:
  void fail(const std::string& why) {
    ++failed_;
    std::lock_guard lock(mutex_);
    if (first_error_.empty()) first_error_ = why;
  }
  void client(unsigned short port, int c) {
    namespace http = boost::beast::http;
    boost::asio::io_context ioc;
    std::optional<boost::asio::ip::tcp::socket> socket;
    boost::beast::flat_buffer buffer;
    for (size_t i = static_cast<size_t>(c); running_; i += threads_.size()) {
      try {
        if (!socket) {
          socket.emplace(ioc);
          socket->connect({boost::asio::ip::make_address("127.0.0.1"), port});
          buffer.clear();
        }
        http::request<http::empty_body> req(http::verb::get, targets_[i % targets_.size()], 11);
        req.set(http::field::host, "127.0.0.1");
        http::write(*socket, req);
        http::response<http::string_body> res;
        http::read(*socket, buffer, res);
        if (res.result_int() == 200)
          ++ok_;
        else
          fail("status " + std::to_string(res.result_int()) + ": " + res.body());
        if (!res.keep_alive()) socket.reset();
      } catch (const std::exception& e) {
        fail(e.what());
        socket.reset();
      }
    }
  }
  std::vector<std::string> targets_;
  std::vector<std::thread> threads_;
  std::atomic<bool> running_{true};
  std::atomic<int64_t> ok_{0}, failed_{0};
  mutable std::mutex mutex_;
  std::string first_error_;
};

ApiOptions reference_options() {
  ApiOptions o;
  o.artifacts = testing::serving_workdir();
  o.events_log = recsys::testing::fresh_dir("replicas-ref") / "events.jsonl";
  return o;
}

// The API in this process over the same artifacts, as the unsharded reference.
struct Reference {
  Reference()
      : service(reference_options()),
        server(testing::ephemeral_options(), [this](const HttpRequest& r) { return service.handle(r); }) {}
  ApiService service;
  testing::RunningServer server;
};

std::vector<std::string> place_targets(const recommend::Recommender& rec, size_t n) {
  std::vector<std::string> out;
  const auto& ids = rec.artifacts().embeddings.user_ids;
  for (size_t i = 0; i < n && i < ids.size(); ++i)
    out.push_back("/v1/users/" + std::to_string(ids[i * 7 % ids.size()]) + "/recommendations/places?k=10");
  return out;
}

// POST /admin/reload?wait=false: 202 at once, the load on a thread of the service's own,
// progress in /readyz; the server answers meanwhile.
TEST(Replicas, BackgroundReloadReportsInReadyz) {
  Reference ref;
  testing::HttpClient client(ref.server.port());
  auto ready = json::parse(client.request("GET", "/readyz").body);
  EXPECT_EQ(ready["reload"]["state"], "none");
  EXPECT_EQ(ready["reload"]["started"], 0);
  const auto r = client.request("POST", "/admin/reload?wait=false");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(json::parse(r.body)["reload"], 1);
  for (int i = 0; i < 600; ++i) {
    ready = json::parse(client.request("GET", "/readyz").body);
    if (ready["reload"]["state"] != "running") break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(ready["reload"]["state"], "done") << ready.dump();
  EXPECT_EQ(ready["reload"]["started"], 1);
  EXPECT_EQ(ready["reload"]["error"], "");
  EXPECT_EQ(client.request("POST", "/admin/reload?wait=maybe").status, 400);
  EXPECT_EQ(client.request("POST", "/admin/reload?later=1").status, 400);
  const auto sync = client.request("POST", "/admin/reload");
  EXPECT_EQ(sync.status, 200) << sync.body;
  EXPECT_EQ(json::parse(sync.body)["status"], "reloaded");
}

TEST(Replicas, RollingReloadAndAKilledReplicaUnderLoad) {
  ASSERT_TRUE(have_nginx()) << "nginx is missing: scripts/setup installs it (nginx-light)";
  Reference ref;
  Replicas r("replicas-kill", "--replicas 2 --threads 1");
  ASSERT_TRUE(r.started()) << r.log();
  ASSERT_EQ(r.replicas().size(), 2u);
  const auto targets = place_targets(*ref.service.current(), 200);
  constexpr int kClients = 8;

  {  // A rolling reload under load: no request fails.
    Load load(r.proxy(), targets, kClients);
    std::this_thread::sleep_for(500ms);
    ASSERT_EQ(r.reload(), 0) << r.reload_log();
    std::this_thread::sleep_for(500ms);
    load.stop();
    EXPECT_GT(load.ok(), 0);
    EXPECT_EQ(load.failed(), 0) << load.first_error();
    EXPECT_NE(r.reload_log().find("reloaded"), std::string::npos) << r.reload_log();
  }
  {  // SIGKILL one replica under load: at most the requests in flight at the kill fail (one per
     // client connection), and the survivor answers everything after.
    Load load(r.proxy(), targets, kClients);
    std::this_thread::sleep_for(500ms);
    const int64_t before = load.ok();
    ASSERT_EQ(::kill(r.replicas()[1].pid, SIGKILL), 0);
    std::this_thread::sleep_for(1500ms);
    load.stop();
    EXPECT_GT(load.ok(), before) << "no request answered after the kill";
    EXPECT_LE(load.failed(), kClients) << load.first_error();
    std::cout << "[ replicas ] kill under load: " << load.ok() << " answered, " << load.failed()
              << " failed (bound " << kClients << ")\n";
  }
  // The survivor alone, through nginx: every request answered.
  testing::HttpClient client(r.proxy());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(client.request("GET", targets[static_cast<size_t>(i)]).status, 200);
}

// The lines of an events log once it has `n` of them (a copy arrives shortly after the answer),
// or what it has after 5 s.
std::vector<json> log_lines(const fs::path& file, size_t n) {
  std::vector<json> lines;
  for (int attempt = 0; attempt < 100; ++attempt) {
    lines.clear();
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) lines.push_back(json::parse(line));
    if (lines.size() >= n) break;
    std::this_thread::sleep_for(50ms);
  }
  return lines;
}

// POST /v1/events through the proxy reaches every replica (two city shards of two replicas each)
// once: each replica logs it, under one key, and excludes the place at once; a client's retry
// with its own key is not applied twice; a dead replica fails no report.
TEST(Replicas, ReportedEventsReachEveryReplicaOnce) {
  ASSERT_TRUE(have_nginx()) << "nginx is missing: scripts/setup installs it (nginx-light)";
  Reference ref;
  const auto rec = ref.service.current();
  const int64_t user = rec->artifacts().embeddings.user_ids[3];
  // Recommendations in city 0, served by the replicas of shard 0.
  const std::string target = "/v1/users/" + std::to_string(user) + "/recommendations/places?k=5&diversity=0&city=0";
  testing::HttpClient unsharded(ref.server.port());
  const int64_t top = json::parse(unsharded.request("GET", target).body)["places"][0]["place_id"];
  Replicas r("replicas-events", "--replicas 2 --threads 1 --shard 0 --shard 1,2");
  ASSERT_TRUE(r.started()) << r.log();
  ASSERT_EQ(r.replicas().size(), 4u);

  const std::string event = json{{"events", {{{"user_id", user}, {"place_id", top}, {"type", "like"}}}}}.dump();
  testing::HttpClient proxy(r.proxy());
  auto res = proxy.request("POST", "/v1/events", event);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(json::parse(res.body)["accepted"], 1);
  std::string key;
  for (const auto& replica : r.replicas()) {
    const auto lines = log_lines(r.events_log(replica), 1);
    ASSERT_EQ(lines.size(), 1u) << "replica on port " << replica.port;
    EXPECT_EQ(lines[0]["place_id"], top);
    if (key.empty()) key = lines[0]["key"];
    EXPECT_EQ(lines[0]["key"], key) << "one request, one key on every replica";
    if (replica.shard != 0) continue;
    testing::HttpClient direct(static_cast<unsigned short>(replica.port));
    const auto places = json::parse(direct.request("GET", target).body)["places"];
    ASSERT_FALSE(places.empty());
    for (const auto& p : places) EXPECT_NE(p["place_id"], top) << "port " << replica.port;
  }
  // A client's retry under its own key: applied once everywhere.
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(proxy.request("POST", "/v1/events", event, "application/json", {{"Idempotency-Key", "retry-1"}}).status,
              200);
  for (const auto& replica : r.replicas()) EXPECT_EQ(log_lines(r.events_log(replica), 2).size(), 2u);
  std::this_thread::sleep_for(300ms);  // time for a wrongly applied copy to show
  for (const auto& replica : r.replicas())
    EXPECT_EQ(log_lines(r.events_log(replica), 0).size(), 2u) << "replica on port " << replica.port;
  // One replica killed: reports are still answered, and the others get them.
  ASSERT_EQ(::kill(r.replicas()[0].pid, SIGKILL), 0);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(proxy.request("POST", "/v1/events", event).status, 200);
  for (size_t i = 1; i < r.replicas().size(); ++i)
    EXPECT_EQ(log_lines(r.events_log(r.replicas()[i]), 6).size(), 6u) << "replica " << i;
}

TEST(Replicas, CityShardsBehindTheRouterAnswerLikeOneServer) {
  ASSERT_TRUE(have_nginx()) << "nginx is missing: scripts/setup installs it (nginx-light)";
  Reference ref;
  const auto rec = ref.service.current();
  const auto& cat = rec->catalogue();
  ASSERT_GE(cat.n_cities(), 3);
  Replicas r("replicas-shards", "--replicas 1 --threads 1 --shard 0 --shard 1,2");
  ASSERT_TRUE(r.started()) << r.log();
  ASSERT_EQ(r.replicas().size(), 2u);
  testing::HttpClient router(r.proxy()), unsharded(ref.server.port());

  int compared = 0, home_only = 0;
  for (int32_t row = 0; row < cat.n_users(); row += 9) {
    const std::string user = std::to_string(cat.users().raw(row));
    const std::string base = "/v1/users/" + user + "/recommendations/places?k=10";
    for (int city = 0; city < 3; ++city) {  // a city filter: routed to the city's shard
      const auto a = router.request("GET", base + "&city=" + std::to_string(city));
      const auto b = unsharded.request("GET", base + "&city=" + std::to_string(city));
      ASSERT_EQ(a.status, 200) << base << " city " << city << ": " << a.body;
      ASSERT_EQ(b.status, 200) << b.body;
      EXPECT_EQ(json::parse(a.body), json::parse(b.body)) << base << "&city=" << city;
      ++compared;
    }
    // No city: the user's home-city shard, so only places of that shard's cities.
    const int32_t home = cat.home_city(row);
    if (home < 0) continue;
    const auto a = router.request("GET", base);
    ASSERT_EQ(a.status, 200) << a.body;
    const json answer = json::parse(a.body);  // a named value: the loop must not iterate a temporary
    for (const auto& p : answer.at("places")) {
      const int32_t city = cat.city(rec->place_row(p["place_id"].get<int64_t>()));
      EXPECT_EQ(city == 0, home == 0) << "user " << user << " (home city " << home << ") got a place of city " << city;
    }
    if (home == 0) {  // shard 0 is city 0 alone: the same as the unsharded server filtered by it
      EXPECT_EQ(json::parse(a.body), json::parse(unsharded.request("GET", base + "&city=0").body)) << base;
      ++home_only;
    }
  }
  EXPECT_GT(compared, 30);
  EXPECT_GT(home_only, 0);

  // A replica asked directly for a city it does not hold: 421, naming its cities.
  const auto& shard0 = r.replicas()[0];
  ASSERT_EQ(shard0.shard, 0);
  testing::HttpClient direct(static_cast<unsigned short>(shard0.port));
  const auto miss = direct.request("GET", "/v1/users/" + std::to_string(cat.users().raw(0)) +
                                              "/recommendations/places?city=2");
  EXPECT_EQ(miss.status, 421) << miss.body;
  EXPECT_NE(miss.body.find("[0]"), std::string::npos) << miss.body;
  const auto ready = json::parse(direct.request("GET", "/readyz").body);
  EXPECT_EQ(ready["cities"], json::array({0}));
  EXPECT_LT(ready["shard_places"].get<int64_t>(), cat.n_places());
}

}  // namespace
}  // namespace recsys::serve

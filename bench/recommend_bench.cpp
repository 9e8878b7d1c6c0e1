// The recommender end to end (docs/benchmarks.md, "Recommender").
//  1. Quality: for every user with test pairs, the recommender's top-20 (exclusions on, diversity
//     off, no filters) against the graph's test pairs -> Recall@20, next to the recall@20 that
//     `recsys evaluate` wrote (--metrics), once with the evaluator's exclusions (training pairs)
//     and once with the recommender's default (training + validation pairs).
//  2. Throughput: single-threaded queries over a fixed random sample of users, unfiltered
//     (diversity off and default), filtered by the user's home city, and by home city + one
//     category; and the unfiltered query on every hardware thread. Each configuration runs --runs
//     times interleaved; printed: median queries/s, the median of the per-run p50 / p99 wall-clock
//     latency, and of the per-run p99 of the query thread's CPU time (the latency without waiting
//     for a core on the shared machine). The throughput recommender is built as the server builds
//     it: with per-user candidate lists (recommend/candidate_table.h) of --candidates places
//     (default as `recsys serve`; 0: every query searches the index).
// Usage: recommend_bench --artifacts DIR [--metrics FILE] [--index DIR] [--exact] [--queries N]
//                        [--runs N] [--k N] [--candidates N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/index/index_folder.h"
#include "recsys/recommend/recommender.h"

namespace {

using namespace recsys::recommend;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string artifacts, metrics, index;
  bool exact = false;
  int queries = 2000, runs = 5, k = 20;
  int candidates = CandidateTableOptions{}.per_user;  // per-user candidate lists (0: none)
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", s.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (s == "--artifacts")
      a.artifacts = next();
    else if (s == "--metrics")
      a.metrics = next();
    else if (s == "--index")
      a.index = next();
    else if (s == "--exact")
      a.exact = true;
    else if (s == "--queries")
      a.queries = std::atoi(next().c_str());
    else if (s == "--runs")
      a.runs = std::atoi(next().c_str());
    else if (s == "--k")
      a.k = std::atoi(next().c_str());
    else if (s == "--candidates")
      a.candidates = std::atoi(next().c_str());
    else {
      std::fprintf(stderr, "unknown argument %s\n", s.c_str());
      std::exit(2);
    }
  }
  if (a.artifacts.empty()) {
    std::fprintf(stderr, "usage: recommend_bench --artifacts DIR [--metrics FILE] ...\n");
    std::exit(2);
  }
  return a;
}

Artifacts load(const Args& a) {
  auto art = open_artifacts(a.artifacts, a.index);
  if (a.exact) {
    recsys::index::IndexBuildOptions o;
    o.kind = recsys::index::IndexKind::kFlat;
    art.index = recsys::index::build_in_memory(art.embeddings, o);
    art.index_source = "in memory (flat, --exact)";
  }
  return art;
}

// Mean Recall@k over the users with test pairs (repeated test places count once; test places
// that are excluded count as misses, as in recsys evaluate).
double recall_at_k(const Recommender& r, int k, double diversity = 0) {
  const auto test = r.artifacts().graph->interactions("test").csr;
  PlaceQuery q;
  q.k = k;
  q.diversity = diversity;
  double sum = 0;
  int64_t users = 0;
  std::vector<int32_t> relevant;
  for (int32_t u = 0; u < test.n_rows(); ++u) {
    const auto row = test.row(u);
    if (row.empty()) continue;
    relevant.assign(row.begin(), row.end());
    std::sort(relevant.begin(), relevant.end());
    relevant.erase(std::unique(relevant.begin(), relevant.end()), relevant.end());
    const auto got = r.places_for_user(r.catalogue().users().raw(u), q);
    int64_t hits = 0;
    for (const auto& item : got.places)
      hits += std::binary_search(relevant.begin(), relevant.end(), item.row);
    sum += static_cast<double>(hits) / static_cast<double>(relevant.size());
    ++users;
  }
  return users ? sum / static_cast<double>(users) : 0.0;
}

// Mean Recall@k of friend suggestions against the held-out friendships (user_user.test).
double friend_recall_at_k(const Recommender& r, int k) {
  const auto& g = *r.artifacts().graph;
  if (!g.has_relation("user_user.test")) return -1;
  const auto test = g.relation("user_user.test");
  double sum = 0;
  int64_t users = 0;
  for (int32_t u = 0; u < test.n_rows(); ++u) {
    const auto row = test.row(u);
    if (row.empty()) continue;
    const auto got = r.friends_for_user(r.catalogue().users().raw(u), k);
    int64_t hits = 0;
    for (const auto& f : got.friends) hits += std::binary_search(row.begin(), row.end(), f.row);
    sum += static_cast<double>(hits) / static_cast<double>(row.size());
    ++users;
  }
  return users ? sum / static_cast<double>(users) : 0.0;
}

struct Config {
  std::string name;
  double diversity = 0;
  // -1: the index search alone (no recommender), 0: no filter, 1: home city, 2: home city +
  // the category of the user's first place
  int filter = 0;
  int threads = 1;
};

PlaceQuery query_for(const Recommender& r, const Config& c, int k, int32_t u) {
  PlaceQuery q;
  q.k = k;
  q.diversity = c.diversity;
  const int32_t city = r.catalogue().home_city(u);
  if (c.filter >= 1 && city >= 0) q.filter.city = city;
  if (c.filter >= 2) {
    const auto seen = r.history().seen_places(u);
    if (!seen.empty() && !r.catalogue().categories(seen[0]).empty())
      q.filter.category = r.catalogue().categories(seen[0])[0];
  }
  return q;
}

struct RunResult {
  double qps, p50_us, p99_us, cpu_p99_us;
};

// This thread's CPU time in microseconds: a query's cost without the time the thread waited
// for a core (the 2-core machine is shared, so wall-clock tails include other processes' slices).
double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

RunResult run_config(const Recommender& r, const Config& c, const std::vector<int32_t>& users,
                     int k) {
  std::vector<double> lat(users.size()), cpu(users.size());
  const auto start = Clock::now();
  auto work = [&](size_t first, size_t step) {
    for (size_t i = first; i < users.size(); i += step) {
      const int32_t u = users[i];
      const auto q = query_for(r, c, k, u);
      const double c0 = thread_cpu_us();
      const auto t0 = Clock::now();
      const auto got = r.places_for_user(r.catalogue().users().raw(u), q);
      lat[i] = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
      cpu[i] = thread_cpu_us() - c0;
      if (got.places.empty() && q.filter.empty()) std::abort();
    }
  };
  auto search_only = [&]() {  // the index call alone, same over-fetch as the recommender
    const auto& index = r.artifacts().index.places;
    for (size_t i = 0; i < users.size(); ++i) {
      const int32_t u = users[i];
      const int fetch = k + static_cast<int>(r.history().seen_places(u).size());
      const double c0 = thread_cpu_us();
      const auto t0 = Clock::now();
      const auto hits = index.search(r.artifacts().user_vector(u), fetch);
      lat[i] = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
      cpu[i] = thread_cpu_us() - c0;
      if (hits.empty()) std::abort();
    }
  };
  if (c.filter < 0) {
    search_only();
  } else if (c.threads == 1) {
    work(0, 1);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < c.threads; ++t)
      pool.emplace_back(work, static_cast<size_t>(t), static_cast<size_t>(c.threads));
    for (auto& t : pool) t.join();
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(lat.begin(), lat.end());
  std::sort(cpu.begin(), cpu.end());
  auto pct = [&](const std::vector<double>& v, double p) {
    return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
  };
  return {static_cast<double>(users.size()) / secs, pct(lat, 0.5), pct(lat, 0.99), pct(cpu, 0.99)};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) try {
  const Args a = parse(argc, argv);
  double reference = -1;
  if (!a.metrics.empty()) {
    std::ifstream in(a.metrics);
    const auto m = nlohmann::json::parse(in);
    reference = m.at("recall@" + std::to_string(a.k)).get<double>();
  }
  {
    RecommenderOptions evaluator_exclusions;
    evaluator_exclusions.seen = SeenSplits::kTrain;
    const auto t0 = Clock::now();
    auto artifacts = load(a);
    const auto t1 = Clock::now();
    const Recommender r(std::move(artifacts), evaluator_exclusions);
    const auto t2 = Clock::now();
    std::printf(
        "artifacts %s: %lld users, %lld places, dim %d, index %s; open_artifacts %.3f s, "
        "Recommender %.3f s\n",
        a.artifacts.c_str(), static_cast<long long>(r.catalogue().n_users()),
        static_cast<long long>(r.catalogue().n_places()), r.artifacts().dim(),
        r.artifacts().index_source.c_str(), std::chrono::duration<double>(t1 - t0).count(),
        std::chrono::duration<double>(t2 - t1).count());
    for (const auto& [part, secs] : r.artifacts().load_seconds)
      std::printf("  open %s: %.3f s\n", part.c_str(), secs);
    const double rec = recall_at_k(r, a.k);
    std::printf("recall@%d, exclusions = training pairs (as recsys evaluate): %.6f", a.k, rec);
    if (reference >= 0)
      std::printf("  evaluate: %.6f  relative difference %+.3f%%", reference,
                  100.0 * (rec - reference) / reference);
    std::printf("\n");
  }
  double friend_reference = -1;
  if (!a.metrics.empty()) {
    std::ifstream in(a.metrics);
    const auto m = nlohmann::json::parse(in);
    friend_reference = m.value("friends.recall@" + std::to_string(a.k), -1.0);
  }
  for (double boost : {0.0, 0.1, 0.3, 1.0}) {
    RecommenderOptions o;
    o.same_city_boost = boost;
    const Recommender fr(load(a), o);
    std::printf("friends recall@%d, same_city_boost %.1f: %.6f (evaluate: %.6f)\n", a.k, boost,
                friend_recall_at_k(fr, a.k), friend_reference);
  }
  RecommenderOptions served;
  served.candidates.per_user = a.candidates;
  const auto t0 = Clock::now();
  const Recommender r(load(a), served);
  std::printf("Recommender as served (--candidates %d): %.3f s, candidate lists %.1f MB\n",
              a.candidates, std::chrono::duration<double>(Clock::now() - t0).count(),
              r.candidates() ? static_cast<double>(r.candidates()->bytes()) / 1e6 : 0.0);
  const double rec = recall_at_k(r, a.k);
  std::printf("recall@%d, exclusions = training + validation pairs (default): %.6f", a.k, rec);
  if (reference >= 0)
    std::printf("  relative to evaluate %+.3f%%", 100.0 * (rec - reference) / reference);
  std::printf("\n");
  const double diverse = recall_at_k(r, a.k, kDefaultDiversity);
  std::printf("recall@%d, default exclusions, diversity %.1f (the default): %.6f\n", a.k,
              kDefaultDiversity, diverse);

  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int32_t> pick(0, static_cast<int32_t>(r.catalogue().n_users() - 1));
  std::vector<int32_t> users(static_cast<size_t>(a.queries));
  for (auto& u : users) u = pick(rng);
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::vector<Config> configs = {
      {"index search only (k + |seen|, for reference)", 0, -1, 1},
      {"unfiltered, diversity 0", 0, 0, 1},
      {"unfiltered, diversity 0.2 (default)", kDefaultDiversity, 0, 1},
      {"filter: home city, diversity 0", 0, 1, 1},
      {"filter: home city + category, diversity 0", 0, 2, 1},
      {"unfiltered, diversity 0, " + std::to_string(hw) + " threads", 0, 0, hw},
  };
  std::vector<std::vector<RunResult>> results(configs.size());
  for (size_t i = 0; i < configs.size(); ++i) run_config(r, configs[i], users, a.k);  // warm-up
  for (int run = 0; run < a.runs; ++run)
    for (size_t i = 0; i < configs.size(); ++i)
      results[i].push_back(run_config(r, configs[i], users, a.k));
  std::printf("%d queries (top-%d) per run, %d runs, medians:\n", a.queries, a.k, a.runs);
  for (size_t i = 0; i < configs.size(); ++i) {
    std::vector<double> qps, p50, p99, cpu99;
    for (const auto& x : results[i])
      qps.push_back(x.qps), p50.push_back(x.p50_us), p99.push_back(x.p99_us),
          cpu99.push_back(x.cpu_p99_us);
    std::printf("  %-48s %9.0f queries/s  p50 %7.1f us  p99 %7.1f us  (CPU time p99 %7.1f us)\n",
                configs[i].name.c_str(), median(qps), median(p50), median(p99), median(cpu99));
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "recommend_bench: %s\n", e.what());
  return 1;
}

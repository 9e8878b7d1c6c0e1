// Retrieval benchmark: the place index of an embeddings folder against exact search.
// Queries are the users' own embeddings (the real query distribution), top-k places:
//   unfiltered; filtered by the user's home city; filtered by city + one price band (narrow).
// For each index type: build and load seconds, Recall@k against the exact top-k (same filter),
// queries/s on 1 and on 2 threads, p50 / p99 latency per query (1 thread). Every number is the
// median over --runs runs (build, save + load, and the query passes are all repeated).
// Usage: index_bench --embeddings EMB_DIR --graph GRAPH_DIR [--types flat,hnsw,ivf,auto]
//                    [--queries N] [--k N] [--runs N] [--ef-search N] [--nprobe N]
//                    [--hnsw-m N] [--ef-construction N] [--nlist N]
//                    [--exact-share X] [--exact-min-rows N]
//                    [--sweep-breadth B,B,...] [--sweep-share X,X,...]
//          (the sweeps re-measure each built index at every search breadth (HNSW ef / IVF
//           nprobe) and every exact_share: one group of table rows per combination)
//        index_bench --folder INDEX_DIR [--embeddings EMB_DIR] [--runs N]
//          (only the load time of a `recsys index` folder, checks included)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "recsys/export/embeddings_folder.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/index/index_folder.h"
#include "recsys/index/vector_index.h"

namespace {

namespace fs = std::filesystem;
using recsys::index::Hit;
using recsys::index::IndexKind;
using recsys::index::IndexParams;
using recsys::index::VectorIndex;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

template <typename T>
std::vector<T> split_list(const std::string& text, T (*parse)(const std::string&)) {
  std::vector<T> out;
  std::stringstream s(text);
  for (std::string item; std::getline(s, item, ',');) out.push_back(parse(item));
  return out;
}
int to_int(const std::string& s) {
  return std::stoi(s);
}
double to_double(const std::string& s) {
  return std::stod(s);
}
std::string to_text(const std::string& s) {
  return s;
}

struct Args {
  fs::path embeddings, graph, folder;
  std::vector<std::string> types = {"flat", "hnsw"};
  int queries = 2000, k = 20, runs = 3;
  std::optional<int> ef_search, nprobe, hnsw_m, ef_construction, nlist;
  std::optional<double> exact_share;
  std::optional<int64_t> exact_min_rows;
  std::vector<int> sweep_breadth;
  std::vector<double> sweep_share;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", flag.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (flag == "--embeddings") {
      a.embeddings = value();
    } else if (flag == "--graph") {
      a.graph = value();
    } else if (flag == "--folder") {
      a.folder = value();
    } else if (flag == "--types") {
      a.types = split_list<std::string>(value(), to_text);
    } else if (flag == "--queries") {
      a.queries = std::stoi(value());
    } else if (flag == "--k") {
      a.k = std::stoi(value());
    } else if (flag == "--runs") {
      a.runs = std::stoi(value());
    } else if (flag == "--ef-search") {
      a.ef_search = std::stoi(value());
    } else if (flag == "--nprobe") {
      a.nprobe = std::stoi(value());
    } else if (flag == "--hnsw-m") {
      a.hnsw_m = std::stoi(value());
    } else if (flag == "--ef-construction") {
      a.ef_construction = std::stoi(value());
    } else if (flag == "--nlist") {
      a.nlist = std::stoi(value());
    } else if (flag == "--exact-share") {
      a.exact_share = std::stod(value());
    } else if (flag == "--exact-min-rows") {
      a.exact_min_rows = std::stoll(value());
    } else if (flag == "--sweep-breadth") {
      a.sweep_breadth = split_list<int>(value(), to_int);
    } else if (flag == "--sweep-share") {
      a.sweep_share = split_list<double>(value(), to_double);
    } else {
      std::fprintf(stderr, "unknown flag %s (see the comment at the top of index_bench.cpp)\n",
                   flag.c_str());
      std::exit(2);
    }
  }
  if (a.folder.empty() && (a.embeddings.empty() || a.graph.empty())) {
    std::fprintf(stderr,
                 "usage: index_bench --embeddings EMB_DIR --graph GRAPH_DIR [...] | "
                 "index_bench --folder INDEX_DIR [--embeddings EMB_DIR]\n");
    std::exit(2);
  }
  return a;
}

// Per query: the allowed mask (nullptr: no filter) and its count.
struct Filter {
  std::string name;
  std::vector<const uint8_t*> mask;
  std::vector<int64_t> count;
};

struct Pass {
  std::vector<std::vector<Hit>> results;
  std::vector<double> latency_us;
  double qps = 0;
};

// All queries on `threads` threads (query i on thread i % threads).
Pass run_queries(const VectorIndex& index, const std::vector<const float*>& queries, int k,
                 const Filter& filter, int threads) {
  Pass p;
  const size_t n = queries.size();
  p.results.resize(n);
  p.latency_us.resize(n);
  const auto start = Clock::now();
  auto work = [&](int t) {
    for (size_t i = static_cast<size_t>(t); i < n; i += static_cast<size_t>(threads)) {
      const auto q0 = Clock::now();
      p.results[i] = index.search(queries[i], k, filter.mask[i], filter.count[i]);
      p.latency_us[i] = seconds_since(q0) * 1e6;
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
    for (auto& t : pool) t.join();
  }
  p.qps = static_cast<double>(n) / seconds_since(start);
  return p;
}

// Mean Recall@k against the exact results; counts disallowed rows and results shorter than
// min(k, allowed rows).
double recall(const std::vector<std::vector<Hit>>& got, const std::vector<std::vector<Hit>>& truth,
              const Filter& filter, int k, int64_t* violations, int64_t* short_results) {
  double sum = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    std::set<int32_t> t;
    for (const Hit& h : truth[i]) t.insert(h.row);
    int found = 0;
    for (const Hit& h : got[i]) {
      found += t.count(h.row) > 0;
      if (filter.mask[i] && !filter.mask[i][h.row]) ++*violations;
    }
    if (static_cast<int64_t>(got[i].size()) != std::min<int64_t>(k, filter.count[i]))
      ++*short_results;
    sum +=
        truth[i].empty() ? 1.0 : static_cast<double>(found) / static_cast<double>(truth[i].size());
  }
  return got.empty() ? 0 : sum / static_cast<double>(got.size());
}

// The load time of an index folder (read_index_folder: manifest, sizes, checksums, both
// indices, and the embeddings check when given).
int time_folder_load(const Args& args) {
  std::optional<recsys::exporter::EmbeddingsFolder> emb;
  if (!args.embeddings.empty()) emb = recsys::exporter::read_embeddings_folder(args.embeddings);
  std::vector<double> seconds;
  int64_t places = 0, users = 0;
  for (int run = 0; run < args.runs; ++run) {
    const auto t = Clock::now();
    const auto f = recsys::index::read_index_folder(args.folder, emb ? &*emb : nullptr);
    seconds.push_back(seconds_since(t));
    places = f.places.rows();
    users = f.users.rows();
  }
  std::printf("index folder %s (%lld places, %lld users): load %.4f s (median of %d%s)\n",
              args.folder.c_str(), static_cast<long long>(places), static_cast<long long>(users),
              median(seconds), args.runs, emb ? ", checked against the embeddings" : "");
  return 0;
}

std::string describe(const IndexParams& q) {
  std::string text = q.kind == IndexKind::kHnsw ? "M " + std::to_string(q.hnsw_m) + ", efC " +
                                                      std::to_string(q.ef_construction) + ", ef " +
                                                      std::to_string(q.ef_search)
                     : q.kind == IndexKind::kIvf ? "nlist " + std::to_string(q.nlist) +
                                                       ", nprobe " + std::to_string(q.nprobe)
                                                 : std::string("-");
  char limits[96];
  std::snprintf(limits, sizeof limits, "; exact if <= max(%lld, %.2f x rows)",
                static_cast<long long>(q.exact_min_rows), q.exact_share);
  return text + limits;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  if (!args.folder.empty()) return time_folder_load(args);

  const auto emb = recsys::exporter::read_embeddings_folder(args.embeddings);
  const auto graph = recsys::graph::GraphArtifact::open(args.graph);
  const int dim = static_cast<int>(emb.dim);
  const auto n_places = static_cast<int64_t>(emb.place_ids.size());
  const auto n_users = static_cast<int64_t>(emb.user_ids.size());
  if (graph.n_places() != n_places || graph.n_users() != n_users) {
    std::fprintf(stderr, "graph %s has %lld places / %lld users, the embeddings %lld / %lld\n",
                 args.graph.c_str(), static_cast<long long>(graph.n_places()),
                 static_cast<long long>(graph.n_users()), static_cast<long long>(n_places),
                 static_cast<long long>(n_users));
    return 1;
  }
  const auto place_city = graph.array<int32_t>("place.city");
  const auto place_band = graph.array<int32_t>("place.price_band");
  const auto home_city = graph.array<int32_t>("user.home_city");

  // Query users: a fixed random sample of the users with a known home city.
  std::vector<int64_t> users;
  for (int64_t u = 0; u < n_users; ++u)
    if (home_city[u] >= 0) users.push_back(u);
  std::mt19937_64 rng(42);
  std::shuffle(users.begin(), users.end(), rng);
  if (static_cast<int64_t>(users.size()) > args.queries) users.resize(args.queries);
  std::vector<const float*> queries;
  for (int64_t u : users) queries.push_back(emb.users.data() + u * dim);

  // Masks per city and per (city, price band), with their counts.
  std::map<int32_t, std::vector<uint8_t>> city_mask;
  std::map<std::pair<int32_t, int32_t>, std::vector<uint8_t>> band_mask;
  int32_t max_band = 0;
  for (int64_t p = 0; p < n_places; ++p) {
    max_band = std::max(max_band, place_band[p]);
    auto& c = city_mask[place_city[p]];
    if (c.empty()) c.assign(static_cast<size_t>(n_places), 0);
    c[p] = 1;
    auto& b = band_mask[{place_city[p], place_band[p]}];
    if (b.empty()) b.assign(static_cast<size_t>(n_places), 0);
    b[p] = 1;
  }
  std::map<const uint8_t*, int64_t> mask_count;
  for (auto& [key, m] : city_mask) mask_count[m.data()] = std::count(m.begin(), m.end(), 1);
  for (auto& [key, m] : band_mask) mask_count[m.data()] = std::count(m.begin(), m.end(), 1);
  const std::vector<uint8_t> none(static_cast<size_t>(n_places), 0);
  mask_count[none.data()] = 0;

  std::vector<Filter> filters(3);
  filters[0].name = "unfiltered";
  filters[1].name = "city";
  filters[2].name = "city+price";
  for (size_t i = 0; i < users.size(); ++i) {
    const int32_t city = home_city[users[i]];
    filters[0].mask.push_back(nullptr);
    filters[0].count.push_back(n_places);
    const auto cit = city_mask.find(city);
    const uint8_t* cm = cit == city_mask.end() ? none.data() : cit->second.data();
    filters[1].mask.push_back(cm);
    filters[1].count.push_back(mask_count[cm]);
    // The price band: round robin over the band values, per query.
    const auto band = static_cast<int32_t>(i % static_cast<size_t>(max_band + 1));
    const auto bit = band_mask.find({city, band});
    const uint8_t* bm = bit == band_mask.end() ? none.data() : bit->second.data();
    filters[2].mask.push_back(bm);
    filters[2].count.push_back(mask_count[bm]);
  }
  double mean_allowed[3] = {0, 0, 0};
  for (size_t f = 0; f < 3; ++f) {
    for (int64_t c : filters[f].count) mean_allowed[f] += static_cast<double>(c);
    mean_allowed[f] /= static_cast<double>(std::max<size_t>(users.size(), 1));
  }
  std::printf(
      "# %lld places, %lld users, dim %d, %zu queries (users' own embeddings), k = %d, runs = %d "
      "(medians)\n# mean allowed places per query: city %.0f, city+price %.0f\n",
      static_cast<long long>(n_places), static_cast<long long>(n_users), dim, users.size(), args.k,
      args.runs, mean_allowed[1], mean_allowed[2]);

  // The reference: the exact top-k of every query under every filter.
  IndexParams exact_params;
  exact_params.kind = IndexKind::kFlat;
  const VectorIndex exact = VectorIndex::build(emb.places.data(), n_places, dim, exact_params);
  std::vector<std::vector<std::vector<Hit>>> truth(3);
  for (size_t f = 0; f < 3; ++f)
    truth[f] = run_queries(exact, queries, args.k, filters[f], 1).results;

  std::printf(
      "| index | params | build s | load s | filter | Recall@%d | q/s 1 thread | q/s 2 threads "
      "| p50 us | p99 us |\n|---|---|---|---|---|---|---|---|---|---|\n",
      args.k);
  const fs::path file =
      fs::temp_directory_path() / ("recsys-index-bench-" + std::to_string(::getpid()) + ".index");
  for (const std::string& type : args.types) {
    IndexParams p = type == "auto" ? recsys::index::auto_params(n_places, dim) : IndexParams{};
    if (type != "auto") p.kind = recsys::index::parse_index_kind(type);
    if (args.ef_search) p.ef_search = *args.ef_search;
    if (args.nprobe) p.nprobe = *args.nprobe;
    if (args.hnsw_m) p.hnsw_m = *args.hnsw_m;
    if (args.ef_construction) p.ef_construction = *args.ef_construction;
    if (args.nlist) p.nlist = *args.nlist;
    if (args.exact_share) p.exact_share = *args.exact_share;
    if (args.exact_min_rows) p.exact_min_rows = *args.exact_min_rows;

    std::vector<int> breadths = args.sweep_breadth;
    if (breadths.empty()) breadths.push_back(0);  // 0: the index's own
    std::vector<double> shares = args.sweep_share;
    if (shares.empty()) shares.push_back(p.exact_share);
    const size_t configs = breadths.size() * shares.size();
    // [config][filter][run]
    using Series = std::vector<std::vector<std::vector<double>>>;
    const Series empty(configs, std::vector<std::vector<double>>(3));
    Series qps1 = empty, qps2 = empty, p50 = empty, p99 = empty, rec = empty;
    std::vector<std::string> text(configs);
    std::vector<double> build_s, load_s;
    int64_t violations = 0, short_results = 0;
    for (int run = 0; run < args.runs; ++run) {
      auto t = Clock::now();
      const VectorIndex built = VectorIndex::build(emb.places.data(), n_places, dim, p);
      build_s.push_back(seconds_since(t));
      built.save(file);
      t = Clock::now();
      VectorIndex index = VectorIndex::load(file);
      load_s.push_back(seconds_since(t));
      const IndexParams own = index.params();
      for (size_t c = 0; c < configs; ++c) {
        const int b = breadths[c / shares.size()];
        if (b > 0)
          index.set_search_breadth(own.kind == IndexKind::kHnsw ? b : own.ef_search,
                                   own.kind == IndexKind::kIvf ? b : own.nprobe);
        index.set_exact_limits(shares[c % shares.size()], own.exact_min_rows);
        text[c] = describe(index.params());
        for (size_t f = 0; f < 3; ++f) {
          const Pass one = run_queries(index, queries, args.k, filters[f], 1);
          const Pass two = run_queries(index, queries, args.k, filters[f], 2);
          qps1[c][f].push_back(one.qps);
          qps2[c][f].push_back(two.qps);
          p50[c][f].push_back(percentile(one.latency_us, 0.5));
          p99[c][f].push_back(percentile(one.latency_us, 0.99));
          rec[c][f].push_back(
              recall(one.results, truth[f], filters[f], args.k, &violations, &short_results));
          recall(two.results, truth[f], filters[f], args.k, &violations, &short_results);
        }
      }
    }
    fs::remove(file);
    for (size_t c = 0; c < configs; ++c)
      for (size_t f = 0; f < 3; ++f)
        std::printf("| %s | %s | %.2f | %.3f | %s | %.4f | %.0f | %.0f | %.0f | %.0f |\n",
                    recsys::index::to_string(p.kind).c_str(), text[c].c_str(), median(build_s),
                    median(load_s), filters[f].name.c_str(), median(rec[c][f]), median(qps1[c][f]),
                    median(qps2[c][f]), median(p50[c][f]), median(p99[c][f]));
    if (violations || short_results)
      std::printf("| %s | ERROR: %lld disallowed rows returned, %lld short results |\n",
                  type.c_str(), static_cast<long long>(violations),
                  static_cast<long long>(short_results));
    std::fflush(stdout);
  }
  return 0;
}

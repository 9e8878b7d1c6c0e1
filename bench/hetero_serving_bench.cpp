// Latency of serving the `hetero` model without LibTorch (src/recsys/model/hetero_serving.h):
// the time to open the serving files, and the median time of one embed_user (a new user from a
// profile: home city + neighborhood, 3 interest categories, 5 liked places, 3 friends; and a
// known user from its graph row) and of one attendance_probability, single-threaded.
// Each sample is the mean of `--batch` calls; the median over `--samples` samples is printed.
// Usage: hetero_serving_bench --model DIR --graph DIR [--samples N] [--batch N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "recsys/graph/graph_artifact.h"
#include "recsys/model/hetero_serving.h"
#include "recsys/model/npy_file.h"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median over `samples` of the mean microseconds of `batch` calls of f(i).
template <typename F>
double median_us(int samples, int batch, F&& f) {
  std::vector<double> t;
  int i = 0;
  for (int s = 0; s < samples; ++s) {
    const auto start = Clock::now();
    for (int b = 0; b < batch; ++b) f(i++);
    t.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count() / batch);
  }
  return median(t);
}

}  // namespace

int main(int argc, char** argv) {
  std::string model, graph_dir;
  int samples = 201, batch = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--model"))
      model = argv[i + 1];
    else if (!std::strcmp(argv[i], "--graph"))
      graph_dir = argv[i + 1];
    else if (!std::strcmp(argv[i], "--samples"))
      samples = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--batch"))
      batch = std::atoi(argv[i + 1]);
  }
  if (model.empty() || graph_dir.empty() || samples < 1 || batch < 1) {
    std::fprintf(stderr,
                 "usage: hetero_serving_bench --model DIR --graph DIR [--samples N] [--batch N]\n");
    return 2;
  }
  try {
    const auto g = recsys::graph::GraphArtifact::open(graph_dir);
    const auto t0 = Clock::now();
    const auto serving = recsys::model::HeteroServing::open(model, g);
    const double open_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();

    std::mt19937_64 rng(7);
    const auto pick = [&](int64_t n) {
      return static_cast<int32_t>(rng() % static_cast<uint64_t>(n));
    };
    std::vector<recsys::model::NewUserProfile> profiles(64);
    for (auto& p : profiles) {
      const auto known = serving->graph_profile(pick(g.n_users()));
      p.home_city = known.home_city;
      p.home_neighborhood = known.home_neighborhood;
      for (int k = 0; k < 3; ++k) p.interest_categories.push_back(pick(g.n_nodes("category")));
      for (int k = 0; k < 5; ++k) p.places.push_back(pick(g.n_places()));
      for (int k = 0; k < 3; ++k) p.friends.push_back(pick(g.n_users()));
    }
    std::vector<recsys::model::NewUserProfile> known(64);
    std::vector<int32_t> known_ids(64);
    for (size_t k = 0; k < known.size(); ++k) {
      known_ids[k] = pick(g.n_users());
      known[k] = serving->graph_profile(known_ids[k]);
    }
    std::vector<std::vector<float>> emb;
    for (const auto& p : profiles) emb.push_back(serving->embed_user(p));

    // Agreement with the exported embeddings (the graph's training neighbours are the model's
    // when it validated on the graph's valid split).
    double max_diff = 0;
    if (std::filesystem::exists(std::filesystem::path(model) / "user_embeddings.npy")) {
      std::vector<int64_t> shape;
      const auto exported =
          recsys::model::read_npy_f32(std::filesystem::path(model) / "user_embeddings.npy", &shape);
      for (int32_t u = 0; u < g.n_users(); u += 50) {
        const auto e = serving->embed_user(u, serving->graph_profile(u));
        double diff = 0, scale = 1e-3;
        for (int64_t k = 0; k < shape[1]; ++k) {
          const float x = exported[static_cast<size_t>(u * shape[1] + k)];
          diff = std::max(diff, static_cast<double>(std::abs(e[static_cast<size_t>(k)] - x)));
          scale = std::max(scale, static_cast<double>(std::abs(x)));
        }
        max_diff = std::max(max_diff, diff / scale);
      }
    }
    volatile float sink = 0;
    const double new_us = median_us(samples, batch, [&](int i) {
      sink = sink + serving->embed_user(profiles[static_cast<size_t>(i) % profiles.size()])[0];
    });
    const double known_us = median_us(samples, batch, [&](int i) {
      const size_t k = static_cast<size_t>(i) % known.size();
      sink = sink + serving->embed_user(known_ids[k], known[k])[0];
    });
    const double attend_us = median_us(samples, batch * 10, [&](int i) {
      const size_t a = static_cast<size_t>(i) % emb.size(),
                   b = static_cast<size_t>(i * 7 + 3) % emb.size();
      sink = sink + serving->attendance_probability(emb[a].data(), emb[b].data());
    });
    std::printf("hetero serving: dim %d, input %d columns, open %.1f ms\n", serving->dim(),
                serving->input_cols(), open_ms);
    std::printf(
        "known users (every 50th) vs the exported embeddings: max relative difference %.2e\n",
        max_diff);
    std::printf("embed_user (new user profile): median %.2f us\n", new_us);
    std::printf("embed_user (known user, graph row): median %.2f us\n", known_us);
    std::printf("attendance_probability: median %.3f us\n", attend_us);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hetero_serving_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}

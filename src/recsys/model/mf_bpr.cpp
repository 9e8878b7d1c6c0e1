#include "recsys/model/mf_bpr.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/random_stream.h"
#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/top_k_evaluator.h"
#include "recsys/model/holdout_split.h"

namespace recsys::model {
namespace {

// A uniform draw in [0, n) from a hash key.
inline int64_t draw(uint64_t key, int64_t n) {
  return static_cast<int64_t>(mix64(key) % static_cast<uint64_t>(n));
}
inline uint64_t key_of(uint64_t seed, uint64_t a, uint64_t b) {
  return mix64(mix64(seed ^ 0x6d662d627072ULL) + a * 0x9e3779b97f4a7c15ULL) + b;
}

class Adam {
 public:
  Adam(size_t size, double lr) : m_(size, 0.0f), v_(size, 0.0f), lr_(static_cast<float>(lr)) {}
  void next_step() {
    ++t_;
    c1_ = 1.0f - std::pow(kBeta1, static_cast<float>(t_));
    c2_ = 1.0f - std::pow(kBeta2, static_cast<float>(t_));
  }
  // Updates w[0..dim) at row offset `at` with gradient g.
  void update(float* w, const float* g, size_t at, int64_t dim) {
    float* m = m_.data() + at;
    float* v = v_.data() + at;
    for (int64_t k = 0; k < dim; ++k) {
      m[k] = kBeta1 * m[k] + (1 - kBeta1) * g[k];
      v[k] = kBeta2 * v[k] + (1 - kBeta2) * g[k] * g[k];
      w[k] -= lr_ * (m[k] / c1_) / (std::sqrt(v[k] / c2_) + kEps);
    }
  }

 private:
  static constexpr float kBeta1 = 0.9f, kBeta2 = 0.999f, kEps = 1e-8f;
  std::vector<float> m_, v_;
  float lr_;
  int64_t t_ = 0;
  float c1_ = 1, c2_ = 1;
};

bool contains(std::span<const int32_t> sorted, int32_t item) {
  return std::binary_search(sorted.begin(), sorted.end(), item);
}

}  // namespace

MfBprResult train_mf_bpr(const eval::UserItemLists& train_in, const eval::UserItemLists& valid_in,
                         int64_t n_users, int64_t n_items, const MfBprConfig& config,
                         uint64_t seed) {
  if (train_in.max_item() >= n_items || valid_in.max_item() >= n_items)
    throw InvalidArgument(fmt::format("mf-bpr: an item id is >= the number of places {}", n_items));
  if (train_in.n_users() > n_users)
    throw InvalidArgument(
        fmt::format("mf-bpr: {} user rows for {} users", train_in.n_users(), n_users));
  MfBprResult result;
  const TrainValidSplit split = valid_in.n_entries() > 0
                                    ? TrainValidSplit{train_in, valid_in, "graph valid split"}
                                    : hold_out(train_in, n_users, config.holdout_fraction, seed);
  result.validation = split.validation;
  const auto& train = split.train;
  const auto& valid = split.valid;
  if (valid.n_entries() == 0)
    log_warning("mf-bpr: no validation pairs (no user has 3 training places): no early stopping");
  result.training_pairs = train.n_entries();
  result.validation_pairs = valid.n_entries();
  if (train.n_entries() == 0) throw InvalidArgument("mf-bpr: no training pairs");
  std::vector<int32_t> pair_user(static_cast<size_t>(train.n_entries()));
  for (int64_t u = 0; u < train.n_users(); ++u)
    for (int64_t e = train.offsets()[static_cast<size_t>(u)];
         e < train.offsets()[static_cast<size_t>(u) + 1]; ++e)
      pair_user[static_cast<size_t>(e)] = static_cast<int32_t>(u);

  const int64_t d = config.dim;
  result.n_users = n_users;
  result.n_items = n_items;
  result.dim = d;
  std::vector<float> users(static_cast<size_t>(n_users * d)),
      items(static_cast<size_t>(n_items * d));
  {
    RandomStream init(seed, StreamKind::User, 0x6d66ULL);
    for (float& x : users) x = static_cast<float>(init.normal(0.0, config.init_std));
    for (float& x : items) x = static_cast<float>(init.normal(0.0, config.init_std));
  }
  Adam user_adam(users.size(), config.learning_rate), item_adam(items.size(), config.learning_rate);
  std::vector<float> user_grad(users.size(), 0.0f), item_grad(items.size(), 0.0f);
  std::vector<uint8_t> user_touched(static_cast<size_t>(n_users), 0),
      item_touched(static_cast<size_t>(n_items), 0);
  std::vector<int32_t> touched_users, touched_items;

  const int64_t batch = config.batch_size;
  const int64_t n_samples = train.n_entries();
  const float l2 = static_cast<float>(config.l2);
  std::vector<int32_t> su(static_cast<size_t>(batch)), si(static_cast<size_t>(batch)),
      sj(static_cast<size_t>(batch));
  std::vector<float> sg(static_cast<size_t>(batch * 3 * d));
  std::vector<double> sloss(static_cast<size_t>(batch));

  eval::TopKEvaluationOptions valid_options;
  valid_options.ks = {20};
  double best = -1;
  int since_best = 0;
  std::vector<float> best_users = users, best_items = items;

  for (int epoch = 1; epoch <= config.max_epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    double epoch_loss = 0;
    int64_t epoch_triples = 0;
    for (int64_t b0 = 0; b0 < n_samples; b0 += batch) {
      const int64_t nb = std::min(batch, n_samples - b0);
#pragma omp parallel for schedule(static)
      for (int64_t s = 0; s < nb; ++s) {
        const uint64_t key =
            key_of(seed, static_cast<uint64_t>(epoch), static_cast<uint64_t>(b0 + s));
        const int64_t pair = draw(key, n_samples);
        const int32_t u = pair_user[static_cast<size_t>(pair)];
        const int32_t i = train.items()[static_cast<size_t>(pair)];
        const auto row = train.items_of(u);
        int32_t j = -1;
        if (static_cast<int64_t>(row.size()) < n_items) {
          for (uint64_t attempt = 1; attempt <= 1000; ++attempt) {
            const auto cand =
                static_cast<int32_t>(draw(key + attempt * 0x632be59bd9b4e019ULL, n_items));
            if (!contains(row, cand)) {
              j = cand;
              break;
            }
          }
        }
        su[static_cast<size_t>(s)] = u;
        si[static_cast<size_t>(s)] = i;
        sj[static_cast<size_t>(s)] = j;
        float* g = sg.data() + s * 3 * d;
        if (j < 0) {
          std::fill(g, g + 3 * d, 0.0f);
          sloss[static_cast<size_t>(s)] = 0;
          continue;
        }
        const float* eu = users.data() + u * d;
        const float* ei = items.data() + static_cast<int64_t>(i) * d;
        const float* ej = items.data() + static_cast<int64_t>(j) * d;
        float x = 0;
        for (int64_t k = 0; k < d; ++k) x += eu[k] * (ei[k] - ej[k]);
        // d/dx of -log sigmoid(x) = -sigmoid(-x); mean over the batch.
        const float sig_neg = 1.0f / (1.0f + std::exp(x));
        const float c = -sig_neg / static_cast<float>(nb);
        const float r = l2 / static_cast<float>(nb);
        for (int64_t k = 0; k < d; ++k) {
          g[k] = c * (ei[k] - ej[k]) + r * eu[k];
          g[d + k] = c * eu[k] + r * ei[k];
          g[2 * d + k] = -c * eu[k] + r * ej[k];
        }
        sloss[static_cast<size_t>(s)] = x > 0 ? std::log1p(std::exp(-static_cast<double>(x)))
                                              : -x + std::log1p(std::exp(static_cast<double>(x)));
      }
      // Sum in sample order (deterministic), then Adam on the touched rows.
      touched_users.clear();
      touched_items.clear();
      for (int64_t s = 0; s < nb; ++s) {
        const int32_t j = sj[static_cast<size_t>(s)];
        if (j < 0) continue;
        const int32_t u = su[static_cast<size_t>(s)], i = si[static_cast<size_t>(s)];
        epoch_loss += sloss[static_cast<size_t>(s)];
        ++epoch_triples;
        const float* g = sg.data() + s * 3 * d;
        auto add = [&](std::vector<float>& grad, std::vector<uint8_t>& flag,
                       std::vector<int32_t>& list, int32_t row, const float* src) {
          if (!flag[static_cast<size_t>(row)]) {
            flag[static_cast<size_t>(row)] = 1;
            list.push_back(row);
          }
          float* dst = grad.data() + static_cast<int64_t>(row) * d;
          for (int64_t k = 0; k < d; ++k) dst[k] += src[k];
        };
        add(user_grad, user_touched, touched_users, u, g);
        add(item_grad, item_touched, touched_items, i, g + d);
        add(item_grad, item_touched, touched_items, j, g + 2 * d);
      }
      user_adam.next_step();
      item_adam.next_step();
      auto apply = [&](Adam& adam, std::vector<float>& w, std::vector<float>& grad,
                       std::vector<uint8_t>& flag, const std::vector<int32_t>& list) {
        const auto n = static_cast<int64_t>(list.size());
#pragma omp parallel for schedule(static)
        for (int64_t t = 0; t < n; ++t) {
          const size_t at =
              static_cast<size_t>(list[static_cast<size_t>(t)]) * static_cast<size_t>(d);
          adam.update(w.data() + at, grad.data() + at, at, d);
          std::fill(grad.begin() + static_cast<ptrdiff_t>(at),
                    grad.begin() + static_cast<ptrdiff_t>(at) + d, 0.0f);
          flag[static_cast<size_t>(list[static_cast<size_t>(t)])] = 0;
        }
      };
      apply(user_adam, users, user_grad, user_touched, touched_users);
      apply(item_adam, items, item_grad, item_touched, touched_items);
    }
    result.epochs_run = epoch;
    const double loss = epoch_triples ? epoch_loss / static_cast<double>(epoch_triples) : 0.0;
    const double train_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (epoch % config.eval_every != 0 && epoch != config.max_epochs) {
      log_info(fmt::format("mf-bpr epoch {}/{}: loss {:.4f}, {:.2f} s", epoch, config.max_epochs,
                           loss, train_seconds));
      continue;
    }
    double recall = 0;
    if (valid.n_entries() > 0) {
      const eval::DotProductScorer scorer(users, n_users, items, n_items, d);
      const auto metrics = eval::evaluate_top_k(scorer, train, valid, valid_options);
      recall = metrics.at("recall@20");
    }
    result.curve.push_back({{"epoch", epoch},
                            {"loss", loss},
                            {"valid_recall@20", recall},
                            {"train_seconds", train_seconds}});
    // Without validation pairs (every user has < 3 training places) there is nothing to stop
    // on: the last epoch is kept.
    const bool improved = valid.n_entries() == 0 || recall > best;
    if (improved) {
      best = recall;
      best_users = users;
      best_items = items;
      result.best_epoch = epoch;
      since_best = 0;
    } else {
      ++since_best;
    }
    log_info(fmt::format(
        "mf-bpr epoch {}/{}: loss {:.4f}, valid recall@20 {:.4f} (best {:.4f} at "
        "epoch {}), {:.2f} s",
        epoch, config.max_epochs, loss, recall, best, result.best_epoch, train_seconds));
    if (since_best >= config.patience) {
      log_info(fmt::format("mf-bpr: early stop after epoch {} ({} checks without improvement)",
                           epoch, config.patience));
      break;
    }
  }
  result.best_valid_recall = best;
  result.user_embeddings = std::move(best_users);
  result.item_embeddings = std::move(best_items);
  return result;
}

}  // namespace recsys::model

// `recsys train --model hetero`: the feature-aware heterogeneous GNN of hetero_network.h trained
// jointly on three heads, Adam, early stopping on validation Recall@20:
//  - places: sampled softmax over a shared pool (the batch's positives, one same-city place per
//    sample, `negatives` places drawn uniformly / by training degree) with the logQ correction
//    (each logit minus the log of the place's expected count in the pool), so that it estimates
//    the full softmax over places. The sample's own place is removed from the user's bags (no
//    target leakage) and `cold_start_dropout` of the users see no training places at all.
//  - friends: the same over users on training friendships (pool: positives, same-city users,
//    uniform users; the pair's own edge removed from the friend bags).
//  - attendance: binary cross-entropy of the attendance MLP against the train friend labels'
//    attendance probability.
// Writes user / place embeddings (scorer "embeddings"), the weights (torch::save, and as
// hetero_params.{json,bin} for serving without LibTorch: hetero_params.h), the input
// description and feature statistics serving needs, and training_curve.json; checkpoints every
// epoch under the checkpoint folder and resumes from it.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <vector>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/eval/dot_product_scorer.h"
#include "recsys/eval/top_k_evaluator.h"
#include "recsys/model/gnn/checkpoint.h"
#include "recsys/model/gnn/distributed.h"
#include "recsys/model/gnn/embedding_validation.h"
#include "recsys/model/gnn/hetero_config.h"
#include "recsys/model/gnn/hetero_network.h"
#include "recsys/model/gnn/torch_threads.h"
#include "recsys/model/gnn/training_log.h"
#include "recsys/model/graph_lists.h"
#include "recsys/model/hetero_inputs.h"
#include "recsys/model/hetero_params.h"
#include "recsys/model/holdout_split.h"
#include "recsys/model/model_files.h"
#include "recsys/model/model_registry.h"
#include "recsys/model/neighbour_sampler.h"

namespace recsys::model::gnn {
namespace {

using Clock = std::chrono::steady_clock;

torch::Tensor to_tensor(const std::vector<int64_t>& v) {
  return torch::from_blob(const_cast<int64_t*>(v.data()), {static_cast<int64_t>(v.size())},
                          torch::kInt64)
      .clone();
}

torch::Tensor ids_tensor(const int32_t* ids, int64_t n) {
  return torch::from_blob(const_cast<int32_t*>(ids), {n}, torch::kInt32).to(torch::kInt64);
}

// Everything the network needs that does not change during training, as tensors.
struct Tensors {
  torch::Tensor place_x, place_nbhd, place_city, user_city, user_home;
};

Tensors make_tensors(const HeteroInputs& in) {
  Tensors t;
  const int64_t pc = std::max<int32_t>(in.place_cols, 1);
  t.place_x = in.place_cols > 0 ? torch::from_blob(const_cast<float*>(in.place_x.data()),
                                                   {in.n_places, pc}, torch::kFloat32)
                                      .clone()
                                : torch::zeros({in.n_places, 1});
  t.place_nbhd = ids_tensor(in.place_neighborhood.data(), in.n_places);
  t.place_city = ids_tensor(in.place_city.data(), in.n_places);
  t.user_city = ids_tensor(in.user_city.data(), in.n_users);
  t.user_home = ids_tensor(in.user_home_neighborhood.data(), in.n_users);
  return t;
}

// `fanout` > 0 (hetero.max_neighbours, with `rng`): place and friend bags of at most that many
// neighbours, sampled (neighbour_sampler.h); the dense place mean is over the same sample.
UserBatch user_batch(const HeteroInputs& in, const Tensors& t, const std::vector<int32_t>& users,
                     const int32_t* exclude_place, const int32_t* exclude_friend,
                     const uint8_t* drop, int64_t fanout = 0, std::mt19937_64* rng = nullptr) {
  const auto n = static_cast<int64_t>(users.size());
  const bool sampled = fanout > 0 && rng;
  UserBatch b;
  b.dense = torch::empty({n, std::max<int64_t>(in.user_input_cols(), 1)});
  auto pb = sampled ? sample_bags(in.user_places, users.data(), n, exclude_place, drop, fanout, *rng)
                    : make_bags(in.user_places, users.data(), n, exclude_place, drop);
  if (in.user_input_cols() > 0)  // the dense place mean over the same bag
    user_dense_rows_from_bags(in, users.data(), pb, n, b.dense.data_ptr<float>());
  b.place_idx = to_tensor(pb.indices);
  b.place_off = to_tensor(pb.offsets);
  auto fb = sampled ? sample_bags(in.user_friends, users.data(), n, exclude_friend, nullptr, fanout,
                                  *rng)
                    : make_bags(in.user_friends, users.data(), n, exclude_friend, nullptr);
  b.friend_idx = to_tensor(fb.indices);
  b.friend_off = to_tensor(fb.offsets);
  auto nb = make_bags(in.user_neighborhoods, users.data(), n, nullptr, nullptr);
  b.nbhd_idx = to_tensor(nb.indices);
  b.nbhd_off = to_tensor(nb.offsets);
  const auto ids = ids_tensor(users.data(), n);
  b.city = t.user_city.index_select(0, ids);
  b.home = t.user_home.index_select(0, ids);
  return b;
}

torch::Tensor place_vectors(HeteroNet& net, const Tensors& t, const torch::Tensor& ids) {
  return net->places(ids, t.place_x.index_select(0, ids), t.place_nbhd.index_select(0, ids),
                     t.place_city.index_select(0, ids));
}

// All users' [h, s] and all places' [h, 0] embeddings, row-major, computed in blocks of 4096
// rows from full bags. With `only` (sorted ids), only those users' rows (the rest stay zero).
void embed_all(HeteroNet& net, const HeteroInputs& in, const Tensors& t, std::vector<float>& users,
               std::vector<float>& places, const std::vector<int32_t>* only = nullptr) {
  torch::NoGradGuard no_grad;
  const int64_t d = net->shape().place_part(), full = d + net->shape().social_dim;
  users.assign(static_cast<size_t>(in.n_users * full), 0.0f);
  places.assign(static_cast<size_t>(in.n_places * full), 0.0f);
  constexpr int64_t kChunk = 4096;
  const auto n_rows = only ? static_cast<int64_t>(only->size()) : in.n_users;
  for (int64_t b0 = 0; b0 < n_rows; b0 += kChunk) {
    std::vector<int32_t> ids(static_cast<size_t>(std::min(kChunk, n_rows - b0)));
    if (only)
      std::copy_n(only->begin() + b0, ids.size(), ids.begin());
    else
      std::iota(ids.begin(), ids.end(), static_cast<int32_t>(b0));
    auto u = net->users(user_batch(in, t, ids, nullptr, nullptr, nullptr)).contiguous();
    const float* src = u.data_ptr<float>();
    for (size_t i = 0; i < ids.size(); ++i)
      std::copy_n(src + static_cast<int64_t>(i) * full, full,
                  users.data() + static_cast<int64_t>(ids[i]) * full);
  }
  for (int64_t b0 = 0; b0 < in.n_places; b0 += kChunk) {
    const int64_t n = std::min(kChunk, in.n_places - b0);
    auto p = place_vectors(net, t, torch::arange(b0, b0 + n, torch::kInt64)).contiguous();
    const float* src = p.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i) std::copy_n(src + i * d, d, places.data() + (b0 + i) * full);
  }
}

// The first `d` columns of a row-major [rows, full] matrix.
std::vector<float> leading_columns(const std::vector<float>& m, int64_t rows, int64_t full,
                                   int64_t d) {
  std::vector<float> out(static_cast<size_t>(rows * d));
  for (int64_t r = 0; r < rows; ++r)
    std::copy_n(m.data() + r * full, d, out.data() + r * d);
  return out;
}

// Sampled softmax with logQ correction: rows score against every pool column, the label of row
// i is column i; columns holding row i's own target elsewhere (or `self[i]`) are masked.
torch::Tensor sampled_softmax(const torch::Tensor& rows, const torch::Tensor& pool,
                              const torch::Tensor& pool_ids, const torch::Tensor& target_ids,
                              const torch::Tensor& log_count, const torch::Tensor* self_ids) {
  const int64_t b = rows.size(0);
  auto logits = torch::matmul(rows, pool.t()) - log_count.unsqueeze(0);
  auto same = pool_ids.unsqueeze(0) == target_ids.unsqueeze(1);
  auto label_col = torch::zeros_like(same);
  label_col.narrow(1, 0, b).diagonal().fill_(true);
  auto mask = same & ~label_col;
  if (self_ids) mask = mask | (pool_ids.unsqueeze(0) == self_ids->unsqueeze(1));
  logits = logits.masked_fill(mask, -1e9);
  return torch::nn::functional::cross_entropy(logits, torch::arange(b, torch::kInt64));
}

struct FriendLabels {
  std::vector<int32_t> a, b;
  std::vector<int8_t> label;
  std::vector<float> probability;
};

FriendLabels friend_labels(const graph::GraphArtifact& g, int8_t split) {
  FriendLabels f;
  if (!g.has("friend_labels.user_a")) return f;
  const auto a = g.array<int32_t>("friend_labels.user_a");
  const auto b = g.array<int32_t>("friend_labels.user_b");
  const auto l = g.array<int8_t>("friend_labels.label");
  const auto p = g.array<float>("friend_labels.attend_probability");
  const auto s = g.array<int8_t>("friend_labels.split");
  for (size_t i = 0; i < a.size(); ++i) {
    if (s[i] != split) continue;
    f.a.push_back(a[i]);
    f.b.push_back(b[i]);
    f.label.push_back(l[i]);
    f.probability.push_back(p[i]);
  }
  return f;
}

// Attendance MAE against the probability and AUC against the label, on a label set.
std::pair<double, double> attendance_metrics(HeteroNet& net, const std::vector<float>& users,
                                             int64_t full, const FriendLabels& f) {
  torch::NoGradGuard no_grad;
  const auto n = static_cast<int64_t>(f.a.size());
  if (n == 0) return {0.0, 0.0};
  auto all = torch::from_blob(const_cast<float*>(users.data()),
                              {static_cast<int64_t>(users.size()) / full, full}, torch::kFloat32);
  // In blocks of label pairs: one gather of every pair (6.3M test labels on the 1M-user set) is
  // labels x width floats twice, plus the head's activations.
  std::vector<float> predicted(static_cast<size_t>(n));
  constexpr int64_t kBlock = 65536;
  for (int64_t b0 = 0; b0 < n; b0 += kBlock) {
    const int64_t m = std::min(kBlock, n - b0);
    auto pa = all.index_select(0, ids_tensor(f.a.data() + b0, m));
    auto pb = all.index_select(0, ids_tensor(f.b.data() + b0, m));
    auto pred = torch::sigmoid(net->attendance_logit(pa, pb)).contiguous();
    std::copy_n(pred.data_ptr<float>(), m, predicted.data() + b0);
  }
  const float* p = predicted.data();
  double mae = 0;
  std::vector<std::pair<float, int>> ranked;
  for (int64_t i = 0; i < n; ++i) {
    mae += std::abs(p[i] - f.probability[static_cast<size_t>(i)]);
    ranked.emplace_back(p[i], f.label[static_cast<size_t>(i)] > 0 ? 1 : 0);
  }
  std::sort(ranked.begin(), ranked.end());
  // AUC by ranks (ties averaged).
  double pos = 0, rank_sum = 0;
  for (size_t i = 0; i < ranked.size();) {
    size_t j = i;
    while (j < ranked.size() && ranked[j].first == ranked[i].first) ++j;
    const double avg = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2.0;
    for (size_t k = i; k < j; ++k)
      if (ranked[k].second) {
        pos += 1;
        rank_sum += avg;
      }
    i = j;
  }
  const double neg = static_cast<double>(n) - pos;
  const double auc = pos > 0 && neg > 0 ? (rank_sum - pos * (pos + 1) / 2) / (pos * neg) : 0.0;
  return {mae / static_cast<double>(n), auc};
}

void train_hetero(TrainContext& c) {
  configure_torch_threads();
  const HeteroConfig cfg = hetero_config_from_json(c.config.section("hetero"));
  c.config_used["hetero"] = hetero_config_to_json(cfg);
  c.config_used["seed"] = c.config.seed;
  const auto& g = c.graph;
  const uint64_t seed = c.config.seed;
  torch::manual_seed(seed);

  const TrainValidSplit split = validation_split(g, cfg.holdout_fraction, seed);
  NeighbourLists train_places;
  train_places.offsets = split.train.offsets();
  train_places.indices = split.train.items();
  train_places.offsets.resize(static_cast<size_t>(g.n_users()) + 1, train_places.offsets.back());
  const HeteroInputs in = build_hetero_inputs(g, std::move(train_places));
  if (in.user_places.indices.empty()) throw InvalidArgument("hetero: no training pairs");
  const Tensors t = make_tensors(in);

  HeteroShape shape;
  shape.user_input_cols = in.user_input_cols();
  shape.place_cols = in.place_cols;
  shape.n_users = in.n_users;
  shape.n_places = in.n_places;
  shape.n_cities = in.n_cities;
  shape.n_neighborhoods = in.n_neighborhoods;
  shape.dim = cfg.dim;
  shape.social_dim = cfg.social_dim;
  shape.hidden = cfg.hidden;
  shape.place_ids = cfg.place_ids;
  if (cfg.feature_cross) {  // the place's normalised feature copies (hetero_inputs.h)
    shape.cross_offset = in.place_transform.cols;
    shape.cross_cols = in.place_cols - in.place_transform.cols;
    const auto entries = matched_cross_entries(in.user_transform, in.place_transform);
    shape.cross_user_col = entries.user_col;
    shape.cross_place_col = entries.place_col;
    if (entries.size() == 0) shape.cross_cols = 0;  // no width-matched blocks
  }
  shape.location = in.n_neighborhoods > 0 && in.n_neighborhoods <= cfg.location_table;
  shape.place_bias = cfg.place_bias;
  HeteroNet net(shape);
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(cfg.learning_rate)
                                                .weight_decay(cfg.weight_decay));
  // Data-parallel (gnn/distributed.h): every rank starts from rank 0's weights, draws its own
  // samples (its own random stream) for 1/world of the epoch's steps, and applies the gradient
  // averaged over the ranks; rank 0 alone validates, checkpoints and writes.
  DataParallelGroup group(c.distributed);
  const std::vector<torch::Tensor> parameters = net->parameters();
  group.broadcast_from_writer(parameters);
  const bool writer = group.writer();
  const int world = group.world_size();

  // Pair list and sampling distributions.
  std::vector<int32_t> pair_user(in.user_places.indices.size());
  for (int64_t u = 0; u < in.n_users; ++u)
    for (int64_t k = in.user_places.offsets[static_cast<size_t>(u)];
         k < in.user_places.offsets[static_cast<size_t>(u) + 1]; ++k)
      pair_user[static_cast<size_t>(k)] = static_cast<int32_t>(u);
  const auto n_pairs = static_cast<int64_t>(pair_user.size());
  std::vector<double> degree_cum(static_cast<size_t>(in.n_places));
  double degree_total = 0;
  for (int64_t p = 0; p < in.n_places; ++p)
    degree_cum[static_cast<size_t>(p)] =
        (degree_total += in.place_degree[static_cast<size_t>(p)] + 1.0);
  std::vector<int32_t> friend_user(in.user_friends.indices.size());
  for (int64_t u = 0; u < in.n_users; ++u)
    for (int64_t k = in.user_friends.offsets[static_cast<size_t>(u)];
         k < in.user_friends.offsets[static_cast<size_t>(u) + 1]; ++k)
      friend_user[static_cast<size_t>(k)] = static_cast<int32_t>(u);
  const auto n_friend_entries = static_cast<int64_t>(friend_user.size());
  const bool friend_head = cfg.friend_batch > 0 && cfg.social_dim > 0 && n_friend_entries > 0;
  const FriendLabels train_labels = friend_labels(g, 0);
  const bool attendance_head = cfg.attendance_batch > 0 && !train_labels.a.empty();

  const int64_t d = shape.place_part(), full = d + cfg.social_dim;
  const int64_t batch = cfg.batch_size;
  const int64_t steps =
      cfg.steps_per_epoch > 0 ? cfg.steps_per_epoch : (n_pairs + batch - 1) / batch;
  const int64_t rank_steps = (steps + world - 1) / world;  // this rank's steps per epoch
  eval::TopKEvaluationOptions valid_options;
  valid_options.ks = {20};
  // Above hetero.validation_users users, validation ranks a fixed uniform sample of that many
  // users (its own seeded stream), so that it is not users x places per epoch.
  std::vector<int32_t> valid_users;
  if (cfg.validation_users > 0 && in.n_users > cfg.validation_users) {
    std::vector<int32_t> all(static_cast<size_t>(in.n_users));
    std::iota(all.begin(), all.end(), 0);
    std::mt19937_64 vrng(seed * 1000003ULL + 0x76616c6964ULL);
    for (int64_t i = 0; i < cfg.validation_users; ++i)
      std::swap(all[static_cast<size_t>(i)],
                all[static_cast<size_t>(i) + static_cast<size_t>(vrng() % static_cast<uint64_t>(
                                                                   in.n_users - i))]);
    valid_users.assign(all.begin(), all.begin() + cfg.validation_users);
    std::sort(valid_users.begin(), valid_users.end());
    valid_options.users = valid_users;
    log_info(fmt::format("hetero: validating on a sample of {} of {} users",
                         valid_users.size(), in.n_users));
  }
  const bool social_valid = g.has_relation("user_user.valid") && cfg.social_dim > 0;
  eval::UserItemLists friend_exclude, friend_valid;
  if (social_valid) {
    friend_exclude = merge_lists(user_lists(g.relation("user_user.train")), eval::UserItemLists(),
                                 in.n_users, true);
    friend_valid = user_lists(g.relation("user_user.valid"));
  }

  // Checkpoint: the parameters, their best-so-far copies, the optimizer and the loop state.
  NamedTensors tensors, best_tensors;
  for (const auto& item : net->named_parameters()) {
    tensors.emplace_back(item.key(), item.value());
    best_tensors.emplace_back("best." + item.key(), item.value().detach().clone());
  }
  NamedTensors all_tensors = tensors;
  all_tensors.insert(all_tensors.end(), best_tensors.begin(), best_tensors.end());
  const Checkpoint checkpoint(c.checkpoint_dir);
  EarlyStopping stopping(cfg.patience);
  int first_epoch = 1, epochs_run = 0;
  double elapsed = 0;
  nlohmann::json curve = nlohmann::json::array();
  if (c.resume && checkpoint.exists()) {
    const auto state = checkpoint.load(all_tensors, opt);
    if (state.value("world_size", 1) != world)  // its steps were world_size mini-batches each
      throw ConfigError(fmt::format("{}: the checkpoint was made by {} data-parallel ranks; train "
                                    "without --resume",
                                    checkpoint.file().string(), state.value("world_size", 1)));
    first_epoch = state.at("epoch").get<int>() + 1;
    elapsed = state.at("elapsed").get<double>();
    curve = state.at("curve");
    stopping.restore(state.at("stopping"), checkpoint.file().string());
    epochs_run = first_epoch - 1;
    log_info(fmt::format("hetero: resuming after epoch {} from {}", epochs_run,
                         checkpoint.file().string()));
  }

  std::vector<float> user_emb, place_emb;
  for (int epoch = first_epoch; epoch <= cfg.max_epochs; ++epoch) {
    bool stop = stopping.stop() || (cfg.max_train_seconds > 0 && elapsed >= cfg.max_train_seconds);
    if (group.distributed()) stop = group.broadcast({stop ? 1.0 : 0.0})[0] != 0;  // rank 0's call
    if (stop) break;
    const auto start = Clock::now();
    std::mt19937_64 rng(seed * 1000003ULL + static_cast<uint64_t>(epoch) +
                        static_cast<uint64_t>(group.rank()) * 0x9e3779b97f4a7c15ULL);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    double sum_place = 0, sum_friend = 0, sum_attend = 0;
    net->train();
    int64_t steps_run = 0;
    for (int64_t step = 0; step < rank_steps; ++step, ++steps_run) {
      // max_train_seconds ends the epoch early (it is still validated and checkpointed); the
      // ranks follow rank 0's clock every 16 steps, so they all run the same steps.
      if (cfg.max_train_seconds > 0 && step > 0 && (!group.distributed() || step % 16 == 0)) {
        bool out = elapsed + std::chrono::duration<double>(Clock::now() - start).count() >=
                   cfg.max_train_seconds;
        if (group.distributed()) out = group.broadcast({out ? 1.0 : 0.0})[0] != 0;
        if (out) {
          if (writer)
            log_info(fmt::format("hetero epoch {}: max_train_seconds {} reached after step {}",
                                 epoch, cfg.max_train_seconds, step));
          break;
        }
      }
      // ---- place head
      std::vector<int32_t> users(static_cast<size_t>(batch)), targets(static_cast<size_t>(batch));
      std::vector<uint8_t> drop(static_cast<size_t>(batch));
      for (int64_t i = 0; i < batch; ++i) {
        const auto k = static_cast<int64_t>(unit(rng) * static_cast<double>(n_pairs)) % n_pairs;
        users[static_cast<size_t>(i)] = pair_user[static_cast<size_t>(k)];
        targets[static_cast<size_t>(i)] = in.user_places.indices[static_cast<size_t>(k)];
        drop[static_cast<size_t>(i)] = unit(rng) < cfg.cold_start_dropout ? 1 : 0;
      }
      // Pool: positives, one same-city place per sample, shared negatives.
      std::vector<int32_t> pool(targets);
      std::vector<int64_t> city_draws(static_cast<size_t>(in.n_cities) + 1, 0);
      for (int64_t i = 0; i < cfg.city_negatives; ++i) {
        const int32_t city =
            in.user_city[static_cast<size_t>(users[static_cast<size_t>(i % batch)])];
        ++city_draws[static_cast<size_t>(city)];
        const auto* rows = city < in.n_cities ? &in.city_places[static_cast<size_t>(city)] : nullptr;
        if (rows && !rows->empty())
          pool.push_back((*rows)[static_cast<size_t>(unit(rng) * static_cast<double>(rows->size())) %
                                 rows->size()]);
        else
          pool.push_back(static_cast<int32_t>(unit(rng) * static_cast<double>(in.n_places)) %
                         static_cast<int32_t>(in.n_places));
      }
      for (int k = 0; k < cfg.negatives; ++k) {
        if (unit(rng) < cfg.uniform_share) {
          pool.push_back(static_cast<int32_t>(
              static_cast<int64_t>(unit(rng) * static_cast<double>(in.n_places)) % in.n_places));
        } else {
          const double r = unit(rng) * degree_total;
          pool.push_back(static_cast<int32_t>(
              std::min<int64_t>(std::upper_bound(degree_cum.begin(), degree_cum.end(), r) -
                                    degree_cum.begin(),
                                in.n_places - 1)));
        }
      }
      std::vector<float> log_count(pool.size());
      for (size_t k = 0; k < pool.size(); ++k) {
        const auto p = static_cast<size_t>(pool[k]);
        const int32_t city = in.place_city[p];
        double count = static_cast<double>(batch) * in.place_degree[p] / static_cast<double>(n_pairs);
        if (city < in.n_cities && !in.city_places[static_cast<size_t>(city)].empty())
          count += static_cast<double>(city_draws[static_cast<size_t>(city)]) /
                   static_cast<double>(in.city_places[static_cast<size_t>(city)].size());
        count += static_cast<double>(city_draws[static_cast<size_t>(in.n_cities)]) /
                 static_cast<double>(in.n_places);
        count += cfg.negatives * (cfg.uniform_share / static_cast<double>(in.n_places) +
                                  (1 - cfg.uniform_share) * (in.place_degree[p] + 1.0) / degree_total);
        log_count[k] = static_cast<float>(std::log(std::max(count, 1e-12)));
      }
      auto ub = user_batch(in, t, users, targets.data(), nullptr, drop.data(), cfg.max_neighbours,
                           &rng);
      auto pool_ids = ids_tensor(pool.data(), static_cast<int64_t>(pool.size()));
      auto u = net->users(ub);
      auto pv = place_vectors(net, t, pool_ids);
      auto loss = sampled_softmax(
          u.narrow(1, 0, d), pv, pool_ids, ids_tensor(targets.data(), batch),
          torch::from_blob(log_count.data(), {static_cast<int64_t>(log_count.size())}).clone(),
          nullptr);
      sum_place += loss.item<double>();

      // ---- friend head
      if (friend_head) {
        const int64_t fb = cfg.friend_batch;
        std::vector<int32_t> fu(static_cast<size_t>(fb)), fv(static_cast<size_t>(fb));
        for (int64_t i = 0; i < fb; ++i) {
          const auto k = static_cast<int64_t>(unit(rng) * static_cast<double>(n_friend_entries)) %
                         n_friend_entries;
          fu[static_cast<size_t>(i)] = friend_user[static_cast<size_t>(k)];
          fv[static_cast<size_t>(i)] = in.user_friends.indices[static_cast<size_t>(k)];
        }
        std::vector<int32_t> fpool(fv), fexcl(fu);
        std::vector<int64_t> fcity(static_cast<size_t>(in.n_cities) + 1, 0);
        for (int64_t i = 0; i < cfg.friend_city_negatives; ++i) {
          const int32_t city = in.user_city[static_cast<size_t>(fu[static_cast<size_t>(i % fb)])];
          ++fcity[static_cast<size_t>(city)];
          const auto* rows = city < in.n_cities ? &in.city_users[static_cast<size_t>(city)] : nullptr;
          if (rows && !rows->empty())
            fpool.push_back((*rows)[static_cast<size_t>(unit(rng) * static_cast<double>(rows->size())) %
                                    rows->size()]);
          else
            fpool.push_back(static_cast<int32_t>(
                static_cast<int64_t>(unit(rng) * static_cast<double>(in.n_users)) % in.n_users));
          fexcl.push_back(-1);
        }
        for (int k = 0; k < cfg.friend_negatives; ++k) {
          fpool.push_back(static_cast<int32_t>(
              static_cast<int64_t>(unit(rng) * static_cast<double>(in.n_users)) % in.n_users));
          fexcl.push_back(-1);
        }
        std::vector<float> flog(fpool.size());
        for (size_t k = 0; k < fpool.size(); ++k) {
          const auto v = static_cast<size_t>(fpool[k]);
          const int32_t city = in.user_city[v];
          double count = static_cast<double>(fb) * static_cast<double>(in.user_friends.degree(static_cast<int64_t>(v))) /
                         static_cast<double>(n_friend_entries);
          if (city < in.n_cities && !in.city_users[static_cast<size_t>(city)].empty())
            count += static_cast<double>(fcity[static_cast<size_t>(city)]) /
                     static_cast<double>(in.city_users[static_cast<size_t>(city)].size());
          count += static_cast<double>(fcity[static_cast<size_t>(in.n_cities)] + cfg.friend_negatives) /
                   static_cast<double>(in.n_users);
          flog[k] = static_cast<float>(std::log(std::max(count, 1e-12)));
        }
        // Rows: u without v among its friends; pool: v without u, the rest unchanged.
        auto ru = net->users(user_batch(in, t, fu, nullptr, fv.data(), nullptr, cfg.max_neighbours,
                                        &rng));
        auto rp = net->users(user_batch(in, t, fpool, nullptr, fexcl.data(), nullptr,
                                        cfg.max_neighbours, &rng));
        // fexcl holds u for the positives' rows (v's bag drops u).
        auto fpool_ids = ids_tensor(fpool.data(), static_cast<int64_t>(fpool.size()));
        auto fu_ids = ids_tensor(fu.data(), fb);
        auto floss = sampled_softmax(
            ru, rp, fpool_ids, ids_tensor(fv.data(), fb),
            torch::from_blob(flog.data(), {static_cast<int64_t>(flog.size())}).clone(), &fu_ids);
        sum_friend += floss.item<double>();
        loss = loss + cfg.friend_weight * floss;
      }

      // ---- attendance head
      if (attendance_head) {
        const int64_t ab = cfg.attendance_batch;
        const auto n_labels = static_cast<int64_t>(train_labels.a.size());
        std::vector<int32_t> la(static_cast<size_t>(ab)), lb(static_cast<size_t>(ab));
        std::vector<float> target(static_cast<size_t>(ab));
        for (int64_t i = 0; i < ab; ++i) {
          const auto k = static_cast<size_t>(
              static_cast<int64_t>(unit(rng) * static_cast<double>(n_labels)) % n_labels);
          la[static_cast<size_t>(i)] = train_labels.a[k];
          lb[static_cast<size_t>(i)] = train_labels.b[k];
          target[static_cast<size_t>(i)] = train_labels.probability[k];
        }
        auto ea = net->users(user_batch(in, t, la, nullptr, nullptr, nullptr, cfg.max_neighbours,
                                        &rng));
        auto eb = net->users(user_batch(in, t, lb, nullptr, nullptr, nullptr, cfg.max_neighbours,
                                        &rng));
        auto aloss = torch::nn::functional::binary_cross_entropy_with_logits(
            net->attendance_logit(ea, eb), torch::from_blob(target.data(), {ab}).clone());
        sum_attend += aloss.item<double>();
        loss = loss + cfg.attendance_weight * aloss;
      }
      opt.zero_grad();
      loss.backward();
      group.average_gradients(parameters, 1.0);
      opt.step();
      if ((step + 1) % 50 == 0 && writer)
        log_info(fmt::format("hetero epoch {} step {}/{}: loss place {:.4f}, {:.3f} s / step", epoch,
                             step + 1, rank_steps, sum_place / static_cast<double>(step + 1),
                             std::chrono::duration<double>(Clock::now() - start).count() /
                                 static_cast<double>(step + 1)));
    }
    net->eval();
    const double train_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    elapsed += train_seconds;
    epochs_run = epoch;
    if (group.distributed()) {  // the epoch's mean losses over every rank's steps
      const auto sums = group.sum({sum_place, sum_friend, sum_attend});
      sum_place = sums[0] / world;
      sum_friend = sums[1] / world;
      sum_attend = sums[2] / world;
    }
    if (!writer) continue;  // rank 0 validates and checkpoints

    // The friend ranking needs every user's embedding; the place ranking only the sample's.
    const auto valid_start = Clock::now();
    const bool friends_now = social_valid && friend_valid.n_entries() > 0;
    embed_all(net, in, t, user_emb, place_emb,
              valid_users.empty() || friends_now ? nullptr : &valid_users);
    double recall = 0, friend_recall = 0;
    {
      const auto uh = leading_columns(user_emb, in.n_users, full, d);
      const auto ph = leading_columns(place_emb, in.n_places, full, d);
      recall = validation_recall_at_20(split, uh, in.n_users, ph, in.n_places, d, valid_users);
    }
    if (friends_now) {
      const eval::DotProductScorer fs(user_emb, in.n_users, user_emb, in.n_users, full);
      friend_recall =
          eval::evaluate_top_k(fs, friend_exclude, friend_valid, valid_options).at("recall@20");
    }
    const double valid_seconds =
        std::chrono::duration<double>(Clock::now() - valid_start).count();
    const double n_steps = static_cast<double>(std::max<int64_t>(steps_run, 1));
    curve.push_back({{"epoch", epoch},
                     {"steps", steps_run},
                     {"valid_seconds", valid_seconds},
                     {"loss_place", sum_place / n_steps},
                     {"loss_friend", sum_friend / n_steps},
                     {"loss_attendance", sum_attend / n_steps},
                     {"valid_recall@20", recall},
                     {"valid_friends_recall@20", friend_recall},
                     {"train_seconds", train_seconds}});
    if (stopping.update(epoch, recall)) {
      torch::NoGradGuard no_grad;
      for (size_t i = 0; i < tensors.size(); ++i) best_tensors[i].second.copy_(tensors[i].second);
    }
    log_info(fmt::format(
        "hetero epoch {}/{}: loss place {:.4f} friend {:.4f} attendance {:.4f}, valid recall@20 "
        "{:.4f} (best {:.4f} at {}), valid friends recall@20 {:.4f}, {} steps {:.1f} s "
        "({:.3f} s / step), validation {:.1f} s",
        epoch, cfg.max_epochs, sum_place / n_steps, sum_friend / n_steps, sum_attend / n_steps,
        recall, stopping.best_recall(), stopping.best_epoch(), friend_recall, steps_run,
        train_seconds, train_seconds / n_steps, valid_seconds));
    checkpoint.save(all_tensors, opt,
                    {{"epoch", epoch}, {"elapsed", elapsed}, {"curve", curve},
                     {"stopping", stopping.to_json()}, {"config", hetero_config_to_json(cfg)},
                     {"world_size", world}});
  }
  const std::string checksum = fmt::format("{:016x}", parameter_checksum(parameters));
  if (group.distributed())
    log_info(fmt::format("hetero: rank {} of {}: parameter checksum {} after epoch {}",
                         group.rank(), world, checksum, epochs_run));
  if (!writer) return;  // rank 0 writes the model
  if (stopping.best_epoch() == 0)
    throw InvalidArgument("hetero: no epoch was trained (max_epochs reached?)");
  {
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < tensors.size(); ++i) tensors[i].second.copy_(best_tensors[i].second);
  }
  net->eval();
  embed_all(net, in, t, user_emb, place_emb);

  write_embeddings(c, user_emb, place_emb, full);
  torch::save(net, (c.dir / "hetero_weights.pt").string());
  c.files["hetero_weights.pt"] = {
      {"format", "torch::save of HeteroNet (src/recsys/model/gnn/hetero_network.h)"}};
  {
    // The same parameters without LibTorch, for serving (src/recsys/model/hetero_params.h).
    HeteroParams params;
    for (const auto& item : net->named_parameters()) {
      const auto v = item.value().detach().to(torch::kFloat32).contiguous();
      ParamTensor p;
      p.shape.assign(v.sizes().begin(), v.sizes().end());
      p.values.assign(v.data_ptr<float>(), v.data_ptr<float>() + v.numel());
      params.emplace(item.key(), std::move(p));
    }
    write_hetero_params(c.dir, params);
    c.files[kHeteroParamsIndex] = {
        {"format", "index of hetero_params.bin: {name: {shape, offset}} (hetero_params.h)"}};
    c.files[kHeteroParamsData] = {
        {"format", "every HeteroNet parameter, float32 little-endian, row-major"}};
  }
  const auto uf = g.has("user.features") ? g.features("user") : graph::FeaturesView{};
  const auto pf = g.has("place.features") ? g.features("place") : graph::FeaturesView{};
  nlohmann::json inputs = {
      {"shape",
       {{"user_input_cols", shape.user_input_cols}, {"place_cols", shape.place_cols},
        {"n_users", shape.n_users}, {"n_places", shape.n_places}, {"n_cities", shape.n_cities},
        {"n_neighborhoods", shape.n_neighborhoods}, {"dim", shape.dim},
        {"social_dim", shape.social_dim}, {"hidden", shape.hidden}, {"place_ids", shape.place_ids},
        {"cross_offset", shape.cross_offset}, {"cross_cols", shape.cross_cols},
        {"cross_user_col", shape.cross_user_col}, {"cross_place_col", shape.cross_place_col},
        {"location", shape.location}, {"place_bias", shape.place_bias}}},
      {"features", in.description},
      {"feature_blocks", g.manifest().value("features", nlohmann::json::object())},
      {"user_features_mean", std::vector<float>(uf.mean.begin(), uf.mean.end())},
      {"user_features_std", std::vector<float>(uf.std.begin(), uf.std.end())},
      {"place_features_mean", std::vector<float>(pf.mean.begin(), pf.mean.end())},
      {"place_features_std", std::vector<float>(pf.std.begin(), pf.std.end())}};
  write_json_file(c.dir / "hetero_inputs.json", inputs);
  c.files["hetero_inputs.json"] = {
      {"format", "network shape, feature transform and the graph's feature mean / std"}};
  write_json_file(c.dir / "training_curve.json", curve);
  c.files["training_curve.json"] = {
      {"format",
       "JSON array of {epoch, steps, valid_seconds, loss_place, loss_friend, loss_attendance, "
       "valid_recall@20, valid_friends_recall@20, train_seconds}"}};
  nlohmann::json training = {{"validation", split.validation},
                             {"validation_pairs", split.valid.n_entries()},
                             {"training_pairs", n_pairs},
                             {"validation_users", valid_users.empty()
                                                      ? nlohmann::json("all")
                                                      : nlohmann::json(valid_users.size())},
                             {"epochs_run", epochs_run},
                             {"best_epoch", stopping.best_epoch()},
                             {"best_valid_recall@20", stopping.best_recall()},
                             {"train_loop_seconds", elapsed},
                             {"world_size", world},
                             {"parameter_checksum", checksum}};
  const FriendLabels test_labels = friend_labels(g, 2);
  if (attendance_head && !test_labels.a.empty()) {
    const auto [mae, auc] = attendance_metrics(net, user_emb, full, test_labels);
    training["attendance_test_mae"] = mae;
    training["attendance_test_auc"] = auc;
    training["attendance_test_labels"] = test_labels.a.size();
    log_info(fmt::format("hetero: attendance on {} test friend labels: MAE {:.4f}, AUC {:.4f}",
                         test_labels.a.size(), mae, auc));
  }
  c.manifest["training"] = training;
  c.manifest["serving_files"] = {"hetero_weights.pt", "hetero_inputs.json", kHeteroParamsIndex,
                                 kHeteroParamsData};
}

const ModelRegistration hetero{{"hetero",
                                "feature-aware heterogeneous GNN: place, friend and attendance "
                                "heads ([hetero])",
                                "hetero", read_hetero_config, train_hetero,
                                /*data_parallel=*/true}};

}  // namespace
}  // namespace recsys::model::gnn

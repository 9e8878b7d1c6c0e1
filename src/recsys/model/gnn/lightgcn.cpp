#include "recsys/model/gnn/lightgcn.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/core/random_stream.h"
#include "recsys/model/gnn/bipartite_adjacency.h"
#include "recsys/model/gnn/bpr_sampler.h"
#include "recsys/model/gnn/checkpoint.h"
#include "recsys/model/gnn/distributed.h"
#include "recsys/model/gnn/embedding_validation.h"
#include "recsys/model/gnn/sparse_matrix.h"
#include "recsys/model/gnn/torch_threads.h"

namespace recsys::model::gnn {
namespace {

// Layer-0 embeddings of `rows` nodes: Xavier/Glorot uniform over the (rows x dim) table as in
// the reference TensorFlow code (bound sqrt(6 / (rows + dim))), or N(0, init_std^2).
torch::Tensor initial_embeddings(int64_t rows, int64_t dim, const LightGcnConfig& c,
                                 uint64_t seed, uint64_t table) {
  std::vector<float> values(static_cast<size_t>(rows * dim));
  RandomStream rng(seed, StreamKind::User, 0x6c67636e00ULL + table);
  if (c.init == "xavier") {
    const double bound = std::sqrt(6.0 / static_cast<double>(rows + dim));
    for (float& v : values) v = static_cast<float>(rng.uniform(-bound, bound));
  } else {
    for (float& v : values) v = static_cast<float>(rng.normal(0.0, c.init_std));
  }
  return torch::from_blob(values.data(), {rows, dim}, torch::kFloat32).clone();
}

std::vector<float> to_vector(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

torch::Tensor index_tensor(std::vector<int64_t>& ids) {
  return torch::from_blob(ids.data(), {static_cast<int64_t>(ids.size())}, torch::kInt64);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

LightGcnResult train_lightgcn(const TrainValidSplit& split, int64_t n_users, int64_t n_items,
                              const LightGcnConfig& config, uint64_t seed,
                              const LightGcnRun& run) {
  configure_torch_threads();
  if (config.init != "xavier" && config.init != "normal")
    throw ConfigError(fmt::format("lightgcn.init = \"{}\": expected \"xavier\" or \"normal\"",
                                  config.init));
  const int64_t d = config.dim;
  const auto adjacency = std::make_shared<const SparseMatrix>(
      normalized_bipartite_adjacency(split.train, n_users, n_items), /*symmetric=*/true);
  const BprSampler sampler(split.train, n_items, seed);
  const std::vector<double> layer_mean(static_cast<size_t>(config.layers) + 1,
                                       1.0 / (config.layers + 1));

  torch::Tensor users = initial_embeddings(n_users, d, config, seed, 1).requires_grad_(true);
  torch::Tensor items = initial_embeddings(n_items, d, config, seed, 2).requires_grad_(true);
  torch::optim::Adam optimizer({users, items}, torch::optim::AdamOptions(config.learning_rate));
  // Every rank initialises from the same seed; rank 0's values are broadcast to be sure.
  DataParallelGroup group(run.distributed);
  group.broadcast_from_writer({users, items});
  const bool writer = group.writer();
  const int world = group.world_size();
  torch::Tensor best_users = torch::zeros({n_users, d}), best_items = torch::zeros({n_items, d});
  auto readout = [&] {
    torch::NoGradGuard no_grad;
    return sparse_polynomial(adjacency, torch::cat({users, items}, 0), layer_mean);
  };

  LightGcnResult result;
  result.dim = d;
  TrainingCurve curve;
  EarlyStopping stopping(config.patience);
  double total_train_seconds = 0;
  // What a checkpoint must match to be resumed from.
  nlohmann::json fingerprint = {{"config", lightgcn_config_to_json(config)},
                                {"seed", seed},
                                {"users", n_users},
                                {"places", n_items},
                                {"training_pairs", split.train.n_entries()},
                                {"validation_pairs", split.valid.n_entries()}};
  // A data-parallel run's steps are world_size mini-batches: its checkpoint resumes only as such.
  if (group.distributed()) fingerprint["world_size"] = world;
  const NamedTensors saved_tensors = {
      {"users", users}, {"items", items}, {"best_users", best_users}, {"best_items", best_items}};
  int start_epoch = 1;
  if (run.resume && !run.checkpoint_dir.empty() && !group.distributed()) {
    const Checkpoint checkpoint(run.checkpoint_dir);
    if (!checkpoint.exists()) {
      log_warning(fmt::format("lightgcn: --resume: no checkpoint at {}, starting from epoch 1",
                              checkpoint.file().string()));
    } else {
      const std::string source = checkpoint.file().string();
      const nlohmann::json saved = checkpoint.read_state().value("fingerprint", nlohmann::json());
      if (saved != fingerprint)
        throw ConfigError(fmt::format(
            "{}: the checkpoint was made with another configuration or training set ({} here, "
            "{} there); train without --resume",
            source, fingerprint.dump(), saved.dump()));
      const nlohmann::json state = checkpoint.load(saved_tensors, optimizer);
      try {
        start_epoch = state.at("epoch").get<int>() + 1;
        total_train_seconds = state.at("train_seconds").get<double>();
      } catch (const nlohmann::json::exception& e) {
        throw FormatError(fmt::format("{}: malformed checkpoint state ({})", source, e.what()));
      }
      curve = TrainingCurve::from_json(state.value("curve", nlohmann::json()), source);
      stopping.restore(state.value("early_stopping", nlohmann::json()), source);
      result.resumed_from_epoch = start_epoch - 1;
      log_info(fmt::format("lightgcn: resuming after epoch {} from {}", start_epoch - 1, source));
    }
  }

  const bool validate = split.valid.n_entries() > 0;
  if (!validate && writer)
    log_warning("lightgcn: no validation pairs (no user has 3 training places): no early stopping");
  log_info(fmt::format(
      "lightgcn: {} users, {} places, {} training pairs, {} validation pairs ({}), "
      "adjacency {} nonzeros, {} layers, dim {}, batch {}{}",
      n_users, n_items, split.train.n_entries(), split.valid.n_entries(), split.validation,
      adjacency->nonzeros(), config.layers, d, config.batch_size,
      group.distributed() ? fmt::format(" per rank (rank {} of {})", group.rank(), world) : ""));

  std::vector<double> epoch_seconds;
  const int64_t epoch_size = sampler.epoch_size();
  const bool finished_before = stopping.stop() && validate;
  for (int epoch = start_epoch; epoch <= config.max_epochs && !finished_before; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    double loss_sum = 0;
    int64_t triples = 0;
    // Step s takes mini-batches s * world .. s * world + world - 1, one per rank; with one
    // rank this is every mini-batch in order.
    const int64_t n_batches = (epoch_size + config.batch_size - 1) / config.batch_size;
    for (int64_t first = 0; first < n_batches; first += world) {
      const int64_t b0 = (first + group.rank()) * config.batch_size;
      BprBatch batch;
      if (b0 < epoch_size)
        batch = sampler.sample(epoch, b0, std::min<int64_t>(config.batch_size, epoch_size - b0));
      const int64_t nb = batch.size();
      if (nb == 0) {
        if (!group.distributed()) continue;
        // This rank has no triple this step but takes part in the all-reduce and the update.
        optimizer.zero_grad();
        if (group.average_gradients({users, items}, 0.0) > 0) optimizer.step();
        continue;
      }
      const torch::Tensor u = index_tensor(batch.users);
      const torch::Tensor p = index_tensor(batch.positives);
      const torch::Tensor n = index_tensor(batch.negatives);
      const torch::Tensor e = sparse_polynomial(adjacency, torch::cat({users, items}, 0), layer_mean);
      const torch::Tensor eu = e.index_select(0, u);
      const torch::Tensor x =
          (eu * (e.index_select(0, p + n_users) - e.index_select(0, n + n_users))).sum(1);
      const torch::Tensor bpr = torch::softplus(-x).mean();
      const torch::Tensor l2 = (users.index_select(0, u).pow(2).sum() +
                                items.index_select(0, p).pow(2).sum() +
                                items.index_select(0, n).pow(2).sum()) *
                               (0.5 * config.reg / static_cast<double>(nb));
      const torch::Tensor loss = bpr + l2;
      optimizer.zero_grad();
      loss.backward();
      if (group.average_gradients({users, items}, static_cast<double>(nb)) > 0) optimizer.step();
      loss_sum += loss.item<double>() * static_cast<double>(nb);
      triples += nb;
    }
    if (group.distributed()) {  // the epoch's loss over every rank's triples
      const auto totals = group.sum({loss_sum, static_cast<double>(triples)});
      loss_sum = totals[0];
      triples = static_cast<int64_t>(totals[1]);
    }
    EpochRecord record;
    record.epoch = epoch;
    record.loss = triples ? loss_sum / static_cast<double>(triples) : 0.0;
    record.train_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    epoch_seconds.push_back(record.train_seconds);
    total_train_seconds += record.train_seconds;
    result.epochs_run = epoch;
    bool out_of_time =
        config.max_train_seconds > 0 && total_train_seconds >= config.max_train_seconds;
    if (group.distributed())  // rank 0's clock decides for everyone
      out_of_time = group.broadcast({out_of_time ? 1.0 : 0.0})[0] != 0;
    const bool last = epoch == config.max_epochs || out_of_time;
    if (writer && (epoch % config.eval_every == 0 || last)) {
      const auto eval_start = std::chrono::steady_clock::now();
      const torch::Tensor e = readout();
      const torch::Tensor eu = e.slice(0, 0, n_users).contiguous();
      const torch::Tensor ei = e.slice(0, n_users).contiguous();
      double recall = 0;
      if (validate)
        recall = validation_recall_at_20(
            split, std::span<const float>(eu.data_ptr<float>(), static_cast<size_t>(eu.numel())),
            n_users, std::span<const float>(ei.data_ptr<float>(), static_cast<size_t>(ei.numel())),
            n_items, d);
      record.valid_recall = recall;
      // Without validation pairs there is nothing to stop on: the last epoch is kept.
      if (stopping.update(epoch, validate ? recall : static_cast<double>(epoch))) {
        best_users.copy_(eu);
        best_items.copy_(ei);
      }
      record.eval_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - eval_start).count();
    }
    curve.add(record);
    if (writer) log_epoch("lightgcn", record, config.max_epochs, stopping);
    if (!run.checkpoint_dir.empty() && writer)
      Checkpoint(run.checkpoint_dir)
          .save(saved_tensors, optimizer,
                {{"fingerprint", fingerprint},
                 {"epoch", epoch},
                 {"train_seconds", total_train_seconds},
                 {"sampler", {{"seed", seed}, {"next_epoch", epoch + 1}}},
                 {"curve", curve.to_json()},
                 {"early_stopping", stopping.to_json()}});
    if (epoch == run.stop_after_epoch) break;
    bool early_stop = validate && record.valid_recall && stopping.stop();
    if (group.distributed())  // rank 0 validated: its decision holds for every rank
      early_stop = group.broadcast({early_stop ? 1.0 : 0.0})[0] != 0;
    if (early_stop) {
      log_info(fmt::format("lightgcn: early stop after epoch {} ({} checks without improvement)",
                           epoch, config.patience));
      break;
    }
    if (out_of_time) {
      log_info(fmt::format("lightgcn: stopping after epoch {}: max_train_seconds {} reached",
                           epoch, config.max_train_seconds));
      break;
    }
  }
  result.best_epoch = stopping.best_epoch();
  result.best_valid_recall = validate ? stopping.best_recall() : 0.0;
  result.user_embeddings = to_vector(best_users);
  result.item_embeddings = to_vector(best_items);
  result.seconds_per_epoch = median(epoch_seconds);
  result.parameter_checksum = fmt::format("{:016x}", parameter_checksum({users, items}));
  if (group.distributed())
    log_info(fmt::format("lightgcn: rank {} of {}: parameter checksum {} after epoch {}",
                         group.rank(), world, result.parameter_checksum, result.epochs_run));
  result.curve = std::move(curve);
  return result;
}

}  // namespace recsys::model::gnn

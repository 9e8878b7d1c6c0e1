#pragma once
// LightGCN (He et al., SIGIR 2020): layer-0 user and place embeddings E0 propagated over the
// symmetric-normalised user-place adjacency A (gnn/bipartite_adjacency.h), E_{k+1} = A E_k,
// readout E = mean(E_0 .. E_K); score(u, i) = <E_u, E_i>. Trained with BPR on
// (user, positive, uniform negative) triples (gnn/bpr_sampler.h), L2 on the batch's layer-0
// rows scaled as in the reference code (reg * (|e_u|^2 + |e_i|^2 + |e_j|^2) / 2 / batch), Adam,
// the whole propagation recomputed once per mini-batch (one sparse_polynomial operation).
// Validation Recall@20 every eval_every epochs, early stopping with patience, a checkpoint per
// epoch (gnn/checkpoint.h). `recsys train --model lightgcn` ([lightgcn], configs/lightgcn.toml)
// writes the best epoch's readout embeddings with scorer "embeddings".
// This header has no LibTorch.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "recsys/model/distributed_options.h"
#include "recsys/model/gnn/lightgcn_config.h"
#include "recsys/model/gnn/training_log.h"
#include "recsys/model/holdout_split.h"

namespace recsys::model::gnn {

struct LightGcnRun {
  std::filesystem::path checkpoint_dir;  // empty: no checkpoints
  bool resume = false;                   // continue from checkpoint_dir's checkpoint
  // > 0: return right after saving this epoch's checkpoint, as a killed run would leave it
  // (tests of --resume); the result then holds the embeddings of that moment.
  int stop_after_epoch = 0;
  // world size > 1: data-parallel (gnn/distributed.h). Each training step takes the next
  // world-size mini-batches of the epoch, one per rank (batch_size triples each), and applies
  // their averaged gradient on every rank; rank 0 alone validates, decides when to stop and
  // writes checkpoints.
  DistributedOptions distributed;
};

struct LightGcnResult {
  int64_t dim = 0;
  std::vector<float> user_embeddings;  // n_users x dim readout of the best epoch
  std::vector<float> item_embeddings;  // n_items x dim
  int epochs_run = 0;
  int best_epoch = 0;
  double best_valid_recall = 0;
  int resumed_from_epoch = 0;  // 0: started fresh
  double seconds_per_epoch = 0;  // median training seconds of the epochs run in this process
  std::string parameter_checksum;  // of the final layer-0 embeddings (gnn/distributed.h), hex
  TrainingCurve curve;
};

// split.train is what the model trains on and propagates over; split.valid (may be empty: no
// early stopping, the last epoch is kept) is what it validates on.
LightGcnResult train_lightgcn(const TrainValidSplit& split, int64_t n_users, int64_t n_items,
                              const LightGcnConfig& config, uint64_t seed, const LightGcnRun& run);

}  // namespace recsys::model::gnn

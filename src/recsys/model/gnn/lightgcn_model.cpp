// `recsys train --model lightgcn`: trains gnn/lightgcn.h on the graph's training pairs and
// writes the model folder (scorer "embeddings", training curve). No LibTorch here.
#include <fmt/format.h>

#include "recsys/model/gnn/lightgcn.h"
#include "recsys/model/model_files.h"
#include "recsys/model/model_registry.h"

namespace recsys::model::gnn {
namespace {

void train_lightgcn_model(TrainContext& c) {
  const LightGcnConfig config = lightgcn_config_from_json(c.config.section("lightgcn"));
  const auto& g = c.graph;
  const TrainValidSplit split = validation_split(g, config.holdout_fraction, c.config.seed);
  LightGcnRun run;
  if (c.distributed.writer()) run.checkpoint_dir = c.checkpoint_dir;
  run.resume = c.resume;
  run.distributed = c.distributed;
  const LightGcnResult res =
      train_lightgcn(split, g.n_users(), g.n_places(), config, c.config.seed, run);
  if (!c.distributed.writer()) return;  // rank 0 writes the model
  c.manifest["scorer"] = "embeddings";
  write_embeddings(c, res.user_embeddings, res.item_embeddings, res.dim);
  res.curve.write(c);
  c.manifest["training"] = {{"validation", split.validation},
                            {"validation_pairs", split.valid.n_entries()},
                            {"training_pairs", split.train.n_entries()},
                            {"epochs_run", res.epochs_run},
                            {"best_epoch", res.best_epoch},
                            {"best_valid_recall@20", res.best_valid_recall},
                            {"median_epoch_seconds", res.seconds_per_epoch},
                            {"resumed_from_epoch", res.resumed_from_epoch},
                            {"world_size", c.distributed.world_size},
                            {"parameter_checksum", res.parameter_checksum}};
}

const ModelRegistration lightgcn{
    {"lightgcn",
     "LightGCN (He et al. 2020): propagated embeddings, BPR + Adam, early stopping ([lightgcn])",
     "lightgcn", read_lightgcn_config, train_lightgcn_model, /*data_parallel=*/true}};

}  // namespace
}  // namespace recsys::model::gnn

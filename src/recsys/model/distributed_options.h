#pragma once
// Where one process of a data-parallel `recsys train` stands: `--world-size N --rank R
// --master ADDR:PORT` (docs/decisions.md, "Distributed training"). N processes train the same
// model, each on its share of the BPR mini-batches, and all-reduce their gradients through
// torch.distributed (model/gnn/distributed.h); rank 0 is the one that evaluates and writes the
// checkpoints and the model folder. World size 1 (the default) is ordinary training.
// No LibTorch here.
#include <cstdint>
#include <optional>
#include <string>

namespace recsys::model {

struct DistributedOptions {
  int world_size = 1;
  int rank = 0;
  std::string master_host;  // rank 0's address (it hosts the rendezvous store); empty at size 1
  uint16_t master_port = 0;

  bool distributed() const { return world_size > 1; }
  // The one process that evaluates and writes files.
  bool writer() const { return rank == 0; }
};

// From the command-line flags (absent ones: std::nullopt / empty). Throws ConfigError naming the
// flag: a world size below 1, a rank outside [0, world size), --rank or --master without
// --world-size > 1, --world-size > 1 without --rank or --master, a master that is not
// HOST:PORT with a port in 1..65535.
DistributedOptions distributed_options_from_flags(std::optional<int> world_size,
                                                  std::optional<int> rank,
                                                  const std::string& master);

}  // namespace recsys::model

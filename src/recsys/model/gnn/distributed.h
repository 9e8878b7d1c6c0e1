#pragma once
// Data-parallel training over torch.distributed: a c10d TCPStore hosted by rank 0 at
// --master HOST:PORT for the rendezvous and a ProcessGroupGloo (TCP) for the collectives. The
// trainers (lightgcn.cpp, hetero_train.cpp) start from rank 0's parameters
// (broadcast_from_writer), give each rank its share of the epoch's mini-batches, and call
// average_gradients before every optimizer step, so that every rank applies the same update and
// the replicas stay bit-identical (parameter_checksum shows it). Rank 0 alone evaluates, decides
// when to stop (broadcast) and writes files. docs/decisions.md, "Distributed training".
// With world size 1 there is no process group and every operation is the identity.
// The header has no LibTorch (at::Tensor is only named); the implementation needs libgloo-dev's
// headers and USE_C10D_GLOO (CMakeLists.txt).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "recsys/model/distributed_options.h"

namespace at {
class Tensor;
}

namespace recsys::model::gnn {

class DataParallelGroup {
 public:
  // Joins the group (blocks until all world_size ranks have joined, at most `join_seconds`).
  // Throws IoError naming --master when the store or the group cannot be set up.
  explicit DataParallelGroup(const DistributedOptions& options, double join_seconds = 300);
  ~DataParallelGroup();
  DataParallelGroup(const DataParallelGroup&) = delete;
  DataParallelGroup& operator=(const DataParallelGroup&) = delete;

  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }
  bool distributed() const { return options_.distributed(); }
  bool writer() const { return options_.writer(); }

  // Overwrites every rank's tensors (contiguous float CPU tensors; parameters allowed) with
  // rank 0's values.
  void broadcast_from_writer(const std::vector<at::Tensor>& tensors);
  // Replaces each parameter's gradient by the weighted mean over ranks,
  // sum_r weight_r * grad_r / sum_r weight_r (an undefined gradient counts as zeros), so that a
  // rank whose local loss is a mean over `weight` samples contributes in proportion. Returns
  // sum_r weight_r (0: no rank had a sample; the gradients are then all zero). One all-reduce
  // of one flat buffer.
  double average_gradients(const std::vector<at::Tensor>& parameters, double weight);
  // Element-wise sum over ranks.
  std::vector<double> sum(std::vector<double> values);
  // Rank 0's values, on every rank.
  std::vector<double> broadcast(std::vector<double> values);

 private:
  struct Impl;
  DistributedOptions options_;
  std::unique_ptr<Impl> impl_;
};

// FNV-1a (64 bit) of the tensors' float values in order: equal on two ranks iff (up to hash
// collisions) their parameters are bit-identical. Printed as 16 hex digits by the trainers.
uint64_t parameter_checksum(const std::vector<at::Tensor>& tensors);

}  // namespace recsys::model::gnn

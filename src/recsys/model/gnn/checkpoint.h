#pragma once
// One training checkpoint of a LibTorch model (include only from src/recsys/model/gnn/*.cpp):
// named tensors (parameters, best-so-far copies...), the optimizer's state and the trainer's
// own JSON state (epochs done, sampler position, training curve, early stopping, the
// configuration it was made with), in <dir>/checkpoint.pt (torch::serialize archive), replaced
// atomically each time (written to a temporary file, then renamed).
#include <torch/torch.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace recsys::model::gnn {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

class Checkpoint {
 public:
  explicit Checkpoint(const std::filesystem::path& dir);

  const std::filesystem::path& file() const { return file_; }
  bool exists() const;

  // Creates the directory if needed; throws IoError naming the file when it cannot write.
  void save(const NamedTensors& tensors, const torch::optim::Optimizer& optimizer,
            const nlohmann::json& state) const;

  // Copies the saved tensors into `tensors` (same names and shapes, else FormatError naming
  // the file and tensor), restores the optimizer and returns the JSON state. Throws IoError /
  // FormatError naming the file when it is missing or unreadable.
  nlohmann::json load(const NamedTensors& tensors, torch::optim::Optimizer& optimizer) const;

  // Only the JSON state (e.g. to check the configuration before load()); same errors.
  nlohmann::json read_state() const;

 private:
  std::filesystem::path file_;
};

}  // namespace recsys::model::gnn

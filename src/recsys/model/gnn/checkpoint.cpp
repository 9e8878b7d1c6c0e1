#include "recsys/model/gnn/checkpoint.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <system_error>

#include "recsys/core/error.h"

namespace recsys::model::gnn {

namespace {

nlohmann::json parse_state(const c10::IValue& state, const std::filesystem::path& file) {
  if (!state.isString())
    throw FormatError(fmt::format("{}: the checkpoint's state is not a string", file.string()));
  try {
    return nlohmann::json::parse(state.toStringRef());
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(
        fmt::format("{}: the checkpoint's state is not JSON ({})", file.string(), e.what()));
  }
}

}  // namespace

Checkpoint::Checkpoint(const std::filesystem::path& dir) : file_(dir / "checkpoint.pt") {}

bool Checkpoint::exists() const { return std::filesystem::is_regular_file(file_); }

void Checkpoint::save(const NamedTensors& tensors, const torch::optim::Optimizer& optimizer,
                      const nlohmann::json& state) const {
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  if (ec)
    throw IoError(fmt::format("{}: cannot create the checkpoint directory: {}",
                              file_.parent_path().string(), ec.message()));
  torch::serialize::OutputArchive archive;
  for (const auto& [name, tensor] : tensors) archive.write("tensor." + name, tensor.detach());
  torch::serialize::OutputArchive optimizer_archive;
  optimizer.save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("state", c10::IValue(state.dump()));
  const auto temporary = std::filesystem::path(file_.string() + ".tmp");
  try {
    archive.save_to(temporary.string());
  } catch (const c10::Error& e) {
    throw IoError(fmt::format("{}: cannot write the checkpoint: {}", temporary.string(),
                              e.what_without_backtrace()));
  }
  std::filesystem::rename(temporary, file_, ec);
  if (ec)
    throw IoError(fmt::format("{}: cannot replace the checkpoint: {}", file_.string(),
                              ec.message()));
}

nlohmann::json Checkpoint::load(const NamedTensors& tensors,
                                torch::optim::Optimizer& optimizer) const {
  if (!exists()) throw IoError(fmt::format("{}: no checkpoint to resume from", file_.string()));
  torch::serialize::InputArchive archive;
  c10::IValue state;
  try {
    archive.load_from(file_.string());
    torch::NoGradGuard no_grad;
    for (const auto& [name, tensor] : tensors) {
      torch::Tensor saved;
      if (!archive.try_read("tensor." + name, saved))
        throw FormatError(fmt::format("{}: no tensor \"{}\"", file_.string(), name));
      if (saved.sizes() != tensor.sizes() || saved.scalar_type() != tensor.scalar_type())
        throw FormatError(fmt::format("{}: tensor \"{}\" has shape {} ({}), {} ({}) expected",
                                      file_.string(), name, fmt::join(saved.sizes(), "x"),
                                      std::string(c10::toString(saved.scalar_type())),
                                      fmt::join(tensor.sizes(), "x"),
                                      std::string(c10::toString(tensor.scalar_type()))));
      tensor.copy_(saved);
    }
    torch::serialize::InputArchive optimizer_archive;
    archive.read("optimizer", optimizer_archive);
    optimizer.load(optimizer_archive);
    archive.read("state", state);
  } catch (const c10::Error& e) {
    throw FormatError(
        fmt::format("{}: unreadable checkpoint: {}", file_.string(), e.what_without_backtrace()));
  }
  return parse_state(state, file_);
}

nlohmann::json Checkpoint::read_state() const {
  if (!exists()) throw IoError(fmt::format("{}: no checkpoint to resume from", file_.string()));
  torch::serialize::InputArchive archive;
  c10::IValue state;
  try {
    archive.load_from(file_.string());
    archive.read("state", state);
  } catch (const c10::Error& e) {
    throw FormatError(
        fmt::format("{}: unreadable checkpoint: {}", file_.string(), e.what_without_backtrace()));
  }
  return parse_state(state, file_);
}

}  // namespace recsys::model::gnn

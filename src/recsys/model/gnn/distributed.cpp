#include "recsys/model/gnn/distributed.h"

#include <fmt/format.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"

#ifndef USE_C10D_GLOO
#error "distributed.cpp needs USE_C10D_GLOO (CMakeLists.txt defines it with libgloo-dev)"
#endif

namespace recsys::model::gnn {

struct DataParallelGroup::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;

  void run(std::vector<at::Tensor>& tensors, bool all_reduce, const char* what) {
    try {
      auto work = all_reduce ? group->allreduce(tensors) : group->broadcast(tensors);
      work->wait();
    } catch (const std::exception& e) {
      throw IoError(fmt::format("distributed training: {} failed (did another rank stop?): {}",
                                what, e.what()));
    }
  }
};

namespace {

// The transport device: on a loopback master every rank is on this machine and binds the
// loopback; otherwise the interface GLOO_SOCKET_IFNAME names, else this host's address.
std::shared_ptr<::gloo::transport::Device> transport_device(const std::string& master_host) {
  if (const char* iface = std::getenv("GLOO_SOCKET_IFNAME"); iface && *iface)
    return c10d::ProcessGroupGloo::createDeviceForInterface(iface);
  if (master_host == "localhost" || master_host.rfind("127.", 0) == 0)
    return c10d::ProcessGroupGloo::createDeviceForHostname(master_host);
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

DataParallelGroup::DataParallelGroup(const DistributedOptions& options, double join_seconds)
    : options_(options) {
  if (!options_.distributed()) return;
  const std::string master = fmt::format("{}:{}", options_.master_host, options_.master_port);
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(join_seconds * 1000));
  impl_ = std::make_unique<Impl>();
  try {
    c10d::TCPStoreOptions store_options;
    store_options.port = options_.master_port;
    store_options.isServer = options_.writer();
    store_options.numWorkers = static_cast<size_t>(options_.world_size);
    store_options.waitWorkers = true;
    store_options.timeout = timeout;
    impl_->store = c10::make_intrusive<c10d::TCPStore>(options_.master_host, store_options);
    auto group_options = c10d::ProcessGroupGloo::Options::create();
    group_options->devices.push_back(transport_device(options_.master_host));
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(
        impl_->store, options_.rank, options_.world_size, group_options);
  } catch (const std::exception& e) {
    throw IoError(fmt::format(
        "--master {}: rank {} of {} could not join the process group within {} s: {}", master,
        options_.rank, options_.world_size, join_seconds, e.what()));
  }
  log_info(fmt::format("distributed: rank {} of {} joined the Gloo process group at {}",
                       options_.rank, options_.world_size, master));
}

DataParallelGroup::~DataParallelGroup() = default;

void DataParallelGroup::broadcast_from_writer(const std::vector<at::Tensor>& tensors) {
  if (!distributed()) return;
  torch::NoGradGuard no_grad;
  for (const auto& t : tensors) {
    if (!t.is_contiguous())
      throw InvalidArgument("distributed broadcast: the tensor is not contiguous");
    std::vector<at::Tensor> one = {t.detach()};  // shares the storage: written in place
    impl_->run(one, false, "broadcast of the parameters");
  }
}

double DataParallelGroup::average_gradients(const std::vector<at::Tensor>& parameters,
                                            double weight) {
  if (!distributed()) return weight;
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> parts;
  parts.reserve(parameters.size() + 1);
  for (const auto& p : parameters) {
    const at::Tensor g = p.grad();
    parts.push_back(g.defined() ? (g.reshape({-1}) * weight)
                                : torch::zeros({p.numel()}, p.options().requires_grad(false)));
  }
  parts.push_back(torch::full({1}, weight, torch::kFloat32));
  std::vector<at::Tensor> flat = {torch::cat(parts)};
  impl_->run(flat, true, "all-reduce of the gradients");
  const int64_t n = flat[0].numel();
  const double total = flat[0][n - 1].item<double>();
  if (total > 0) flat[0].div_(total);
  int64_t offset = 0;
  for (const auto& p : parameters) {
    at::Tensor& g = p.mutable_grad();
    const at::Tensor part = flat[0].slice(0, offset, offset + p.numel()).view(p.sizes());
    if (g.defined())
      g.copy_(part);
    else
      g = part.clone();
    offset += p.numel();
  }
  return total;
}

std::vector<double> DataParallelGroup::sum(std::vector<double> values) {
  if (!distributed() || values.empty()) return values;
  std::vector<at::Tensor> t = {
      torch::from_blob(values.data(), {static_cast<int64_t>(values.size())}, torch::kFloat64)};
  impl_->run(t, true, "all-reduce of the epoch totals");
  return values;
}

std::vector<double> DataParallelGroup::broadcast(std::vector<double> values) {
  if (!distributed() || values.empty()) return values;
  std::vector<at::Tensor> t = {
      torch::from_blob(values.data(), {static_cast<int64_t>(values.size())}, torch::kFloat64)};
  impl_->run(t, false, "broadcast of rank 0's decision");
  return values;
}

uint64_t parameter_checksum(const std::vector<at::Tensor>& tensors) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& t : tensors) {
    const at::Tensor c = t.detach().to(torch::kFloat32).contiguous();
    const auto* bytes = static_cast<const unsigned char*>(c.data_ptr());
    const size_t n = static_cast<size_t>(c.numel()) * sizeof(float);
    for (size_t i = 0; i < n; ++i) {
      h ^= bytes[i];
      h *= 0x100000001b3ULL;
    }
  }
  return h;
}

}  // namespace recsys::model::gnn

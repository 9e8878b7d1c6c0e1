#pragma once
// Call at the start of every LibTorch training or inference entry point.
namespace recsys::model::gnn {

void configure_torch_threads();

}  // namespace recsys::model::gnn

// LibTorch runs on one thread unless told otherwise (GUIDE.md): match it to the project's
// thread setting (core/thread_setup.h) before any model touches a tensor.
#include <torch/torch.h>

#include "recsys/core/thread_setup.h"
#include "recsys/model/gnn/torch_threads.h"

namespace recsys::model::gnn {

void configure_torch_threads() {
  const int n = thread_count();
  if (at::get_num_threads() != n) at::set_num_threads(n);
}

}  // namespace recsys::model::gnn

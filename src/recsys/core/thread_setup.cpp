#include "recsys/core/thread_setup.h"

#include <cblas.h>
#include <omp.h>

#include <string>
#include <thread>

#include "recsys/core/error.h"

namespace recsys {

int configure_threads(int requested) {
  if (requested < 0)
    throw ConfigError("--threads: expected 0 (all cores) or a positive number, got " +
                      std::to_string(requested));
  int n = requested;
  if (n == 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  omp_set_num_threads(n);
  openblas_set_num_threads(n);
  return n;
}

int thread_count() {
  return omp_get_max_threads();
}

SingleThreadedBlas::SingleThreadedBlas() : previous_(openblas_get_num_threads()) {
  openblas_set_num_threads(1);
}

SingleThreadedBlas::~SingleThreadedBlas() {
  openblas_set_num_threads(previous_);
}

}  // namespace recsys

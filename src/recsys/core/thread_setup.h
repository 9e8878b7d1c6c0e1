#pragma once
// Thread-count setup for the whole process: OpenMP and OpenBLAS.
namespace recsys {

// Sets the number of worker threads (0 = all hardware threads) for OpenMP
// regions and OpenBLAS calls; returns the number in effect. Negative throws ConfigError.
int configure_threads(int requested);
// The number of threads OpenMP regions use.
int thread_count();

// Within its scope OpenBLAS runs single-threaded, so BLAS calls made from inside
// OpenMP workers neither oversubscribe the cores nor depend on the thread count.
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int previous_;
};

}  // namespace recsys

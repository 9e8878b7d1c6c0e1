#pragma once
// The BSPM graph filter as a BlockScorer. With R the binary user x item training matrix,
// R~ = D_U^-1/2 R D_I^-1/2, P = R~^T R~ (item x item, never formed) and V the top-k right
// singular vectors of R~, a user's row r of R is scored by
//   idl      = r D_I^-1/2 V V^T D_I^1/2                (ideal low-pass; the paper's Euler step
//                                                       of dx/dt = x (M - I) over t in [0, 1])
//   blurred  = x(T_b) of dx/dt = x (P - I), x(0) = r   (Euler or RK4, K_b steps; T_b = K_b = 1
//                                                       gives r P)
//   s(0)     = blurred + idl_beta * idl                (final_sharpening; else s(0) = blurred)
//   sharp    = s(T_s) of ds/dt = -s P                  (Euler or RK4, K_s steps; none for T_s = 0)
//   score    = sharp (+ idl_beta * idl unless final_sharpening, or when T_s = 0)
// With t_point_combination the blurring and sharpening states at every step are averaged in
// place of the last state. The filter is linear in r, so a block of users is scored with the
// block kept item-major (items x users): each P application is two sparse products whose inner
// loop is a contiguous axpy over the block, and the idl term is one GEMM with V. For a linear
// ODE every 4-stage RK4 variant gives x (I + hA + (hA)^2/2 + (hA)^3/6 + (hA)^4/24), evaluated here
// by Horner's rule. Users without training items get the items' training degrees (popularity).
#include <cstdint>
#include <vector>

#include "recsys/eval/block_scorer.h"
#include "recsys/eval/user_item_lists.h"
#include "recsys/model/bspm_config.h"
#include "recsys/model/sparse_matrix.h"

namespace recsys::model {

// R~ (users x items), its transpose and the item degrees of a binary training matrix; repeated
// (user, item) pairs count once. Throws InvalidArgument for an item id >= n_items.
struct NormalizedInteractions {
  SparseMatrix r;
  SparseMatrix r_t;
  std::vector<float> item_degree;
  std::vector<float> user_degree;
};
NormalizedInteractions normalize_interactions(const eval::UserItemLists& train, int64_t n_users,
                                              int64_t n_items);

class BspmScorer : public eval::BlockScorer {
 public:
  // factors: items x params.k row-major (V); R~ is built from `train` (copied). Throws
  // InvalidArgument when the sizes do not fit.
  BspmScorer(const eval::UserItemLists& train, int64_t n_users, int64_t n_items,
             const BspmParameters& params, std::vector<float> factors);
  int64_t n_items() const override { return n_items_; }
  // Thread-safe; single-threaded inside (the evaluator runs blocks on its own threads).
  void score(const int32_t* users, int64_t n, float* out) const override;

 private:
  int64_t n_users_, n_items_;
  BspmParameters params_;
  NormalizedInteractions m_;
  std::vector<float> factors_;
  std::vector<float> inv_sqrt_degree_, sqrt_degree_;
};

}  // namespace recsys::model

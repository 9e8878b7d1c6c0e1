#pragma once
// The `hetero` network (LibTorch; include only from src/recsys/model/gnn/*.cpp):
//
//   user u:   x_u = [features(u), mean over u's training places p of features(p)]
//             h_u = Linear(x_u) + MLP(x_u) + mean_{p in places(u)} Q_p + sum_{n in nbhd(u)} N_n
//                   + H_home(u) + C_city(u)                           (place-preference part)
//             s_u = Linear_s(x_u) + MLP_s(x_u) + mean_{f in friends(u)} F_f
//                   + mean_{n in nbhd(u)} N^s_n + C^s_city(u)         (social part)
//   place p:  h_p = Linear(x_p) + MLP(x_p) + P_p + N'_nbhd(p) + C'_city(p)
//
// i.e. one GraphSAGE-style mean aggregation per relation (user <- place, user <- friend,
// user <- neighborhoods (a sum: the generator's location factor is 1 in any frequent
// neighborhood), user <- home neighborhood, place <- neighborhood / city) over feature encoders and learned id
// embeddings (Q, P place ids, optional; F friend context). A user's embedding is [h_u, s_u],
// a place's [h_p, 0]: <user, place> = <h_u, h_p> and <user, user> = <h_u, h_v> + <s_u, s_v>.
// Inductive: a user unseen in training gets h_u, s_u from its features, neighborhoods and
// whatever places / friends it has. The attendance head is a small MLP on a user pair.
//
// Three exact blocks follow h in the place part (docs/decisions.md, "hetero", 2026-11-26):
//   feature cross:  place c_p = kCrossScale * z_p, z_p = the place's normalised feature copies
//                   (hetero_inputs.h); user c_u[j] = sum over cross entries e with place column
//                   j of w_e * x_u[user_col e]: a learned diagonal between width-matched user and
//                   place blocks (matched_cross_entries), so <c_u, c_p> holds any weighted
//                   cosine / mean-of-preferences between a user and a place block exactly, with
//                   a few hundred weights instead of a rank-`dim` product of two linear maps;
//   location:       user  l_u = sum_{n in nbhd(u)} L_n + L'_home(u)  (rows over neighborhoods),
//                   place l_p = kLocationScale * one_hot(nbhd(p)), so <l_u, l_p> is a free
//                   learned table of user-neighborhood x place-neighborhood affinities.
//   place bias:     user 1, place kBiasScale * b_p (a learned scalar per place: any additive
//                   place term, e.g. a popularity the training degree only approximates).
// The place part is [h, c, l, b] (place_part() wide); users are [h, c, l, 1, s].
#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace recsys::model::gnn {

struct HeteroShape {
  int64_t user_input_cols = 0, place_cols = 0;
  int64_t n_users = 0, n_places = 0, n_cities = 0, n_neighborhoods = 0;
  int64_t dim = 64, social_dim = 64, hidden = 256;
  bool place_ids = true;
  // Feature cross: the place_x columns [cross_offset, cross_offset + cross_cols); 0: none.
  int64_t cross_offset = 0, cross_cols = 0;
  std::vector<int64_t> cross_user_col, cross_place_col;  // matched_cross_entries
  bool location = false;  // location block over n_neighborhoods + 1 (unknown) columns
  int64_t location_cols() const { return location ? n_neighborhoods + 1 : 0; }
  bool place_bias = false;  // one column: user 1, place a learned scalar
  int64_t place_part() const { return dim + cross_cols + location_cols() + (place_bias ? 1 : 0); }
};

// Fixed scales of the place side of the exact blocks: Adam moves every weight by about the
// learning rate per step, so a scaled fixed input lets the user side reach the generator's
// logit range (weight / temperature, up to ~6) in a few hundred steps instead of thousands.
inline constexpr float kCrossScale = 8.0f;
inline constexpr float kLocationScale = 4.0f;
inline constexpr float kBiasScale = 4.0f;

// One batch of users as the network reads it (bags are embedding_bag indices / offsets).
struct UserBatch {
  torch::Tensor dense;                     // [n, user_input_cols] float
  torch::Tensor place_idx, place_off;      // training places (int64)
  torch::Tensor friend_idx, friend_off;    // training friends
  torch::Tensor nbhd_idx, nbhd_off;        // neighborhoods
  torch::Tensor city;                      // [n] int64 (n_cities = unknown)
  torch::Tensor home;                      // [n] int64 home neighborhood (n_neighborhoods = unknown)
};

class HeteroNetImpl : public torch::nn::Module {
 public:
  explicit HeteroNetImpl(const HeteroShape& shape);

  // [n, place_part() + social_dim]
  torch::Tensor users(const UserBatch& b);
  // [n, place_part()]; place_x [n, place_cols] are the rows of the places in `ids` (int64).
  torch::Tensor places(const torch::Tensor& ids, const torch::Tensor& place_x,
                       const torch::Tensor& nbhd, const torch::Tensor& city);
  // Attendance logit of user pairs from their embeddings [n, place_part() + social_dim] each.
  torch::Tensor attendance_logit(const torch::Tensor& a, const torch::Tensor& b);

  const HeteroShape& shape() const { return shape_; }

 private:
  HeteroShape shape_;
  torch::nn::Linear u_lin{nullptr}, s_lin{nullptr}, p_lin{nullptr};
  torch::Tensor cross_weight, cross_user_idx, cross_place_idx;
  torch::nn::Sequential u_mlp{nullptr}, s_mlp{nullptr}, p_mlp{nullptr}, attend{nullptr};
  torch::nn::Embedding place_ctx{nullptr}, place_id{nullptr}, friend_ctx{nullptr};
  torch::nn::Embedding u_nbhd{nullptr}, u_home{nullptr}, s_nbhd{nullptr}, p_nbhd{nullptr};
  torch::nn::Embedding u_city{nullptr}, s_city{nullptr}, p_city{nullptr};
  torch::nn::Embedding loc_nbhd{nullptr}, loc_home{nullptr}, bias{nullptr};
};
TORCH_MODULE(HeteroNet);

}  // namespace recsys::model::gnn

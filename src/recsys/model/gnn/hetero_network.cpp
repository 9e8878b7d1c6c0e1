#include "recsys/model/gnn/hetero_network.h"

#include <vector>

namespace recsys::model::gnn {

namespace F = torch::nn::functional;

namespace {

torch::nn::Sequential mlp(int64_t in, int64_t hidden, int64_t out) {
  return torch::nn::Sequential(torch::nn::Linear(in, hidden), torch::nn::ReLU(),
                               torch::nn::Linear(hidden, out));
}

torch::nn::Embedding table(int64_t rows, int64_t dim) {
  torch::nn::Embedding e(rows, dim);
  torch::NoGradGuard no_grad;
  e->weight.normal_(0.0, 0.05);
  return e;
}

torch::Tensor bag_sum(const torch::nn::Embedding& e, const torch::Tensor& idx,
                      const torch::Tensor& off) {
  return F::embedding_bag(idx, e->weight, F::EmbeddingBagFuncOptions().offsets(off).mode(torch::kSum));
}

torch::Tensor bag_mean(const torch::nn::Embedding& e, const torch::Tensor& idx,
                       const torch::Tensor& off) {
  return F::embedding_bag(idx, e->weight, F::EmbeddingBagFuncOptions().offsets(off).mode(torch::kMean));
}

}  // namespace

HeteroNetImpl::HeteroNetImpl(const HeteroShape& s) : shape_(s) {
  const int64_t uc = std::max<int64_t>(s.user_input_cols, 1), pc = std::max<int64_t>(s.place_cols, 1);
  u_lin = register_module("u_lin", torch::nn::Linear(uc, s.dim));
  u_mlp = register_module("u_mlp", mlp(uc, s.hidden, s.dim));
  p_lin = register_module("p_lin", torch::nn::Linear(pc, s.dim));
  p_mlp = register_module("p_mlp", mlp(pc, s.hidden, s.dim));
  u_nbhd = register_module("u_nbhd", table(s.n_neighborhoods + 1, s.dim));
  u_home = register_module("u_home", table(s.n_neighborhoods + 1, s.dim));
  p_nbhd = register_module("p_nbhd", table(s.n_neighborhoods + 1, s.dim));
  u_city = register_module("u_city", table(s.n_cities + 1, s.dim));
  p_city = register_module("p_city", table(s.n_cities + 1, s.dim));
  if (s.place_ids) {
    place_ctx = register_module("place_ctx", table(s.n_places, s.dim));
    place_id = register_module("place_id", table(s.n_places, s.dim));
  }
  if (s.social_dim > 0) {
    s_lin = register_module("s_lin", torch::nn::Linear(uc, s.social_dim));
    s_mlp = register_module("s_mlp", mlp(uc, s.hidden, s.social_dim));
    friend_ctx = register_module("friend_ctx", table(s.n_users, s.social_dim));
    s_nbhd = register_module("s_nbhd", table(s.n_neighborhoods + 1, s.social_dim));
    s_city = register_module("s_city", table(s.n_cities + 1, s.social_dim));
  }
  if (s.cross_cols > 0) {  // starts at 0: the block adds no noise before it has learned anything
    const auto n = static_cast<int64_t>(s.cross_user_col.size());
    cross_weight = register_parameter("u_cross", torch::zeros({n}));
    cross_user_idx = torch::tensor(s.cross_user_col, torch::kInt64);
    cross_place_idx = torch::tensor(s.cross_place_col, torch::kInt64);
  }
  if (s.location) {
    const int64_t lc = s.location_cols();
    loc_nbhd = register_module("loc_nbhd", table(lc, lc));
    loc_home = register_module("loc_home", table(lc, lc));
    torch::NoGradGuard no_grad;
    loc_nbhd->weight.zero_();
    loc_home->weight.zero_();
  }
  if (s.place_bias) {
    bias = register_module("place_bias", table(s.n_places, 1));
    torch::NoGradGuard no_grad;
    bias->weight.zero_();
  }
  attend = register_module("attend", mlp(2 * (s.place_part() + s.social_dim), 64, 1));
}

torch::Tensor HeteroNetImpl::users(const UserBatch& b) {
  torch::Tensor x = b.dense;
  if (shape_.user_input_cols == 0) x = torch::zeros({b.city.size(0), 1});
  torch::Tensor h = u_lin(x) + u_mlp->forward(x) + bag_sum(u_nbhd, b.nbhd_idx, b.nbhd_off) +
                    u_home(b.home) + u_city(b.city);
  if (shape_.place_ids) h = h + bag_mean(place_ctx, b.place_idx, b.place_off);
  if (shape_.cross_cols > 0 || shape_.location || shape_.place_bias) {
    std::vector<torch::Tensor> parts{h};
    if (shape_.cross_cols > 0)
      parts.push_back(torch::zeros({x.size(0), shape_.cross_cols})
                          .index_add(1, cross_place_idx,
                                     x.index_select(1, cross_user_idx) * cross_weight));
    if (shape_.location)
      parts.push_back(bag_sum(loc_nbhd, b.nbhd_idx, b.nbhd_off) + loc_home(b.home));
    if (shape_.place_bias) parts.push_back(torch::ones({h.size(0), 1}));
    h = torch::cat(parts, 1);
  }
  if (shape_.social_dim == 0) return h;
  torch::Tensor s = s_lin(x) + s_mlp->forward(x) + bag_mean(friend_ctx, b.friend_idx, b.friend_off) +
                    bag_mean(s_nbhd, b.nbhd_idx, b.nbhd_off) + s_city(b.city);
  return torch::cat({h, s}, 1);
}

torch::Tensor HeteroNetImpl::places(const torch::Tensor& ids, const torch::Tensor& place_x,
                                    const torch::Tensor& nbhd, const torch::Tensor& city) {
  torch::Tensor x = place_x;
  if (shape_.place_cols == 0) x = torch::zeros({ids.size(0), 1});
  torch::Tensor h = p_lin(x) + p_mlp->forward(x) + p_nbhd(nbhd) + p_city(city);
  if (shape_.place_ids) h = h + place_id(ids);
  if (shape_.cross_cols == 0 && !shape_.location && !shape_.place_bias) return h;
  std::vector<torch::Tensor> parts{h};
  if (shape_.cross_cols > 0)
    parts.push_back(kCrossScale * x.narrow(1, shape_.cross_offset, shape_.cross_cols));
  if (shape_.location)
    parts.push_back(kLocationScale *
                    F::one_hot(nbhd, shape_.location_cols()).to(torch::kFloat32));
  if (shape_.place_bias) parts.push_back(kBiasScale * bias(ids));
  return torch::cat(parts, 1);
}

torch::Tensor HeteroNetImpl::attendance_logit(const torch::Tensor& a, const torch::Tensor& b) {
  return attend->forward(torch::cat({a * b, (a - b).abs()}, 1)).squeeze(1);
}

}  // namespace recsys::model::gnn

// Serving the `hetero` model without LibTorch (src/recsys/model/hetero_serving.h) against the
// LibTorch network it was trained as: a tiny model trained through the program, then
//  - known users rebuilt from their own feature rows and graph neighbours give the exported
//    embeddings (cold-start users of the graph included);
//  - new users from a profile give what HeteroNet::users computes for the same input and bags;
//  - the attendance head gives torch's sigmoid(attendance_logit);
//  - the profile -> feature row mapping and the errors for bad / missing files.
#include "recsys/model/hetero_serving.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../common/cli_run.h"
#include "recsys/core/error.h"
#include "recsys/graph/graph_artifact.h"
#include "recsys/model/gnn/hetero_network.h"
#include "recsys/model/hetero_params.h"
#include "recsys/model/holdout_split.h"
#include "recsys/model/npy_file.h"

namespace fs = std::filesystem;

namespace recsys::model {
namespace {

// Its own folder: hetero_test.cpp, in the same test program, uses recsys::testing::scratch().
const fs::path& scratch() {
  static const fs::path dir = recsys::testing::fresh_dir("hetero-serving");
  return dir;
}
int run(const std::string& args) {
  return recsys::testing::run_recsys(args, scratch());
}
std::string err() {
  return recsys::testing::log_err(scratch());
}

nlohmann::json read_json(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

// A small generated data set, its graph and a tiny hetero model (place id embeddings on, so
// every part of the user side is exercised).
struct Fixture {
  fs::path graph, model;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture x;
    const fs::path data = scratch() / "data";
    x.graph = scratch() / "graph";
    x.model = scratch() / "model";
    EXPECT_EQ(run("generate --output-dir " + data.string() +
                  " --n-users 600 --n-places 400 --n-cities 2 -q"),
              0)
        << err();
    EXPECT_EQ(run("build-graph --data " + data.string() + " --output " + x.graph.string() + " -q"),
              0)
        << err();
    EXPECT_EQ(
        run("train --graph " + x.graph.string() + " --model hetero --output " + x.model.string() +
            " --force -q --set hetero.max_epochs=1 --set hetero.batch_size=256 "
            "--set hetero.negatives=128 --set hetero.city_negatives=64 "
            "--set hetero.hidden=24 --set hetero.dim=16 --set hetero.social_dim=8 "
            "--set hetero.place_ids=true --set hetero.learning_rate=0.01"),
        0)
        << err();
    return x;
  }();
  return f;
}

// The LibTorch network of the model folder.
gnn::HeteroNet load_net(const fs::path& model) {
  const auto s = read_json(model / "hetero_inputs.json").at("shape");
  gnn::HeteroShape shape;
  shape.user_input_cols = s.at("user_input_cols");
  shape.place_cols = s.at("place_cols");
  shape.n_users = s.at("n_users");
  shape.n_places = s.at("n_places");
  shape.n_cities = s.at("n_cities");
  shape.n_neighborhoods = s.at("n_neighborhoods");
  shape.dim = s.at("dim");
  shape.social_dim = s.at("social_dim");
  shape.hidden = s.at("hidden");
  shape.place_ids = s.at("place_ids");
  shape.cross_offset = s.at("cross_offset");
  shape.cross_cols = s.at("cross_cols");
  shape.cross_user_col = s.at("cross_user_col").get<std::vector<int64_t>>();
  shape.cross_place_col = s.at("cross_place_col").get<std::vector<int64_t>>();
  shape.location = s.at("location");
  shape.place_bias = s.at("place_bias");
  gnn::HeteroNet net(shape);
  torch::load(net, (model / "hetero_weights.pt").string());
  net->eval();
  return net;
}

torch::Tensor bag_indices(const std::vector<int32_t>& v) {
  std::vector<int64_t> w(v.begin(), v.end());
  return torch::tensor(w, torch::kInt64);
}

// max |a - b| / max(1e-3, |b|_inf): relative to the vector's scale.
double relative_difference(const float* a, const float* b, int64_t n) {
  double diff = 0, scale = 1e-3;
  for (int64_t k = 0; k < n; ++k) {
    diff = std::max(diff, static_cast<double>(std::abs(a[k] - b[k])));
    scale = std::max(scale, static_cast<double>(std::abs(b[k])));
  }
  return diff / scale;
}

TEST(HeteroServing, ModelListsTheTorchFreeFilesAsServingFiles) {
  const auto m = read_json(fixture().model / "manifest.json");
  const auto files = m.at("serving_files").get<std::vector<std::string>>();
  for (const char* f : {"hetero_inputs.json", "hetero_params.json", "hetero_params.bin"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), f), files.end()) << f;
    EXPECT_TRUE(fs::is_regular_file(fixture().model / f)) << f;
  }
  EXPECT_TRUE(HeteroServing::available(fixture().model));
  EXPECT_FALSE(HeteroServing::available(fixture().graph));
  // Every torch parameter is in the index with its shape and values.
  auto net = load_net(fixture().model);
  const HeteroParams params = read_hetero_params(fixture().model);
  EXPECT_EQ(params.size(), net->named_parameters().size());
  for (const auto& item : net->named_parameters()) {
    const auto it = params.find(item.key());
    ASSERT_NE(it, params.end()) << item.key();
    const auto v = item.value().contiguous();
    EXPECT_EQ(it->second.shape, std::vector<int64_t>(v.sizes().begin(), v.sizes().end()));
    EXPECT_EQ(relative_difference(it->second.values.data(), v.data_ptr<float>(), v.numel()), 0.0)
        << item.key();
  }
}

TEST(HeteroServing, KnownUsersReproduceTheExportedEmbeddings) {
  const auto g = graph::GraphArtifact::open(fixture().graph);
  const auto serving = HeteroServing::open(fixture().model, g);
  std::vector<int64_t> shape;
  const auto exported = read_npy_f32(fixture().model / "user_embeddings.npy", &shape);
  ASSERT_EQ(shape.size(), 2u);
  ASSERT_EQ(shape[1], serving->dim());
  // The places the model passed messages over: its validation split's training side.
  const auto cfg = read_json(fixture().model / "manifest.json").at("config");
  const auto split = validation_split(g, cfg.at("hetero").at("holdout_fraction").get<double>(),
                                      cfg.at("seed").get<uint64_t>());
  const auto cold = g.array<uint8_t>("user.cold_start");
  int n_cold = 0, n_warm = 0;
  for (int32_t u = 0; u < g.n_users(); u += 3) {
    NewUserProfile p = serving->graph_profile(u);
    const auto row = split.train.items_of(u);
    p.places.assign(row.begin(), row.end());
    const auto e = serving->embed_user(u, p);
    ASSERT_EQ(static_cast<int64_t>(e.size()), shape[1]);
    EXPECT_LT(relative_difference(e.data(), exported.data() + u * shape[1], shape[1]), 1e-4)
        << "user " << u;
    (cold[static_cast<size_t>(u)] ? n_cold : n_warm) += 1;
    if (cold[static_cast<size_t>(u)]) {
      EXPECT_TRUE(p.places.empty()) << "cold-start user " << u << " has training places";
    }
  }
  EXPECT_GT(n_cold, 0);
  EXPECT_GT(n_warm, 0);
}

TEST(HeteroServing, NewUsersMatchTheTorchNetworkAndAttendanceHead) {
  const auto g = graph::GraphArtifact::open(fixture().graph);
  const auto serving = HeteroServing::open(fixture().model, g);
  auto net = load_net(fixture().model);
  torch::NoGradGuard no_grad;
  const int64_t n_places = g.n_places(), n_users = g.n_users();
  std::vector<NewUserProfile> profiles(5);
  profiles[0].home_city = 1;  // only a city
  profiles[1].interest_categories = {0, 3};
  profiles[1].home_neighborhood = serving->graph_profile(7).home_neighborhood;
  profiles[2].places = {1, 5, static_cast<int32_t>(n_places - 1)};
  profiles[2].friends = {2, static_cast<int32_t>(n_users - 1)};
  profiles[2].neighborhoods = serving->graph_profile(11).neighborhoods;
  profiles[3] = serving->graph_profile(20);  // a full profile (without its own feature row)
  profiles[3].interest_categories = {1};
  // profiles[4]: nothing at all
  for (size_t i = 0; i < profiles.size(); ++i) {
    const NewUserProfile p = serving->complete(profiles[i]);
    const auto x = serving->input_row(profiles[i]);
    ASSERT_EQ(static_cast<int64_t>(x.size()), serving->input_cols());
    gnn::UserBatch b;
    b.dense = torch::from_blob(const_cast<float*>(x.data()), {1, serving->input_cols()}).clone();
    b.place_idx = bag_indices(p.places);
    b.friend_idx = bag_indices(p.friends);
    b.nbhd_idx = bag_indices(p.neighborhoods);
    b.place_off = b.friend_off = b.nbhd_off = torch::zeros({1}, torch::kInt64);
    const auto& shape = net->shape();
    b.city = torch::full({1}, p.home_city >= 0 ? p.home_city : shape.n_cities, torch::kInt64);
    b.home = torch::full(
        {1}, p.home_neighborhood >= 0 ? p.home_neighborhood : shape.n_neighborhoods, torch::kInt64);
    const auto expected = net->users(b).contiguous();
    const auto got = serving->embed_user(profiles[i]);
    ASSERT_EQ(static_cast<int64_t>(got.size()), expected.numel());
    EXPECT_LT(relative_difference(got.data(), expected.data_ptr<float>(), expected.numel()), 1e-4)
        << "profile " << i;
  }
  // Attendance on exported user pairs and on a new user.
  std::vector<int64_t> shape;
  const auto users = read_npy_f32(fixture().model / "user_embeddings.npy", &shape);
  const auto all = torch::from_blob(const_cast<float*>(users.data()), {shape[0], shape[1]});
  const auto fresh = serving->embed_user(profiles[2]);
  for (int64_t i = 0; i < 40; ++i) {
    const int64_t a = (i * 37) % shape[0], bi = (i * 101 + 5) % shape[0];
    const float* ea = i == 0 ? fresh.data() : users.data() + a * shape[1];
    const float* eb = users.data() + bi * shape[1];
    const auto ta = torch::from_blob(const_cast<float*>(ea), {1, shape[1]});
    const auto tb = all.index_select(0, torch::tensor({bi}, torch::kInt64));
    const float expected = torch::sigmoid(net->attendance_logit(ta, tb)).item<float>();
    EXPECT_NEAR(serving->attendance_probability(ea, eb), expected, 1e-5) << "pair " << i;
  }
}

TEST(HeteroServing, ProfileFillsTheFeatureRowItGives) {
  const auto g = graph::GraphArtifact::open(fixture().graph);
  const auto serving = HeteroServing::open(fixture().model, g);
  const auto f = g.features("user");
  int64_t cat_off = -1, deg = -1, friends = -1, share = -1;
  for (const auto& b : g.manifest()["features"]["user"]["blocks"]) {
    const auto name = b.at("name").get<std::string>();
    const int64_t off = b.at("offset").get<int64_t>();
    if (name == "category_pref") cat_off = off;
    if (name == "train_log_degree") deg = off;
    if (name == "train_log_friends") friends = off;
    if (name == "train_engagement_share") share = off;
  }
  ASSERT_GE(cat_off, 0);
  ASSERT_GE(deg, 0);
  ASSERT_GE(friends, 0);
  ASSERT_GE(share, 0);
  const auto raw = [&](const std::vector<float>& x, int64_t c) {
    return x[static_cast<size_t>(c)] * f.std[static_cast<size_t>(c)] +
           f.mean[static_cast<size_t>(c)];
  };
  NewUserProfile p;
  p.interest_categories = {2, 4, 2};
  p.places = {3, 8};
  p.friends = {1, 2, 9};
  const auto x = serving->input_row(p);
  EXPECT_NEAR(raw(x, cat_off + 2), 0.5, 1e-5);
  EXPECT_NEAR(raw(x, cat_off + 4), 0.5, 1e-5);
  EXPECT_NEAR(raw(x, cat_off + 0), 0.0, 1e-5);
  EXPECT_NEAR(raw(x, deg), std::log1p(2.0), 1e-5);
  EXPECT_NEAR(raw(x, friends), std::log1p(3.0), 1e-5);
  EXPECT_NEAR(x[static_cast<size_t>(share)], 0.0f, 1e-6);  // unknown: the column mean
  // A profile with nothing: zero degree, everything else the mean.
  const auto empty = serving->input_row(NewUserProfile{});
  EXPECT_NEAR(raw(empty, deg), 0.0, 1e-5);
  EXPECT_NEAR(empty[static_cast<size_t>(cat_off)], 0.0f, 1e-6);
  // Ids out of range are the caller's error.
  NewUserProfile bad;
  bad.places = {static_cast<int32_t>(g.n_places())};
  EXPECT_THROW(serving->embed_user(bad), InvalidArgument);
  bad = NewUserProfile{};
  bad.interest_categories = {999};
  EXPECT_THROW(serving->embed_user(bad), InvalidArgument);
  EXPECT_THROW(serving->embed_user(static_cast<int32_t>(g.n_users()), NewUserProfile{}),
               InvalidArgument);
}

void expect_format_error(const fs::path& dir, const graph::GraphArtifact& g,
                         const std::string& names) {
  try {
    HeteroServing::open(dir, g);
    ADD_FAILURE() << "no FormatError, expected one naming " << names;
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find(names), std::string::npos) << e.what();
  }
}

TEST(HeteroServing, BadOrMissingFilesAreFormatErrorsNamingTheFile) {
  const auto g = graph::GraphArtifact::open(fixture().graph);
  const fs::path dir = scratch() / "broken";
  const auto fresh = [&] {
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const char* f : {"hetero_inputs.json", "hetero_params.json", "hetero_params.bin"})
      fs::copy_file(fixture().model / f, dir / f);
  };
  fresh();
  EXPECT_NO_THROW(HeteroServing::open(dir, g));
  fs::remove(dir / "hetero_params.bin");
  expect_format_error(dir, g, "hetero_params.bin");
  fresh();
  fs::resize_file(dir / "hetero_params.bin", fs::file_size(dir / "hetero_params.bin") - 4);
  expect_format_error(dir, g, "hetero_params.bin");
  fresh();
  {
    std::fstream b(dir / "hetero_params.bin", std::ios::in | std::ios::out | std::ios::binary);
    b.seekp(16);
    b.put('\x7f');
  }
  expect_format_error(dir, g, "hetero_params.bin");  // checksum
  fresh();
  fs::remove(dir / "hetero_inputs.json");
  expect_format_error(dir, g, "hetero_inputs.json");
  fresh();
  { std::ofstream(dir / "hetero_params.json") << "{\"format\": "; }
  expect_format_error(dir, g, "hetero_params.json");
  fresh();
  auto index = read_json(dir / "hetero_params.json");
  index["parameters"].erase("u_lin.weight");
  { std::ofstream(dir / "hetero_params.json") << index.dump(); }
  expect_format_error(dir, g, "u_lin.weight");
  fresh();
  auto inputs = read_json(dir / "hetero_inputs.json");
  inputs["shape"]["n_users"] = g.n_users() + 1;
  { std::ofstream(dir / "hetero_inputs.json") << inputs.dump(); }
  expect_format_error(dir, g, "hetero_inputs.json");
  fresh();
  inputs = read_json(dir / "hetero_inputs.json");
  inputs["shape"]["hidden"] = inputs["shape"]["hidden"].get<int>() + 1;
  { std::ofstream(dir / "hetero_inputs.json") << inputs.dump(); }
  expect_format_error(dir, g, "u_mlp.0.weight");
}

}  // namespace
}  // namespace recsys::model

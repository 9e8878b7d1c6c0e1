// `recsys recommend`: answers one query from a pipeline workdir (or an embeddings folder) and
// prints the JSON the HTTP server returns (recommend/recommend_json.h):
//   --user ID                    places for a user (filters, --include-seen, --diversity)
//   --user ID --friends          friends for a user
//   --user ID --attendance F     probability that ID and F go out together [--place P]
//   --similar-to PLACE_ID        places similar to a place (filters apply)
//   --profile FILE.json          cold start for a new user (recommend/cold_start_profile.h)
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "recsys/cli/command.h"
#include "recsys/core/error.h"
#include "recsys/recommend/recommend_json.h"

namespace recsys::cli {
namespace {

struct RecommendFlags {
  std::string artifacts, index, near, profile;
  std::optional<int64_t> user, similar_to, attendance, place;
  std::optional<int32_t> city, neighborhood, price_band, time_slot, category;
  std::optional<double> radius_km;
  int k = 20;
  double diversity = recommend::kDefaultDiversity;
  bool friends = false, include_seen = false;
};

recommend::PlaceFilter filter_of(const RecommendFlags& f) {
  recommend::PlaceFilter p;
  p.city = f.city;
  p.neighborhood = f.neighborhood;
  p.price_band = f.price_band;
  p.time_slot = f.time_slot;
  p.category = f.category;
  if (f.near.empty() != !f.radius_km) throw ConfigError("--near and --radius-km go together");
  if (!f.near.empty()) {
    const auto comma = f.near.find(',');
    try {
      if (comma == std::string::npos) throw std::invalid_argument("no comma");
      size_t used_lat = 0, used_lon = 0;
      const std::string lat = f.near.substr(0, comma), lon = f.near.substr(comma + 1);
      p.near =
          recommend::GeoCircle{std::stod(lat, &used_lat), std::stod(lon, &used_lon), *f.radius_km};
      if (used_lat != lat.size() || used_lon != lon.size()) throw std::invalid_argument("tail");
    } catch (const std::logic_error&) {
      throw ConfigError("--near " + f.near + ": expected LAT,LON in degrees");
    }
  }
  return p;
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError(path + ": cannot open the profile");
  const auto j =
      nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}), nullptr, false);
  if (j.is_discarded()) throw ConfigError(path + ": not valid JSON");
  return j;
}

void run(const RecommendFlags& f) {
  const int modes = (f.user ? 1 : 0) + (f.similar_to ? 1 : 0) + (f.profile.empty() ? 0 : 1);
  if (modes != 1) throw ConfigError("give exactly one of --user, --similar-to, --profile");
  if ((f.friends || f.attendance) && !f.user)
    throw ConfigError("--friends and --attendance need --user");
  if (f.friends && f.attendance) throw ConfigError("--friends and --attendance exclude each other");
  if (f.place && !f.attendance) throw ConfigError("--place goes with --attendance");
  recommend::PlaceQuery q;
  q.k = f.k;
  q.filter = filter_of(f);
  q.exclude_seen = !f.include_seen;
  q.diversity = f.diversity;
  // One query: precomputing every user's candidate list would cost more than it saves.
  recommend::RecommenderOptions options;
  options.candidates.per_user = 0;
  const recommend::Recommender r(recommend::open_artifacts(f.artifacts, f.index), options);
  nlohmann::ordered_json out;
  if (f.user && f.friends)
    out = to_json(r.friends_for_user(*f.user, f.k));
  else if (f.user && f.attendance)
    out = to_json(r.attendance(*f.user, *f.attendance, f.place));
  else if (f.user)
    out = to_json(r.places_for_user(*f.user, q));
  else if (f.similar_to)
    out = to_json(r.similar_places(*f.similar_to, f.k, q.filter));
  else
    out = to_json(r.cold_start(recommend::parse_profile(read_json_file(f.profile), f.profile), q));
  std::printf("%s\n", out.dump().c_str());
  std::fflush(stdout);
}

const CommandRegistration registration("recommend", 34, [](CLI::App& app) {
  auto f = std::make_shared<RecommendFlags>();
  auto* cmd = app.add_subcommand(
      "recommend", "Places, friends, similar places, attendance or cold start, printed as JSON");
  cmd->add_option("--artifacts", f->artifacts,
                  "pipeline workdir (embeddings/, graph/, index/, model/) or embeddings folder")
      ->required();
  cmd->add_option("--index", f->index, "index folder (recsys index) to use instead of DIR/index");
  cmd->add_option("--user", f->user, "raw user id: places for this user");
  cmd->add_flag("--friends", f->friends, "with --user: friends for the user instead of places");
  cmd->add_option("--attendance", f->attendance,
                  "with --user: probability that the user and this user go out together");
  cmd->add_option("--place", f->place, "with --attendance: each user's score for this place");
  cmd->add_option("--similar-to", f->similar_to, "raw place id: places similar to it");
  cmd->add_option("--profile", f->profile, "JSON profile of a new user (cold start)");
  cmd->add_option("--k", f->k, "number of results")->capture_default_str();
  cmd->add_option("--diversity", f->diversity, "MMR diversity weight in [0, 1] (0: off)")
      ->capture_default_str();
  cmd->add_option("--city", f->city, "filter: city id");
  cmd->add_option("--neighborhood", f->neighborhood, "filter: neighborhood id");
  cmd->add_option("--price-band", f->price_band, "filter: price band");
  cmd->add_option("--time-slot", f->time_slot, "filter: time slot");
  cmd->add_option("--category", f->category, "filter: category id");
  cmd->add_option("--near", f->near, "filter: LAT,LON (with --radius-km)");
  cmd->add_option("--radius-km", f->radius_km, "filter: radius around --near");
  cmd->add_flag("--include-seen", f->include_seen, "keep places the user already interacted with");
  cmd->callback([f] { run(*f); });
});

}  // namespace
}  // namespace recsys::cli

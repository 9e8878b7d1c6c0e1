#pragma once
// The evaluator's result: a flat, sorted map from metric key to value, written
// as a flat JSON object. Key scheme (see docs/decisions.md, "Evaluation"):
//   [prefix]users                    number of users evaluated (those with >= 1 test item)
//   [prefix]recall@K, ndcg@K, hit@K  means over those users
//   [prefix]mrr                      mean reciprocal rank, cut off at the largest K
//   [prefix]coverage@K               distinct items in anyone's top K / catalogue size
//   [prefix]group.<name>.<metric>    the same metrics over the users of group <name>;
//                                    a group with no evaluated user has only ".users" = 0
// The prefix is empty for places and e.g. "friends." for held-out social edges.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace recsys::eval {

using MetricMap = std::map<std::string, double>;

nlohmann::json metrics_to_json(const MetricMap& metrics);

// Throws FormatError when the JSON is not a flat object of numbers.
MetricMap metrics_from_json(const nlohmann::json& json);

// A readable two-column table (metric, value), one row per key, for a terminal.
std::string format_metrics_table(const MetricMap& metrics);

}  // namespace recsys::eval

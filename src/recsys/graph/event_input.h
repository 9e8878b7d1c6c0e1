#pragma once
// Interactions reported to `recsys serve` (its events log, data/event_log.h) as extra rows of a
// graph's interactions: `recsys build-graph --events FILE`. An event becomes one view row of its
// user and place (flags: like / save / share / attend; implicit rating 1 + the generator's
// action weights, without dwell; timestamp in microseconds) and goes through the same split as
// the table's rows (a predefined split puts it in training). Events of users or places that
// the tables do not have are skipped and counted: a node needs its profile row.
#include <cstdint>
#include <vector>

#include "recsys/data/event_log.h"
#include "recsys/graph/input_tables.h"

namespace recsys::graph {

struct EventMerge {
  int64_t appended = 0, unknown_user = 0, unknown_place = 0;
};

EventMerge append_events(InputTables& in, const std::vector<data::Event>& events);

}  // namespace recsys::graph

#pragma once
// Neighbour sampling for mini-batch training (GraphSAGE / PinSage style): instead of every
// neighbour of a row, a bag holds at most `fanout` of them, drawn uniformly without replacement
// from the row's list minus the excluded entry (the training target: the sample's own place or
// friendship edge). With fanout 0 the bags are the full lists, as make_bags (hetero_inputs.h).
// The draws come from the caller's generator, so a seeded training run samples the same bags.
// No LibTorch here.
#include <cstdint>
#include <random>

#include "recsys/model/hetero_inputs.h"

namespace recsys::model {

// Row rows[i]'s entries of `lists` as embedding_bag indices / offsets: every entry except
// exclude[i] (when given), none when drop[i] (when given) is set, and when more than `fanout`
// (> 0) remain, `fanout` of them drawn uniformly without replacement, in list order.
// fanout 0: every remaining entry, no draws from `rng`. Throws InvalidArgument naming
// hetero.max_neighbours when fanout < 0.
Bags sample_bags(const NeighbourLists& lists, const int32_t* rows, int64_t n,
                 const int32_t* exclude, const uint8_t* drop, int64_t fanout,
                 std::mt19937_64& rng);

}  // namespace recsys::model

#include "recsys/graph/interaction_split.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "recsys/core/error.h"
#include "recsys/core/random_stream.h"

namespace recsys::graph {

namespace {
constexpr uint64_t kSaltOrder = 0x5157;      // tie-break / random order of a user's pairs
constexpr uint64_t kSaltColdStart = 0xC01D;  // cold-start draw per user

struct Pair {
  int32_t place;
  int64_t first_ts;
  double tie;         // seeded hash
  size_t begin, end;  // range of the user's sorted events
  EventSplit split = EventSplit::Train;
};

void append(InteractionSet& s, int32_t user, int32_t place, const std::vector<size_t>& order,
            size_t begin, size_t end, int64_t limit, const InteractionEvents& ev,
            int64_t& dropped) {
  int32_t count = 0;
  float max_rating = 0;
  uint8_t flags = 0;
  int64_t first = kNoTimestamp, last = kNoTimestamp;
  for (size_t k = begin; k < end; ++k) {
    const size_t r = order[k];
    const int64_t ts = ev.timestamp[r];
    if (limit != kNoTimestamp && ts > limit) {
      ++dropped;
      continue;
    }
    max_rating = count == 0 ? ev.rating[r] : std::max(max_rating, ev.rating[r]);
    ++count;
    flags |= ev.flags[r];
    if (ts != kNoTimestamp) {
      if (first == kNoTimestamp || ts < first) first = ts;
      if (last == kNoTimestamp || ts > last) last = ts;
    }
  }
  if (count == 0) return;
  s.user.push_back(user);
  s.place.push_back(place);
  s.count.push_back(count);
  s.max_rating.push_back(max_rating);
  s.flags.push_back(flags);
  s.first_timestamp.push_back(first);
  s.last_timestamp.push_back(last);
  s.weight.push_back(static_cast<float>(std::log1p(static_cast<double>(count)) + max_rating));
}

int64_t held_out_count(double fraction, size_t n) {
  return static_cast<int64_t>(std::llround(fraction * static_cast<double>(n)));
}
}  // namespace

double unit_hash(uint64_t seed, uint64_t salt, uint64_t a, uint64_t b) {
  const uint64_t h = mix64(mix64(mix64(seed ^ mix64(salt)) ^ a) + b);
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

InteractionSplit split_interactions(const InteractionEvents& ev, int64_t n_users,
                                    const GraphBuildConfig& config, const std::string& file) {
  InteractionSplit out;
  const bool has_split_column = !ev.split.empty();
  out.mode = config.split;
  if (out.mode == SplitMode::Auto)
    out.mode = has_split_column ? SplitMode::Predefined : SplitMode::Temporal;
  if (out.mode == SplitMode::Predefined && !has_split_column)
    throw ConfigError(fmt::format(
        "--split predefined: {} has no 'split' column (use --split temporal or random)", file));
  const bool temporal = out.mode == SplitMode::Temporal || out.mode == SplitMode::GlobalTime;
  if (temporal) {
    for (size_t r = 0; r < ev.size(); ++r)
      if (ev.timestamp[r] == kNoTimestamp)
        throw FormatError(fmt::format(
            "{}: row {} has no timestamp, which --split {} needs (use --split random or "
            "predefined for data without time)",
            file, r, to_string(out.mode)));
  }
  out.cold_start_fraction =
      config.cold_start_fraction.value_or(out.mode == SplitMode::Predefined ? 0.0 : 0.05);
  out.valid_in_train = out.mode == SplitMode::Predefined && config.valid_in_train;
  const int64_t cutoff = config.cutoff_us.value_or(kNoTimestamp);

  // Events grouped by user (counting sort), then by (place, timestamp, row) within a user.
  std::vector<int64_t> start(static_cast<size_t>(n_users) + 1, 0);
  for (int32_t u : ev.user) ++start[static_cast<size_t>(u) + 1];
  for (size_t u = 0; u < static_cast<size_t>(n_users); ++u) start[u + 1] += start[u];
  std::vector<size_t> order(ev.size());
  {
    std::vector<int64_t> cursor(start.begin(), start.end() - 1);
    for (size_t r = 0; r < ev.size(); ++r)
      order[static_cast<size_t>(cursor[static_cast<size_t>(ev.user[r])]++)] = r;
  }
  out.cold_start.assign(static_cast<size_t>(n_users), 0);
  std::vector<Pair> pairs;
  for (int32_t u = 0; u < n_users; ++u) {
    const auto ub = static_cast<size_t>(start[static_cast<size_t>(u)]);
    const auto ue = static_cast<size_t>(start[static_cast<size_t>(u) + 1]);
    if (ub == ue) continue;
    std::sort(order.begin() + static_cast<std::ptrdiff_t>(ub),
              order.begin() + static_cast<std::ptrdiff_t>(ue), [&](size_t x, size_t y) {
                if (ev.place[x] != ev.place[y]) return ev.place[x] < ev.place[y];
                if (ev.timestamp[x] != ev.timestamp[y]) return ev.timestamp[x] < ev.timestamp[y];
                return x < y;
              });
    pairs.clear();
    for (size_t k = ub; k < ue;) {
      size_t e = k;
      Pair p{ev.place[order[k]], ev.timestamp[order[k]], 0, k, 0};
      while (e < ue && ev.place[order[e]] == p.place) {
        if (has_split_column)
          p.split = std::max(p.split, static_cast<EventSplit>(ev.split[order[e]]));
        ++e;
      }
      p.end = e;
      p.tie = unit_hash(config.seed, kSaltOrder, static_cast<uint64_t>(u),
                        static_cast<uint64_t>(p.place));
      pairs.push_back(p);
      k = e;
    }
    const bool cold = out.cold_start_fraction > 0 &&
                      unit_hash(config.seed, kSaltColdStart, static_cast<uint64_t>(u), 0) <
                          out.cold_start_fraction;
    out.cold_start[static_cast<size_t>(u)] = cold ? 1 : 0;
    int64_t train_limit = kNoTimestamp, valid_limit = kNoTimestamp;
    if (cold) {
      for (auto& p : pairs) p.split = EventSplit::Test;
    } else if (out.mode != SplitMode::Predefined) {
      // Order the user's pairs: by first timestamp (seeded tie-break), or randomly.
      std::vector<size_t> idx(pairs.size());
      std::iota(idx.begin(), idx.end(), size_t{0});
      std::sort(idx.begin(), idx.end(), [&](size_t x, size_t y) {
        if (temporal && pairs[x].first_ts != pairs[y].first_ts)
          return pairs[x].first_ts < pairs[y].first_ts;
        return pairs[x].tie < pairs[y].tie;
      });
      size_t n_candidates = idx.size();  // pairs eligible for the per-user temporal hold-out
      if (out.mode == SplitMode::GlobalTime) {
        for (size_t i : idx)
          if (pairs[i].first_ts >= cutoff) pairs[i].split = EventSplit::Test;
        n_candidates =
            static_cast<size_t>(std::count_if(pairs.begin(), pairs.end(), [](const Pair& p) {
              return p.split == EventSplit::Train;
            }));
      }
      // At least one training pair stays; a share rounds to at least one held-out pair once
      // the user has three pairs.
      int64_t n_test = 0, n_val = 0;
      if (out.mode != SplitMode::GlobalTime && n_candidates >= 3 && config.test_fraction > 0)
        n_test = std::max<int64_t>(1, held_out_count(config.test_fraction, n_candidates));
      if (n_candidates >= 3 && config.val_fraction > 0)
        n_val = std::max<int64_t>(1, held_out_count(config.val_fraction, n_candidates));
      while (n_test + n_val > 0 && n_test + n_val > static_cast<int64_t>(n_candidates) - 1) {
        if (n_val > 0)
          --n_val;
        else
          --n_test;
      }
      // Candidates are the first n_candidates of idx (global-time: those before the cutoff).
      for (int64_t i = 0; i < n_test; ++i)
        pairs[idx[n_candidates - 1 - static_cast<size_t>(i)]].split = EventSplit::Test;
      for (int64_t i = 0; i < n_val; ++i)
        pairs[idx[n_candidates - 1 - static_cast<size_t>(n_test + i)]].split = EventSplit::Valid;
      if (temporal) {
        int64_t first_test = kNoTimestamp, first_valid = kNoTimestamp;
        for (const auto& p : pairs) {
          if (p.split == EventSplit::Test &&
              (first_test == kNoTimestamp || p.first_ts < first_test))
            first_test = p.first_ts;
          if (p.split == EventSplit::Valid &&
              (first_valid == kNoTimestamp || p.first_ts < first_valid))
            first_valid = p.first_ts;
        }
        if (out.mode == SplitMode::GlobalTime &&
            (first_test == kNoTimestamp || cutoff - 1 < first_test))
          first_test = cutoff - 1;
        valid_limit = first_test;
        train_limit = first_valid == kNoTimestamp  ? first_test
                      : first_test == kNoTimestamp ? first_valid
                                                   : std::min(first_valid, first_test);
      }
    }
    for (const auto& p : pairs) {
      switch (p.split) {
        case EventSplit::Test:
          append(out.test, u, p.place, order, p.begin, p.end, kNoTimestamp, ev, out.dropped_events);
          break;
        case EventSplit::Valid: {
          int64_t dropped = 0;
          append(out.valid, u, p.place, order, p.begin, p.end, valid_limit, ev, dropped);
          if (out.valid_in_train)
            append(out.train, u, p.place, order, p.begin, p.end, valid_limit, ev, dropped);
          else
            out.dropped_events += dropped;
          break;
        }
        default:
          append(out.train, u, p.place, order, p.begin, p.end, train_limit, ev, out.dropped_events);
          break;
      }
    }
  }
  if (out.train.size() == 0 || (out.mode == SplitMode::GlobalTime && out.test.size() == 0)) {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (int64_t ts : ev.timestamp)
      if (ts != kNoTimestamp) lo = std::min(lo, ts), hi = std::max(hi, ts);
    if (out.mode == SplitMode::GlobalTime)
      throw ConfigError(fmt::format(
          "--cutoff {} leaves {} training and {} test pairs; the timestamps of {} run from {} to "
          "{} (microseconds since 1970)",
          cutoff, out.train.size(), out.test.size(), file, lo, hi));
    throw ConfigError(
        fmt::format("--split {}: no training pairs are left from {}", to_string(out.mode), file));
  }
  return out;
}

}  // namespace recsys::graph

#include "recsys/graph/checksum.h"

#include <fmt/format.h>

#include <cstring>

#include "recsys/core/random_stream.h"

namespace recsys::graph {

namespace {
constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;
constexpr uint64_t kLaneSeeds[4] = {0x243F6A8885A308D3ULL, 0x13198A2E03707344ULL,
                                    0xA4093822299F31D0ULL, 0x082EFA98EC4E6C89ULL};

inline uint64_t load64(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);  // the artifact is little-endian; so are the machines it targets
  return w;
}

inline uint64_t lane_step(uint64_t h, uint64_t w) {
  h ^= w * kMul;
  h = (h << 31) | (h >> 33);
  return h * 0xBF58476D1CE4E5B9ULL;
}
}  // namespace

uint64_t checksum64(const void* data, size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t lane[4] = {kLaneSeeds[0], kLaneSeeds[1], kLaneSeeds[2], kLaneSeeds[3]};
  size_t i = 0;
  for (; i + 32 <= size; i += 32) {
    lane[0] = lane_step(lane[0], load64(p + i));
    lane[1] = lane_step(lane[1], load64(p + i + 8));
    lane[2] = lane_step(lane[2], load64(p + i + 16));
    lane[3] = lane_step(lane[3], load64(p + i + 24));
  }
  int k = 0;
  for (; i + 8 <= size; i += 8, ++k) lane[k] = lane_step(lane[k], load64(p + i));
  if (i < size) {
    unsigned char tail[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::memcpy(tail, p + i, size - i);
    lane[k] = lane_step(lane[k], load64(tail));
  }
  uint64_t h = static_cast<uint64_t>(size) * kMul;
  for (uint64_t l : lane) h = mix64(h ^ l);
  return h;
}

std::string checksum_hex(uint64_t checksum) {
  return fmt::format("{:016x}", checksum);
}

}  // namespace recsys::graph

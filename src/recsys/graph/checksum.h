#pragma once
// A fast 64-bit content checksum for the graph artifact's binary arrays: four
// independent multiply-xor lanes over little-endian 8-byte words (the tail is
// zero-padded and the length is mixed in), folded with the SplitMix64
// finaliser. It detects changed and truncated files; it is not cryptographic.
#include <cstddef>
#include <cstdint>
#include <string>

namespace recsys::graph {

uint64_t checksum64(const void* data, size_t size);
// 16 lower-case hex digits.
std::string checksum_hex(uint64_t checksum);

}  // namespace recsys::graph

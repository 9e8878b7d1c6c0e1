#pragma once
// Page compression: SNAPPY, ZSTD, GZIP and UNCOMPRESSED. Decompression treats
// its input as untrusted: the output never grows past the size the page header
// declares, and memory grows only with output actually produced.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "recsys/io/parquet/writer.h"

namespace recsys::parquet {

// The Thrift CompressionCodec value of a codec.
int32_t format_codec(Codec codec);

// Replaces `out` with the compressed bytes of [data, data + size).
void compress(Codec codec, int level, const uint8_t* data, size_t size, std::vector<uint8_t>& out);
// The most bytes compress_to() can produce for `size` input bytes.
size_t max_compressed_size(Codec codec, size_t size);
// Compresses [data, data + size) into out[0, capacity) and returns the bytes written;
// `capacity` must be at least max_compressed_size(codec, size). No allocation for
// snappy / uncompressed, so a caller can reuse one buffer for many pages.
size_t compress_to(Codec codec, int level, const uint8_t* data, size_t size, uint8_t* out,
                   size_t capacity);

// Decompresses a page. Returns a pointer to exactly `uncompressed_size` bytes: `data`
// itself for UNCOMPRESSED, otherwise `scratch`. Throws FormatError starting with
// `context` on corrupt data, a size mismatch, or an unsupported codec.
const uint8_t* decompress(int32_t codec, const uint8_t* data, size_t size, size_t uncompressed_size,
                          std::vector<uint8_t>& scratch, const std::string& context);

}  // namespace recsys::parquet

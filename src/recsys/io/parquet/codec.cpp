#include "recsys/io/parquet/codec.h"

#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "recsys/core/error.h"
#include "recsys/io/parquet/metadata.h"

namespace recsys::parquet {

const char* to_string(Codec codec) {
  switch (codec) {
    case Codec::Uncompressed:
      return "uncompressed";
    case Codec::Snappy:
      return "snappy";
    case Codec::Zstd:
      return "zstd";
    case Codec::Gzip:
      return "gzip";
  }
  return "unknown";
}

Codec parse_codec(const std::string& name) {
  if (name == "snappy") return Codec::Snappy;
  if (name == "zstd") return Codec::Zstd;
  if (name == "gzip") return Codec::Gzip;
  if (name == "uncompressed" || name == "none") return Codec::Uncompressed;
  throw ConfigError("unknown compression codec '" + name +
                    "' (expected snappy, zstd, gzip or uncompressed)");
}

int32_t format_codec(Codec codec) {
  switch (codec) {
    case Codec::Uncompressed:
      return format::kUncompressed;
    case Codec::Snappy:
      return format::kSnappy;
    case Codec::Zstd:
      return format::kZstd;
    case Codec::Gzip:
      return format::kGzip;
  }
  return format::kUncompressed;
}

namespace {

struct ZstdCCtxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct ZstdDCtxDeleter {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

ZSTD_CCtx* zstd_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, ZstdCCtxDeleter> ctx(ZSTD_createCCtx());
  return ctx.get();
}

ZSTD_DCtx* zstd_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, ZstdDCtxDeleter> ctx(ZSTD_createDCtx());
  return ctx.get();
}

// First allocation for streaming decompression: the declared size when it is modest,
// otherwise a multiple of the input; the buffer then doubles as output appears.
size_t initial_capacity(size_t compressed, size_t declared) {
  size_t guess = std::max<size_t>(compressed * 8, 1 << 16);
  return std::min(declared, guess);
}

}  // namespace

size_t max_compressed_size(Codec codec, size_t size) {
  switch (codec) {
    case Codec::Uncompressed:
      return size;
    case Codec::Snappy:
      return snappy::MaxCompressedLength(size);
    case Codec::Zstd:
      return ZSTD_compressBound(size);
    case Codec::Gzip:
      // zlib's bound plus the gzip wrapper (18 bytes instead of zlib's 6), with margin.
      return static_cast<size_t>(compressBound(static_cast<uLong>(size))) + 64;
  }
  return size;
}

size_t compress_to(Codec codec, int level, const uint8_t* data, size_t size, uint8_t* out,
                   size_t capacity) {
  if (capacity < max_compressed_size(codec, size)) {
    throw InvalidArgument(std::string(to_string(codec)) + " compression: output buffer of " +
                          std::to_string(capacity) + " bytes is too small for " +
                          std::to_string(size) + " input bytes");
  }
  switch (codec) {
    case Codec::Uncompressed:
      if (size) std::memcpy(out, data, size);
      return size;
    case Codec::Snappy: {
      size_t n = 0;
      snappy::RawCompress(reinterpret_cast<const char*>(data), size, reinterpret_cast<char*>(out),
                          &n);
      return n;
    }
    case Codec::Zstd: {
      size_t n = ZSTD_compressCCtx(zstd_cctx(), out, capacity, data, size,
                                   level == 0 ? ZSTD_CLEVEL_DEFAULT : level);
      if (ZSTD_isError(n))
        throw IoError(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
      return n;
    }
    case Codec::Gzip: {
      z_stream zs{};
      if (deflateInit2(&zs, level == 0 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED, 15 + 16, 8,
                       Z_DEFAULT_STRATEGY) != Z_OK) {
        throw IoError("gzip: deflateInit2 failed");
      }
      zs.next_in = const_cast<Bytef*>(data);
      zs.avail_in = static_cast<uInt>(size);
      zs.next_out = out;
      zs.avail_out = static_cast<uInt>(capacity);
      int rc = deflate(&zs, Z_FINISH);
      size_t n = zs.total_out;
      deflateEnd(&zs);
      if (rc != Z_STREAM_END) throw IoError("gzip compression failed");
      return n;
    }
  }
  return 0;
}

void compress(Codec codec, int level, const uint8_t* data, size_t size, std::vector<uint8_t>& out) {
  out.resize(max_compressed_size(codec, size));
  out.resize(compress_to(codec, level, data, size, out.data(), out.size()));
}

const uint8_t* decompress(int32_t codec, const uint8_t* data, size_t size, size_t uncompressed_size,
                          std::vector<uint8_t>& scratch, const std::string& context) {
  auto mismatch = [&](size_t got) {
    throw FormatError(context + ": page decompresses to " + std::to_string(got) +
                      " bytes, header says " + std::to_string(uncompressed_size));
  };
  switch (codec) {
    case format::kUncompressed:
      if (size != uncompressed_size) mismatch(size);
      return data;
    case format::kSnappy: {
      size_t n = 0;
      if (!snappy::GetUncompressedLength(reinterpret_cast<const char*>(data), size, &n)) {
        throw FormatError(context + ": corrupt snappy data");
      }
      if (n != uncompressed_size) mismatch(n);
      // Snappy expands at most ~22x; a larger claim is corrupt.
      if (n > size * 32 + 64) throw FormatError(context + ": corrupt snappy data");
      scratch.resize(n);
      if (!snappy::RawUncompress(reinterpret_cast<const char*>(data), size,
                                 reinterpret_cast<char*>(scratch.data()))) {
        throw FormatError(context + ": corrupt snappy data");
      }
      return scratch.data();
    }
    case format::kZstd: {
      ZSTD_DCtx* d = zstd_dctx();
      ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
      scratch.resize(initial_capacity(size, uncompressed_size));
      ZSTD_inBuffer in{data, size, 0};
      size_t produced = 0;
      while (true) {
        if (produced == scratch.size() && scratch.size() < uncompressed_size) {
          scratch.resize(std::min(uncompressed_size, scratch.size() * 2));
        }
        ZSTD_outBuffer out{scratch.data(), scratch.size(), produced};
        size_t in_before = in.pos;
        size_t rc = ZSTD_decompressStream(d, &out, &in);
        if (ZSTD_isError(rc)) {
          throw FormatError(context + ": corrupt zstd data (" + ZSTD_getErrorName(rc) + ")");
        }
        bool progress = out.pos > produced || in.pos > in_before;
        produced = out.pos;
        if (rc == 0 && in.pos == in.size) break;
        if (!progress) {
          if (produced >= uncompressed_size) mismatch(produced + 1);
          throw FormatError(context + ": truncated zstd data");
        }
      }
      if (produced != uncompressed_size) mismatch(produced);
      return scratch.data();
    }
    case format::kGzip: {
      z_stream zs{};
      if (inflateInit2(&zs, 15 + 32) != Z_OK) throw FormatError(context + ": inflateInit2 failed");
      scratch.resize(initial_capacity(size, uncompressed_size));
      zs.next_in = const_cast<Bytef*>(data);
      zs.avail_in = static_cast<uInt>(size);
      size_t produced = 0;
      while (true) {
        if (produced == scratch.size() && scratch.size() < uncompressed_size) {
          scratch.resize(std::min(uncompressed_size, scratch.size() * 2));
        }
        zs.next_out = scratch.data() + produced;
        zs.avail_out = static_cast<uInt>(scratch.size() - produced);
        int rc = inflate(&zs, Z_NO_FLUSH);
        produced = scratch.size() - zs.avail_out;
        if (rc == Z_STREAM_END) break;
        if (rc == Z_BUF_ERROR || (rc == Z_OK && zs.avail_in == 0 && zs.avail_out > 0)) {
          inflateEnd(&zs);
          if (produced >= uncompressed_size && zs.avail_in > 0) mismatch(produced + 1);
          throw FormatError(context + ": truncated gzip data");
        }
        if (rc != Z_OK) {
          inflateEnd(&zs);
          throw FormatError(context + ": corrupt gzip data");
        }
      }
      inflateEnd(&zs);
      if (produced != uncompressed_size) mismatch(produced);
      return scratch.data();
    }
    default:
      throw FormatError(context + ": unsupported compression codec " + format::codec_name(codec) +
                        " (" + std::to_string(codec) + ")");
  }
}

}  // namespace recsys::parquet

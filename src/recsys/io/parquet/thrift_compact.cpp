#include "recsys/io/parquet/thrift_compact.h"

#include <cstring>

#include "recsys/core/error.h"

namespace recsys::parquet::thrift {

// ---- writer ----

void CompactWriter::varint(uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<uint8_t>(value));
}

void CompactWriter::field_header(int16_t id, uint8_t type) {
  int delta = id - last_id_;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<uint8_t>((delta << 4) | type));
  } else {
    out_.push_back(type);
    varint(zigzag32(id));
  }
  last_id_ = id;
}

void CompactWriter::field_i32(int16_t id, int32_t value) {
  field_header(id, kI32);
  varint(zigzag32(value));
}

void CompactWriter::field_i64(int16_t id, int64_t value) {
  field_header(id, kI64);
  varint(zigzag64(value));
}

void CompactWriter::field_bool(int16_t id, bool value) {
  field_header(id, value ? kBoolTrue : kBoolFalse);
}

void CompactWriter::field_byte(int16_t id, int8_t value) {
  field_header(id, kByte);
  out_.push_back(static_cast<uint8_t>(value));
}

void CompactWriter::field_i16(int16_t id, int16_t value) {
  field_header(id, kI16);
  varint(zigzag32(value));
}

void CompactWriter::field_binary(int16_t id, const void* data, size_t size) {
  field_header(id, kBinary);
  varint(size);
  const auto* p = static_cast<const uint8_t*>(data);
  out_.insert(out_.end(), p, p + size);
}

void CompactWriter::begin_struct(int16_t id) {
  field_header(id, kStruct);
  stack_.push_back(last_id_);
  last_id_ = 0;
}

void CompactWriter::end_struct() {
  out_.push_back(kStop);
  last_id_ = stack_.back();
  stack_.pop_back();
}

void CompactWriter::list_header(int16_t id, WireType element_type, size_t size) {
  field_header(id, kList);
  if (size < 15) {
    out_.push_back(static_cast<uint8_t>((size << 4) | element_type));
  } else {
    out_.push_back(static_cast<uint8_t>(0xF0 | element_type));
    varint(size);
  }
}

void CompactWriter::begin_element() {
  stack_.push_back(last_id_);
  last_id_ = 0;
}

void CompactWriter::element_binary(const std::string& value) {
  varint(value.size());
  out_.insert(out_.end(), value.begin(), value.end());
}

// ---- reader ----

void CompactReader::fail(const std::string& what) const {
  throw FormatError(context_ + ": " + what + " (at byte " + std::to_string(pos_) + " of " +
                    std::to_string(size_) + ")");
}

uint8_t CompactReader::byte() {
  if (pos_ >= size_) fail("unexpected end of thrift data");
  return data_[pos_++];
}

uint64_t CompactReader::varint() {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t b = byte();
    value |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return value;
  }
  fail("varint longer than 10 bytes");
}

void CompactReader::expect(uint8_t got, uint8_t want) const {
  if (got != want) {
    fail("thrift field has wire type " + std::to_string(got) + ", expected " +
         std::to_string(want));
  }
}

void CompactReader::begin_struct() {
  if (static_cast<int>(stack_.size()) >= kMaxDepth) fail("thrift structs nested too deeply");
  stack_.push_back(last_id_);
  last_id_ = 0;
}

bool CompactReader::next_field(int16_t& id, uint8_t& type) {
  uint8_t header = byte();
  if (header == kStop) {
    if (stack_.empty()) fail("unbalanced thrift struct");
    last_id_ = stack_.back();
    stack_.pop_back();
    return false;
  }
  type = header & 0x0F;
  int delta = header >> 4;
  if (delta != 0) {
    id = static_cast<int16_t>(last_id_ + delta);
  } else {
    uint64_t z = varint();
    int64_t v = static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
    if (v < -32768 || v > 32767) fail("thrift field id out of range");
    id = static_cast<int16_t>(v);
  }
  if (type > kStruct) fail("unknown thrift wire type " + std::to_string(type));
  last_id_ = id;
  return true;
}

int32_t CompactReader::read_i32(uint8_t type) {
  if (type == kByte) return static_cast<int8_t>(byte());
  if (type != kI16) expect(type, kI32);
  uint64_t z = varint();
  if (z > 0xFFFFFFFFull) fail("i32 value out of range");
  auto u = static_cast<uint32_t>(z);
  return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
}

int64_t CompactReader::read_i64(uint8_t type) {
  if (type == kI32 || type == kI16 || type == kByte) return read_i32(type);
  expect(type, kI64);
  uint64_t z = varint();
  return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

bool CompactReader::read_bool(uint8_t type) {
  if (type == kBoolTrue) return true;
  if (type == kBoolFalse) return false;
  fail("thrift field is not a bool");
}

std::string CompactReader::read_binary(uint8_t type) {
  expect(type, kBinary);
  uint64_t n = varint();
  if (n > size_ - pos_) fail("thrift string length " + std::to_string(n) + " exceeds the data");
  std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
  pos_ += n;
  return s;
}

void CompactReader::read_list_header(uint8_t type, uint8_t& element_type, uint32_t& size) {
  if (type != kSet) expect(type, kList);
  uint8_t h = byte();
  element_type = h & 0x0F;
  uint64_t n = h >> 4;
  if (n == 15) n = varint();
  // Every element takes at least one byte, except bools... which also take one in lists.
  if (n > size_ - pos_) fail("thrift list of " + std::to_string(n) + " elements exceeds the data");
  size = static_cast<uint32_t>(n);
}

int32_t CompactReader::read_element_i32(uint8_t element_type) {
  return read_i32(element_type);
}

std::string CompactReader::read_element_binary(uint8_t element_type) {
  return read_binary(element_type);
}

void CompactReader::skip(uint8_t type) {
  skip_depth(type, static_cast<int>(stack_.size()));
}

void CompactReader::skip_depth(uint8_t type, int depth) {
  if (depth >= kMaxDepth) fail("thrift values nested too deeply");
  switch (type) {
    case kBoolTrue:
    case kBoolFalse:
      return;
    case kByte:
      byte();
      return;
    case kI16:
    case kI32:
    case kI64:
      varint();
      return;
    case kDouble:
      if (size_ - pos_ < 8) fail("unexpected end of thrift data");
      pos_ += 8;
      return;
    case kBinary: {
      uint64_t n = varint();
      if (n > size_ - pos_) fail("thrift binary length exceeds the data");
      pos_ += n;
      return;
    }
    case kList:
    case kSet: {
      uint8_t et;
      uint32_t n;
      read_list_header(type, et, n);
      for (uint32_t i = 0; i < n; ++i) {
        if (et == kBoolTrue || et == kBoolFalse) {
          byte();
        } else {
          skip_depth(et, depth + 1);
        }
      }
      return;
    }
    case kMap: {
      uint64_t n = varint();
      if (n == 0) return;
      if (n > size_ - pos_) fail("thrift map size exceeds the data");
      uint8_t kv = byte();
      for (uint64_t i = 0; i < n; ++i) {
        skip_depth(kv >> 4, depth + 1);
        skip_depth(kv & 0x0F, depth + 1);
      }
      return;
    }
    case kStruct: {
      int16_t saved = last_id_;
      last_id_ = 0;
      while (true) {
        uint8_t header = byte();
        if (header == kStop) break;
        uint8_t t = header & 0x0F;
        if ((header >> 4) == 0) varint();
        if (t == kStop || t > kStruct) fail("unknown thrift wire type " + std::to_string(t));
        skip_depth(t, depth + 1);
      }
      last_id_ = saved;
      return;
    }
    default:
      fail("unknown thrift wire type " + std::to_string(type));
  }
}

}  // namespace recsys::parquet::thrift

#pragma once
// Thrift compact protocol, just what the Parquet footer and page headers need.
// The reader never trusts the input: every length is checked against the bytes
// left, nesting depth is bounded, and any violation throws FormatError whose
// message starts with the caller's context (file path and what is being read).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace recsys::parquet::thrift {

enum WireType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

class CompactWriter {
 public:
  explicit CompactWriter(std::vector<uint8_t>& out) : out_(out) {}

  void field_i32(int16_t id, int32_t value);
  void field_i64(int16_t id, int64_t value);
  void field_bool(int16_t id, bool value);
  void field_byte(int16_t id, int8_t value);
  void field_i16(int16_t id, int16_t value);
  void field_binary(int16_t id, const void* data, size_t size);
  void field_string(int16_t id, const std::string& value) {
    field_binary(id, value.data(), value.size());
  }
  // A nested struct field: begin_struct(id) ... end_struct().
  void begin_struct(int16_t id);
  void end_struct();
  // A list field; for struct elements, wrap each in begin_element()/end_struct().
  void list_header(int16_t id, WireType element_type, size_t size);
  void begin_element();
  // List element values.
  void element_i32(int32_t value) { varint(zigzag32(value)); }
  void element_binary(const std::string& value);

  // The top-level struct's end (a STOP byte).
  void stop() { out_.push_back(kStop); }

 private:
  void field_header(int16_t id, uint8_t type);
  void varint(uint64_t value);
  static uint64_t zigzag32(int32_t v) {
    return static_cast<uint32_t>((static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
  }
  static uint64_t zigzag64(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }

  std::vector<uint8_t>& out_;
  int16_t last_id_ = 0;
  std::vector<int16_t> stack_;
};

class CompactReader {
 public:
  static constexpr int kMaxDepth = 32;

  CompactReader(const uint8_t* data, size_t size, std::string context)
      : data_(data), size_(size), context_(std::move(context)) {}

  // Struct traversal: begin_struct(); while (next_field(id, type)) { ... } — next_field
  // returns false at the STOP byte and leaves the struct.
  void begin_struct();
  bool next_field(int16_t& id, uint8_t& type);

  int32_t read_i32(uint8_t type);
  int64_t read_i64(uint8_t type);
  bool read_bool(uint8_t type);  // a bool field (value in the type nibble)
  std::string read_binary(uint8_t type);
  // List header: element wire type and count (the count is checked against the bytes left).
  void read_list_header(uint8_t type, uint8_t& element_type, uint32_t& size);
  int32_t read_element_i32(uint8_t element_type);
  std::string read_element_binary(uint8_t element_type);
  // Skips a value of the given wire type (nested values included).
  void skip(uint8_t type);

  size_t position() const { return pos_; }
  [[noreturn]] void fail(const std::string& what) const;
  const std::string& context() const { return context_; }

 private:
  uint8_t byte();
  uint64_t varint();
  void expect(uint8_t got, uint8_t want) const;
  void skip_depth(uint8_t type, int depth);

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::string context_;
  int16_t last_id_ = 0;
  std::vector<int16_t> stack_;
};

}  // namespace recsys::parquet::thrift

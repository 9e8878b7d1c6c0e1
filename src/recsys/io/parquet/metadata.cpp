#include "recsys/io/parquet/metadata.h"

namespace recsys::parquet::format {

using thrift::CompactReader;
using thrift::CompactWriter;

const char* encoding_name(int32_t encoding) {
  switch (encoding) {
    case kPlain:
      return "PLAIN";
    case kPlainDictionary:
      return "PLAIN_DICTIONARY";
    case kRle:
      return "RLE";
    case kBitPacked:
      return "BIT_PACKED";
    case kDeltaBinaryPacked:
      return "DELTA_BINARY_PACKED";
    case kDeltaLengthByteArray:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case kDeltaByteArray:
      return "DELTA_BYTE_ARRAY";
    case kRleDictionary:
      return "RLE_DICTIONARY";
    case kByteStreamSplit:
      return "BYTE_STREAM_SPLIT";
  }
  return "UNKNOWN";
}

const char* codec_name(int32_t codec) {
  switch (codec) {
    case kUncompressed:
      return "UNCOMPRESSED";
    case kSnappy:
      return "SNAPPY";
    case kGzip:
      return "GZIP";
    case kLzo:
      return "LZO";
    case kBrotli:
      return "BROTLI";
    case kLz4:
      return "LZ4";
    case kZstd:
      return "ZSTD";
    case kLz4Raw:
      return "LZ4_RAW";
  }
  return "UNKNOWN";
}

const char* physical_type_name(int32_t type) {
  switch (type) {
    case kBoolean:
      return "BOOLEAN";
    case kInt32:
      return "INT32";
    case kInt64:
      return "INT64";
    case kInt96:
      return "INT96";
    case kFloat:
      return "FLOAT";
    case kDouble:
      return "DOUBLE";
    case kByteArray:
      return "BYTE_ARRAY";
    case kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "UNKNOWN";
}

// ---------------------------------------------------------------- serialisation

namespace {

void write_logical_type(CompactWriter& w, const LogicalType& lt) {
  w.begin_struct(10);
  w.begin_struct(lt.kind);
  switch (lt.kind) {
    case LogicalType::kTimestamp:
      w.field_bool(1, lt.adjusted_to_utc);
      w.begin_struct(2);
      w.begin_struct(static_cast<int16_t>(lt.unit));
      w.end_struct();
      w.end_struct();
      break;
    case LogicalType::kInteger:
      w.field_byte(1, static_cast<int8_t>(lt.bit_width));
      w.field_bool(2, lt.is_signed);
      break;
    default:
      break;
  }
  w.end_struct();
  w.end_struct();
}

void write_statistics(CompactWriter& w, int16_t id, const Statistics& s) {
  w.begin_struct(id);
  if (s.max) w.field_string(1, *s.max);
  if (s.min) w.field_string(2, *s.min);
  if (s.null_count) w.field_i64(3, *s.null_count);
  if (s.max_value) w.field_string(5, *s.max_value);
  if (s.min_value) w.field_string(6, *s.min_value);
  w.end_struct();
}

}  // namespace

void serialize(const FileMetaData& meta, std::vector<uint8_t>& out) {
  CompactWriter w(out);
  w.field_i32(1, meta.version);
  w.list_header(2, thrift::kStruct, meta.schema.size());
  for (const SchemaElement& e : meta.schema) {
    w.begin_element();
    if (e.type) w.field_i32(1, *e.type);
    if (e.type_length) w.field_i32(2, *e.type_length);
    if (e.repetition) w.field_i32(3, *e.repetition);
    w.field_string(4, e.name);
    if (e.num_children > 0) w.field_i32(5, e.num_children);
    if (e.converted_type) w.field_i32(6, *e.converted_type);
    if (e.logical_type.kind != LogicalType::kNone) write_logical_type(w, e.logical_type);
    w.end_struct();
  }
  w.field_i64(3, meta.num_rows);
  w.list_header(4, thrift::kStruct, meta.row_groups.size());
  for (const RowGroup& rg : meta.row_groups) {
    w.begin_element();
    w.list_header(1, thrift::kStruct, rg.columns.size());
    for (const ColumnChunk& cc : rg.columns) {
      w.begin_element();
      if (cc.file_path) w.field_string(1, *cc.file_path);
      w.field_i64(2, cc.file_offset);
      const ColumnMetaData& m = cc.meta_data;
      w.begin_struct(3);
      w.field_i32(1, m.type);
      w.list_header(2, thrift::kI32, m.encodings.size());
      for (int32_t enc : m.encodings) w.element_i32(enc);
      w.list_header(3, thrift::kBinary, m.path_in_schema.size());
      for (const std::string& p : m.path_in_schema) w.element_binary(p);
      w.field_i32(4, m.codec);
      w.field_i64(5, m.num_values);
      w.field_i64(6, m.total_uncompressed_size);
      w.field_i64(7, m.total_compressed_size);
      w.field_i64(9, m.data_page_offset);
      if (m.dictionary_page_offset) w.field_i64(11, *m.dictionary_page_offset);
      if (m.statistics) write_statistics(w, 12, *m.statistics);
      w.end_struct();
      w.end_struct();
    }
    w.field_i64(2, rg.total_byte_size);
    w.field_i64(3, rg.num_rows);
    if (rg.file_offset) w.field_i64(5, *rg.file_offset);
    if (rg.total_compressed_size) w.field_i64(6, *rg.total_compressed_size);
    if (rg.ordinal) w.field_i16(7, static_cast<int16_t>(*rg.ordinal));
    w.end_struct();
  }
  if (!meta.key_value_metadata.empty()) {
    w.list_header(5, thrift::kStruct, meta.key_value_metadata.size());
    for (const KeyValue& kv : meta.key_value_metadata) {
      w.begin_element();
      w.field_string(1, kv.key);
      w.field_string(2, kv.value);
      w.end_struct();
    }
  }
  if (meta.created_by) w.field_string(6, *meta.created_by);
  if (meta.column_orders > 0) {
    w.list_header(7, thrift::kStruct, static_cast<size_t>(meta.column_orders));
    for (int i = 0; i < meta.column_orders; ++i) {
      w.begin_element();
      w.begin_struct(1);  // TYPE_ORDER
      w.end_struct();
      w.end_struct();
    }
  }
  w.stop();
}

void serialize(const PageHeader& h, std::vector<uint8_t>& out) {
  CompactWriter w(out);
  w.field_i32(1, h.type);
  w.field_i32(2, h.uncompressed_page_size);
  w.field_i32(3, h.compressed_page_size);
  if (h.data_page_header) {
    const DataPageHeader& d = *h.data_page_header;
    w.begin_struct(5);
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.encoding);
    w.field_i32(3, d.definition_level_encoding);
    w.field_i32(4, d.repetition_level_encoding);
    w.end_struct();
  }
  if (h.dictionary_page_header) {
    w.begin_struct(7);
    w.field_i32(1, h.dictionary_page_header->num_values);
    w.field_i32(2, h.dictionary_page_header->encoding);
    w.end_struct();
  }
  if (h.data_page_header_v2) {
    const DataPageHeaderV2& d = *h.data_page_header_v2;
    w.begin_struct(8);
    w.field_i32(1, d.num_values);
    w.field_i32(2, d.num_nulls);
    w.field_i32(3, d.num_rows);
    w.field_i32(4, d.encoding);
    w.field_i32(5, d.definition_levels_byte_length);
    w.field_i32(6, d.repetition_levels_byte_length);
    w.field_bool(7, d.is_compressed);
    w.end_struct();
  }
  w.stop();
}

// ---------------------------------------------------------------- parsing

namespace {

// Parses a union/struct whose only interesting content is which member is set and
// that member's fields; used for LogicalType.
LogicalType parse_logical_type(CompactReader& r) {
  LogicalType lt;
  r.begin_struct();
  int16_t id;
  uint8_t type;
  while (r.next_field(id, type)) {
    if (type != thrift::kStruct) {
      r.skip(type);
      continue;
    }
    switch (id) {
      case LogicalType::kString:
      case LogicalType::kMap:
      case LogicalType::kList:
      case LogicalType::kEnum:
      case LogicalType::kDecimal:
      case LogicalType::kDate:
      case LogicalType::kUnknown:
      case LogicalType::kJson:
      case LogicalType::kBson:
      case LogicalType::kUuid:
      case LogicalType::kFloat16:
        lt.kind = static_cast<LogicalType::Kind>(id);
        r.skip(type);
        break;
      case LogicalType::kTime:
      case LogicalType::kTimestamp: {
        lt.kind = static_cast<LogicalType::Kind>(id);
        r.begin_struct();
        int16_t fid;
        uint8_t ft;
        while (r.next_field(fid, ft)) {
          if (fid == 1 && (ft == thrift::kBoolTrue || ft == thrift::kBoolFalse)) {
            lt.adjusted_to_utc = r.read_bool(ft);
          } else if (fid == 2 && ft == thrift::kStruct) {
            r.begin_struct();
            int16_t uid;
            uint8_t ut;
            while (r.next_field(uid, ut)) {
              if (ut == thrift::kStruct && uid >= 1 && uid <= 3) lt.unit = uid;
              r.skip(ut);
            }
          } else {
            r.skip(ft);
          }
        }
        break;
      }
      case LogicalType::kInteger: {
        lt.kind = LogicalType::kInteger;
        r.begin_struct();
        int16_t fid;
        uint8_t ft;
        while (r.next_field(fid, ft)) {
          if (fid == 1 && (ft == thrift::kByte || ft == thrift::kI32 || ft == thrift::kI16)) {
            lt.bit_width = r.read_i32(ft);
          } else if (fid == 2 && (ft == thrift::kBoolTrue || ft == thrift::kBoolFalse)) {
            lt.is_signed = r.read_bool(ft);
          } else {
            r.skip(ft);
          }
        }
        break;
      }
      default:
        lt.kind = LogicalType::kOther;
        r.skip(type);
        break;
    }
  }
  return lt;
}

Statistics parse_statistics(CompactReader& r) {
  Statistics s;
  r.begin_struct();
  int16_t id;
  uint8_t type;
  while (r.next_field(id, type)) {
    switch (id) {
      case 1:
        s.max = r.read_binary(type);
        break;
      case 2:
        s.min = r.read_binary(type);
        break;
      case 3:
        s.null_count = r.read_i64(type);
        break;
      case 5:
        s.max_value = r.read_binary(type);
        break;
      case 6:
        s.min_value = r.read_binary(type);
        break;
      default:
        r.skip(type);
    }
  }
  return s;
}

SchemaElement parse_schema_element(CompactReader& r) {
  SchemaElement e;
  bool has_name = false;
  r.begin_struct();
  int16_t id;
  uint8_t type;
  while (r.next_field(id, type)) {
    switch (id) {
      case 1:
        e.type = r.read_i32(type);
        break;
      case 2:
        e.type_length = r.read_i32(type);
        break;
      case 3:
        e.repetition = r.read_i32(type);
        break;
      case 4:
        e.name = r.read_binary(type);
        has_name = true;
        break;
      case 5:
        e.num_children = r.read_i32(type);
        break;
      case 6:
        e.converted_type = r.read_i32(type);
        break;
      case 10:
        if (type != thrift::kStruct) r.fail("schema element logicalType is not a struct");
        e.logical_type = parse_logical_type(r);
        break;
      default:
        r.skip(type);
    }
  }
  if (!has_name) r.fail("schema element without a name");
  return e;
}

ColumnMetaData parse_column_metadata(CompactReader& r) {
  ColumnMetaData m;
  r.begin_struct();
  int16_t id;
  uint8_t type;
  while (r.next_field(id, type)) {
    switch (id) {
      case 1:
        m.type = r.read_i32(type);
        break;
      case 2: {
        uint8_t et;
        uint32_t n;
        r.read_list_header(type, et, n);
        for (uint32_t i = 0; i < n; ++i) m.encodings.push_back(r.read_element_i32(et));
        break;
      }
      case 3: {
        uint8_t et;
        uint32_t n;
        r.read_list_header(type, et, n);
        for (uint32_t i = 0; i < n; ++i) m.path_in_schema.push_back(r.read_element_binary(et));
        break;
      }
      case 4:
        m.codec = r.read_i32(type);
        break;
      case 5:
        m.num_values = r.read_i64(type);
        break;
      case 6:
        m.total_uncompressed_size = r.read_i64(type);
        break;
      case 7:
        m.total_compressed_size = r.read_i64(type);
        break;
      case 9:
        m.data_page_offset = r.read_i64(type);
        break;
      case 11:
        m.dictionary_page_offset = r.read_i64(type);
        break;
      case 12:
        if (type != thrift::kStruct) r.fail("column statistics is not a struct");
        m.statistics = parse_statistics(r);
        break;
      default:
        r.skip(type);
    }
  }
  return m;
}

ColumnChunk parse_column_chunk(CompactReader& r) {
  ColumnChunk c;
  r.begin_struct();
  int16_t id;
  uint8_t type;
  while (r.next_field(id, type)) {
    switch (id) {
      case 1:
        c.file_path = r.read_binary(type);
        break;
      case 2:
        c.file_offset = r.read_i64(type);
        break;
      case 3:
        if (type != thrift::kStruct) r.fail("column metadata is not a struct");
        c.meta_data = parse_column_metadata(r);
        c.has_meta_data = true;
        break;
      default:
        r.skip(type);
    }
  }
  return c;
}

RowGroup parse_row_group(CompactReader& r) {
  RowGroup g;
  r.begin_struct();
  int16_t id;
  uint8_t type;
  while (r.next_field(id, type)) {
    switch (id) {
      case 1: {
        uint8_t et;
        uint32_t n;
        r.read_list_header(type, et, n);
        if (n > 0 && et != thrift::kStruct) r.fail("row group columns are not structs");
        g.columns.reserve(n);
        for (uint32_t i = 0; i < n; ++i) g.columns.push_back(parse_column_chunk(r));
        break;
      }
      case 2:
        g.total_byte_size = r.read_i64(type);
        break;
      case 3:
        g.num_rows = r.read_i64(type);
        break;
      case 5:
        g.file_offset = r.read_i64(type);
        break;
      case 6:
        g.total_compressed_size = r.read_i64(type);
        break;
      case 7:
        g.ordinal = r.read_i32(type);
        break;
      default:
        r.skip(type);
    }
  }
  return g;
}

}  // namespace

FileMetaData parse_file_metadata(const uint8_t* data, size_t size, const std::string& context) {
  CompactReader r(data, size, context + ": file footer");
  FileMetaData m;
  m.version = 0;
  bool has_schema = false;
  bool has_num_rows = false;
  r.begin_struct();
  int16_t id;
  uint8_t type;
  while (r.next_field(id, type)) {
    switch (id) {
      case 1:
        m.version = r.read_i32(type);
        break;
      case 2: {
        uint8_t et;
        uint32_t n;
        r.read_list_header(type, et, n);
        if (n > 0 && et != thrift::kStruct) r.fail("schema elements are not structs");
        m.schema.reserve(n);
        for (uint32_t i = 0; i < n; ++i) m.schema.push_back(parse_schema_element(r));
        has_schema = true;
        break;
      }
      case 3:
        m.num_rows = r.read_i64(type);
        has_num_rows = true;
        break;
      case 4: {
        uint8_t et;
        uint32_t n;
        r.read_list_header(type, et, n);
        if (n > 0 && et != thrift::kStruct) r.fail("row groups are not structs");
        m.row_groups.reserve(n);
        for (uint32_t i = 0; i < n; ++i) m.row_groups.push_back(parse_row_group(r));
        break;
      }
      case 5: {
        uint8_t et;
        uint32_t n;
        r.read_list_header(type, et, n);
        if (n > 0 && et != thrift::kStruct) r.fail("key-value metadata entries are not structs");
        for (uint32_t i = 0; i < n; ++i) {
          KeyValue kv;
          r.begin_struct();
          int16_t fid;
          uint8_t ft;
          while (r.next_field(fid, ft)) {
            if (fid == 1) {
              kv.key = r.read_binary(ft);
            } else if (fid == 2) {
              kv.value = r.read_binary(ft);
            } else {
              r.skip(ft);
            }
          }
          m.key_value_metadata.push_back(std::move(kv));
        }
        break;
      }
      case 6:
        m.created_by = r.read_binary(type);
        break;
      default:
        r.skip(type);
    }
  }
  if (!has_schema) r.fail("no schema");
  if (!has_num_rows) r.fail("no row count");
  return m;
}

PageHeader parse_page_header(const uint8_t* data, size_t size, const std::string& context,
                             size_t& header_size) {
  CompactReader r(data, size, context);
  PageHeader h;
  bool has_type = false, has_sizes = false;
  r.begin_struct();
  int16_t id;
  uint8_t type;
  while (r.next_field(id, type)) {
    switch (id) {
      case 1:
        h.type = r.read_i32(type);
        has_type = true;
        break;
      case 2:
        h.uncompressed_page_size = r.read_i32(type);
        break;
      case 3:
        h.compressed_page_size = r.read_i32(type);
        has_sizes = true;
        break;
      case 5: {
        if (type != thrift::kStruct) r.fail("data page header is not a struct");
        DataPageHeader d;
        r.begin_struct();
        int16_t fid;
        uint8_t ft;
        while (r.next_field(fid, ft)) {
          switch (fid) {
            case 1:
              d.num_values = r.read_i32(ft);
              break;
            case 2:
              d.encoding = r.read_i32(ft);
              break;
            case 3:
              d.definition_level_encoding = r.read_i32(ft);
              break;
            case 4:
              d.repetition_level_encoding = r.read_i32(ft);
              break;
            default:
              r.skip(ft);
          }
        }
        h.data_page_header = d;
        break;
      }
      case 7: {
        if (type != thrift::kStruct) r.fail("dictionary page header is not a struct");
        DictionaryPageHeader d;
        r.begin_struct();
        int16_t fid;
        uint8_t ft;
        while (r.next_field(fid, ft)) {
          switch (fid) {
            case 1:
              d.num_values = r.read_i32(ft);
              break;
            case 2:
              d.encoding = r.read_i32(ft);
              break;
            default:
              r.skip(ft);
          }
        }
        h.dictionary_page_header = d;
        break;
      }
      case 8: {
        if (type != thrift::kStruct) r.fail("data page v2 header is not a struct");
        DataPageHeaderV2 d;
        r.begin_struct();
        int16_t fid;
        uint8_t ft;
        while (r.next_field(fid, ft)) {
          switch (fid) {
            case 1:
              d.num_values = r.read_i32(ft);
              break;
            case 2:
              d.num_nulls = r.read_i32(ft);
              break;
            case 3:
              d.num_rows = r.read_i32(ft);
              break;
            case 4:
              d.encoding = r.read_i32(ft);
              break;
            case 5:
              d.definition_levels_byte_length = r.read_i32(ft);
              break;
            case 6:
              d.repetition_levels_byte_length = r.read_i32(ft);
              break;
            case 7:
              d.is_compressed = r.read_bool(ft);
              break;
            default:
              r.skip(ft);
          }
        }
        h.data_page_header_v2 = d;
        break;
      }
      default:
        r.skip(type);
    }
  }
  if (!has_type || !has_sizes) r.fail("page header without type or size");
  if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) {
    r.fail("negative page size");
  }
  header_size = r.position();
  return h;
}

}  // namespace recsys::parquet::format

#include "recsys/io/parquet/schema_mapping.h"

#include "recsys/core/error.h"

namespace recsys::parquet {

using format::LogicalType;
using format::SchemaElement;

namespace {

SchemaElement leaf_for(ColumnType type, const std::string& name, int32_t repetition) {
  SchemaElement e;
  e.name = name;
  e.repetition = repetition;
  switch (type) {
    case ColumnType::Bool:
      e.type = format::kBoolean;
      break;
    case ColumnType::Int8:
    case ColumnType::Int16:
      e.type = format::kInt32;
      e.converted_type = type == ColumnType::Int8 ? format::kInt8 : format::kInt16;
      e.logical_type.kind = LogicalType::kInteger;
      e.logical_type.bit_width = type == ColumnType::Int8 ? 8 : 16;
      e.logical_type.is_signed = true;
      break;
    case ColumnType::Int32:
    case ColumnType::ListInt32:
      e.type = format::kInt32;
      break;
    case ColumnType::Int64:
      e.type = format::kInt64;
      break;
    case ColumnType::TimestampMicros:
      e.type = format::kInt64;
      e.converted_type = format::kTimestampMicros;
      e.logical_type.kind = LogicalType::kTimestamp;
      e.logical_type.adjusted_to_utc = true;
      e.logical_type.unit = 2;
      break;
    case ColumnType::Float:
    case ColumnType::ListFloat:
      e.type = format::kFloat;
      break;
    case ColumnType::Double:
      e.type = format::kDouble;
      break;
    case ColumnType::String:
      e.type = format::kByteArray;
      e.converted_type = format::kUtf8;
      e.logical_type.kind = LogicalType::kString;
      break;
  }
  return e;
}

bool is_list(ColumnType t) {
  return t == ColumnType::ListInt32 || t == ColumnType::ListFloat;
}

std::string annotation_text(const SchemaElement& e) {
  const LogicalType& lt = e.logical_type;
  switch (lt.kind) {
    case LogicalType::kNone:
      break;
    case LogicalType::kString:
      return "STRING";
    case LogicalType::kMap:
      return "MAP";
    case LogicalType::kList:
      return "LIST";
    case LogicalType::kEnum:
      return "ENUM";
    case LogicalType::kDecimal:
      return "DECIMAL";
    case LogicalType::kDate:
      return "DATE";
    case LogicalType::kTime:
    case LogicalType::kTimestamp: {
      const char* unit = lt.unit == 1   ? "MILLIS"
                         : lt.unit == 2 ? "MICROS"
                         : lt.unit == 3 ? "NANOS"
                                        : "?";
      return std::string(lt.kind == LogicalType::kTime ? "TIME(" : "TIMESTAMP(") + unit +
             (lt.adjusted_to_utc ? ", UTC)" : ", local)");
    }
    case LogicalType::kInteger:
      return std::string(lt.is_signed ? "INT(" : "UINT(") + std::to_string(lt.bit_width) + ")";
    case LogicalType::kUnknown:
      return "NULL";
    case LogicalType::kJson:
      return "JSON";
    case LogicalType::kBson:
      return "BSON";
    case LogicalType::kUuid:
      return "UUID";
    case LogicalType::kFloat16:
      return "FLOAT16";
    case LogicalType::kOther:
      return "OTHER";
  }
  if (e.converted_type) {
    switch (*e.converted_type) {
      case format::kUtf8:
        return "UTF8";
      case format::kList:
        return "LIST";
      case format::kMap:
        return "MAP";
      case format::kEnum:
        return "ENUM";
      case format::kDecimal:
        return "DECIMAL";
      case format::kDate:
        return "DATE";
      case format::kTimestampMillis:
        return "TIMESTAMP_MILLIS";
      case format::kTimestampMicros:
        return "TIMESTAMP_MICROS";
      case format::kInt8:
        return "INT_8";
      case format::kInt16:
        return "INT_16";
      case format::kInt32Converted:
        return "INT_32";
      case format::kInt64Converted:
        return "INT_64";
      case format::kUint8:
        return "UINT_8";
      case format::kUint16:
        return "UINT_16";
      case format::kUint32:
        return "UINT_32";
      case format::kUint64:
        return "UINT_64";
      case format::kJson:
        return "JSON";
      default:
        return "CONVERTED(" + std::to_string(*e.converted_type) + ")";
    }
  }
  return "";
}

std::string leaf_text(const SchemaElement& e) {
  std::string s = e.type ? format::physical_type_name(*e.type) : "GROUP";
  std::string a = annotation_text(e);
  if (!a.empty()) s += " " + a;
  return s;
}

// The ColumnType of a primitive leaf, or false with a reason.
bool scalar_type(const SchemaElement& e, ColumnType& type, int64_t& scale, std::string& reason) {
  const LogicalType& lt = e.logical_type;
  int32_t ct = e.converted_type.value_or(-1);
  bool annotated = lt.kind != LogicalType::kNone || ct >= 0;
  scale = 1;
  switch (e.type.value_or(-1)) {
    case format::kBoolean:
      if (annotated) break;
      type = ColumnType::Bool;
      return true;
    case format::kInt32: {
      int width = 32;
      bool is_signed = true;
      if (lt.kind == LogicalType::kInteger) {
        width = lt.bit_width;
        is_signed = lt.is_signed;
      } else if (lt.kind != LogicalType::kNone) {
        break;
      } else if (ct == format::kInt8) {
        width = 8;
      } else if (ct == format::kInt16) {
        width = 16;
      } else if (ct == format::kInt32Converted || ct < 0) {
        width = 32;
      } else {
        break;
      }
      if (!is_signed) break;
      if (width == 8)
        type = ColumnType::Int8;
      else if (width == 16)
        type = ColumnType::Int16;
      else if (width == 32)
        type = ColumnType::Int32;
      else
        break;
      return true;
    }
    case format::kInt64:
      if (lt.kind == LogicalType::kTimestamp || ct == format::kTimestampMicros ||
          ct == format::kTimestampMillis) {
        int unit = lt.kind == LogicalType::kTimestamp ? lt.unit
                   : ct == format::kTimestampMicros   ? 2
                                                      : 1;
        if (unit == 2)
          scale = 1;
        else if (unit == 1)
          scale = 1000;
        else {
          reason = "nanosecond timestamps are not supported";
          return false;
        }
        type = ColumnType::TimestampMicros;
        return true;
      }
      if ((lt.kind == LogicalType::kInteger && lt.is_signed && lt.bit_width == 64) ||
          (lt.kind == LogicalType::kNone && (ct < 0 || ct == format::kInt64Converted))) {
        type = ColumnType::Int64;
        return true;
      }
      break;
    case format::kFloat:
      if (annotated) break;
      type = ColumnType::Float;
      return true;
    case format::kDouble:
      if (annotated) break;
      type = ColumnType::Double;
      return true;
    case format::kByteArray:
      if (lt.kind == LogicalType::kString || lt.kind == LogicalType::kEnum ||
          lt.kind == LogicalType::kJson ||
          (lt.kind == LogicalType::kNone &&
           (ct == format::kUtf8 || ct == format::kEnum || ct == format::kJson))) {
        type = ColumnType::String;
        return true;
      }
      break;
    default:
      break;
  }
  reason = "type " + leaf_text(e) + " has no supported column type";
  return false;
}

class SchemaWalker {
 public:
  SchemaWalker(const std::vector<SchemaElement>& el, const std::string& context)
      : el_(el), context_(context) {}

  // Index one past the subtree rooted at `i`; counts its leaves.
  size_t subtree_end(size_t i, int depth, int& leaves) {
    if (depth > 64) fail("schema nested too deeply");
    if (i >= el_.size()) fail("schema tree is truncated");
    const SchemaElement& e = el_[i];
    if (e.num_children < 0) fail("negative child count in schema element '" + e.name + "'");
    if (e.num_children == 0) {
      if (!e.type) fail("schema element '" + e.name + "' has neither a type nor children");
      ++leaves;
      return i + 1;
    }
    if (static_cast<size_t>(e.num_children) > el_.size() - i - 1) {
      fail("schema element '" + e.name + "' claims more children than the schema has");
    }
    size_t j = i + 1;
    for (int c = 0; c < e.num_children; ++c) j = subtree_end(j, depth + 1, leaves);
    return j;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError(context_ + ": invalid schema: " + what);
  }

 private:
  const std::vector<SchemaElement>& el_;
  const std::string& context_;
};

void describe_list(const std::vector<SchemaElement>& el, size_t i, FileColumn& col) {
  const SchemaElement& g = el[i];
  bool list_annotated =
      g.logical_type.kind == LogicalType::kList || g.converted_type.value_or(-1) == format::kList;
  col.description = "GROUP";
  if (!list_annotated || g.num_children != 1) {
    col.description =
        g.logical_type.kind == LogicalType::kMap || g.converted_type.value_or(-1) == format::kMap
            ? "MAP"
            : "STRUCT";
    col.unsupported_reason = col.description + " columns are not supported";
    return;
  }
  const SchemaElement& rep = el[i + 1];
  if (rep.repetition.value_or(-1) != format::kRepeated) {
    col.description = "LIST";
    col.unsupported_reason = "LIST group without a repeated child";
    return;
  }
  const SchemaElement* leaf = nullptr;
  bool element_optional = false;
  if (rep.num_children == 0) {
    leaf = &rep;  // 2-level list: repeated primitive
  } else if (rep.num_children == 1 && el[i + 2].num_children == 0) {
    leaf = &el[i + 2];
    element_optional = leaf->repetition.value_or(format::kRequired) == format::kOptional;
    if (leaf->repetition.value_or(format::kRequired) == format::kRepeated) leaf = nullptr;
  }
  if (!leaf) {
    col.description = "LIST<nested>";
    col.unsupported_reason = "nested lists and lists of structs are not supported";
    return;
  }
  col.description = "LIST<" + leaf_text(*leaf) + ">";
  ColumnType et;
  int64_t scale;
  std::string reason;
  if (!scalar_type(*leaf, et, scale, reason) ||
      (et != ColumnType::Int32 && et != ColumnType::Float)) {
    col.unsupported_reason = "only lists of INT32 and FLOAT are supported";
    return;
  }
  col.type = et == ColumnType::Int32 ? ColumnType::ListInt32 : ColumnType::ListFloat;
  col.physical_type = *leaf->type;
  col.nullable = g.repetition.value_or(format::kRequired) == format::kOptional;
  col.list_def = col.nullable ? 1 : 0;
  col.element_nullable = element_optional;
  col.max_def = col.list_def + 1 + (element_optional ? 1 : 0);
  col.max_rep = 1;
  col.supported = true;
}

}  // namespace

std::vector<SchemaElement> to_parquet_schema(const Schema& schema) {
  std::vector<SchemaElement> out;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.fields.size());
  out.push_back(root);
  for (const Field& f : schema.fields) {
    int32_t rep = f.nullable ? format::kOptional : format::kRequired;
    if (!is_list(f.type)) {
      out.push_back(leaf_for(f.type, f.name, rep));
      continue;
    }
    SchemaElement group;
    group.name = f.name;
    group.repetition = rep;
    group.num_children = 1;
    group.converted_type = format::kList;
    group.logical_type.kind = LogicalType::kList;
    out.push_back(group);
    SchemaElement repeated;
    repeated.name = "list";
    repeated.repetition = format::kRepeated;
    repeated.num_children = 1;
    out.push_back(repeated);
    out.push_back(leaf_for(f.type, "element", format::kRequired));
  }
  return out;
}

std::vector<FileColumn> from_parquet_schema(const std::vector<SchemaElement>& el,
                                            const std::string& context) {
  SchemaWalker walker(el, context);
  if (el.empty()) walker.fail("no root element");
  if (el[0].num_children < 0) walker.fail("negative child count at the root");
  std::vector<FileColumn> columns;
  int leaf_index = 0;
  size_t i = 1;
  for (int c = 0; c < el[0].num_children; ++c) {
    if (i >= el.size()) walker.fail("root claims more children than the schema has");
    int leaves = 0;
    size_t end = walker.subtree_end(i, 1, leaves);
    const SchemaElement& e = el[i];
    FileColumn col;
    col.name = e.name;
    col.first_leaf = leaf_index;
    col.num_leaves = leaves;
    if (e.num_children == 0) {
      col.description = leaf_text(e);
      int32_t rep = e.repetition.value_or(format::kRequired);
      if (rep == format::kRepeated) {
        col.unsupported_reason = "repeated fields without a LIST annotation are not supported";
      } else {
        int64_t scale = 1;
        if (scalar_type(e, col.type, scale, col.unsupported_reason)) {
          col.supported = true;
          col.physical_type = *e.type;
          col.nullable = rep == format::kOptional;
          col.max_def = col.nullable ? 1 : 0;
          col.timestamp_scale = scale;
        }
      }
    } else {
      describe_list(el, i, col);
      if (e.repetition.value_or(format::kRequired) == format::kRepeated && col.supported) {
        col.supported = false;
        col.unsupported_reason = "repeated LIST groups are not supported";
      }
    }
    leaf_index += leaves;
    columns.push_back(std::move(col));
    i = end;
  }
  if (i != el.size()) walker.fail("schema has elements outside the root's children");
  return columns;
}

}  // namespace recsys::parquet

#include "recsys/io/parquet/writer.h"

#include <algorithm>
#include <cstring>

#include "recsys/core/error.h"
#include "recsys/io/atomic_file.h"
#include "recsys/io/parquet/column_writer.h"
#include "recsys/io/parquet/metadata.h"
#include "recsys/io/parquet/schema_mapping.h"

namespace recsys::parquet {
namespace {

constexpr char kMagic[4] = {'P', 'A', 'R', '1'};

bool is_list(ColumnType t) {
  return t == ColumnType::ListInt32 || t == ColumnType::ListFloat;
}

size_t value_count(const Column& c) {
  switch (c.type) {
    case ColumnType::ListInt32:
      return c.i32.size();
    case ColumnType::ListFloat:
      return c.f32.size();
    default:
      return c.num_rows();
  }
}

// Approximate bytes per row of a batch, for cutting row groups inside a batch.
double bytes_per_row(const RecordBatch& batch) {
  size_t rows = batch.num_rows();
  if (rows == 0) return 1;
  double total = 0;
  for (const Column& c : batch.columns) {
    switch (c.type) {
      case ColumnType::Bool:
        total += static_cast<double>(rows) / 8;
        break;
      case ColumnType::Int8:
      case ColumnType::Int16:
      case ColumnType::Int32:
      case ColumnType::Float:
        total += 4.0 * static_cast<double>(rows);
        break;
      case ColumnType::Int64:
      case ColumnType::TimestampMicros:
      case ColumnType::Double:
        total += 8.0 * static_cast<double>(rows);
        break;
      case ColumnType::String: {
        size_t bytes = 0;
        for (const std::string& s : c.str) bytes += 4 + s.size();
        total += static_cast<double>(bytes);
        break;
      }
      case ColumnType::ListInt32:
      case ColumnType::ListFloat:
        total += 4.0 * static_cast<double>(value_count(c));
        break;
    }
  }
  return std::max(1.0, total / static_cast<double>(rows));
}

}  // namespace

struct Writer::Impl {
  std::filesystem::path path;
  Schema schema;
  WriterOptions options;
  io::AtomicFile file;
  std::vector<ColumnWriter> columns;
  std::vector<format::RowGroup> row_groups;
  int64_t rows_written = 0;
  int64_t group_rows = 0;
  bool failed = false;
  bool closed = false;

  Impl(std::filesystem::path p, Schema s, WriterOptions o)
      : path(std::move(p)), schema(std::move(s)), options(std::move(o)), file(path) {
    file.write(kMagic, 4);
    // The first column of a row group starts where the file ends, so its pages go to
    // the file as soon as they are compressed (overlapping I/O with compression);
    // the others are buffered until the row group is flushed.
    for (size_t i = 0; i < schema.fields.size(); ++i) {
      columns.emplace_back(schema.fields[i], options, i == 0 ? &file : nullptr);
    }
  }

  std::string where() const { return path.string(); }

  void validate(const RecordBatch& batch) const {
    const auto& fields = schema.fields;
    if (batch.columns.size() != fields.size() || batch.names.size() != fields.size()) {
      throw InvalidArgument(where() + ": batch has " + std::to_string(batch.columns.size()) +
                            " columns, the schema has " + std::to_string(fields.size()));
    }
    size_t rows = batch.columns.empty() ? 0 : batch.columns[0].num_rows();
    for (size_t i = 0; i < fields.size(); ++i) {
      const Field& f = fields[i];
      const Column& c = batch.columns[i];
      std::string col = where() + ": column '" + f.name + "'";
      if (batch.names[i] != f.name) {
        throw InvalidArgument(where() + ": batch column " + std::to_string(i) + " is named '" +
                              batch.names[i] + "', the schema expects '" + f.name + "'");
      }
      if (c.type != f.type) {
        throw InvalidArgument(col + ": expected type " + to_string(f.type) + ", got " +
                              to_string(c.type));
      }
      if (c.num_rows() != rows) {
        throw InvalidArgument(col + ": has " + std::to_string(c.num_rows()) + " rows, column '" +
                              f.name + "' of this batch should have " + std::to_string(rows) +
                              " like column '" + fields[0].name + "'");
      }
      if (!c.validity.empty()) {
        if (c.validity.size() != rows) {
          throw InvalidArgument(col + ": validity has " + std::to_string(c.validity.size()) +
                                " entries for " + std::to_string(rows) + " rows");
        }
        if (!f.nullable) {
          auto it = std::find(c.validity.begin(), c.validity.end(), 0);
          if (it != c.validity.end()) {
            throw InvalidArgument(col + ": is not nullable but row " +
                                  std::to_string(it - c.validity.begin()) + " is null");
          }
        }
      }
      if (is_list(f.type)) {
        if (rows == 0) continue;
        size_t nvalues = value_count(c);
        if (c.offsets[0] < 0) throw InvalidArgument(col + ": negative list offset");
        for (size_t r = 0; r < rows; ++r) {
          if (c.offsets[r + 1] < c.offsets[r]) {
            throw InvalidArgument(col + ": list offsets decrease at row " + std::to_string(r));
          }
          if (c.is_null(r) && c.offsets[r + 1] != c.offsets[r]) {
            throw InvalidArgument(col + ": row " + std::to_string(r) +
                                  " is null but has list elements");
          }
        }
        if (static_cast<size_t>(c.offsets[rows]) > nvalues) {
          throw InvalidArgument(col + ": list offsets reach " + std::to_string(c.offsets[rows]) +
                                " but the column has " + std::to_string(nvalues) + " values");
        }
      }
    }
  }

  int64_t buffered() const {
    int64_t b = 0;
    for (const ColumnWriter& c : columns) b += c.buffered_bytes();
    return b;
  }

  void write(const RecordBatch& batch) {
    validate(batch);
    size_t rows = batch.num_rows();
    double per_row = bytes_per_row(batch);
    size_t begin = 0;
    while (begin < rows) {
      size_t n = rows - begin;
      if (options.row_group_rows > 0) {
        n = std::min<size_t>(n, static_cast<size_t>(options.row_group_rows - group_rows));
      }
      int64_t room = options.row_group_bytes - buffered();
      size_t by_bytes =
          room <= 0 ? 1 : static_cast<size_t>(static_cast<double>(room) / per_row) + 1;
      n = std::max<size_t>(1, std::min(n, by_bytes));
      for (size_t i = 0; i < columns.size(); ++i) {
        columns[i].append(batch.columns[i], begin, begin + n);
      }
      begin += n;
      group_rows += static_cast<int64_t>(n);
      rows_written += static_cast<int64_t>(n);
      if ((options.row_group_rows > 0 && group_rows >= options.row_group_rows) ||
          buffered() >= options.row_group_bytes) {
        flush_row_group();
      }
    }
  }

  void flush_row_group() {
    if (group_rows == 0) return;
    format::RowGroup rg;
    rg.num_rows = group_rows;
    int64_t compressed = 0;
    for (ColumnWriter& c : columns) {
      format::ColumnChunk cc = c.flush(file);
      rg.total_byte_size += cc.meta_data.total_uncompressed_size;
      compressed += cc.meta_data.total_compressed_size;
      rg.columns.push_back(std::move(cc));
    }
    rg.file_offset = rg.columns.front().file_offset;  // the first column's pages start it
    rg.total_compressed_size = compressed;
    rg.ordinal = static_cast<int32_t>(row_groups.size());
    row_groups.push_back(std::move(rg));
    group_rows = 0;
  }

  void close() {
    flush_row_group();
    format::FileMetaData meta;
    meta.version = 1;
    meta.schema = to_parquet_schema(schema);
    meta.num_rows = rows_written;
    meta.row_groups = std::move(row_groups);
    for (const auto& [k, v] : options.key_value_metadata) meta.key_value_metadata.push_back({k, v});
    meta.created_by = "recsys version 0.1.0";
    meta.column_orders = static_cast<int32_t>(schema.fields.size());
    std::vector<uint8_t> footer;
    format::serialize(meta, footer);
    uint32_t len = static_cast<uint32_t>(footer.size());
    uint8_t tail[8];
    std::memcpy(tail, &len, 4);
    std::memcpy(tail + 4, kMagic, 4);
    file.write(footer.data(), footer.size());
    file.write(tail, 8);
    file.commit();
  }
};

Writer::Writer(std::filesystem::path path, Schema schema, WriterOptions options) {
  std::string where = path.string();
  if (schema.fields.empty()) throw InvalidArgument(where + ": the schema has no columns");
  for (size_t i = 0; i < schema.fields.size(); ++i) {
    const std::string& name = schema.fields[i].name;
    if (name.empty())
      throw InvalidArgument(where + ": column " + std::to_string(i) + " has no name");
    for (size_t j = 0; j < i; ++j) {
      if (schema.fields[j].name == name) {
        throw InvalidArgument(where + ": column name '" + name + "' appears twice");
      }
    }
  }
  if (options.row_group_bytes <= 0) throw InvalidArgument(where + ": row_group_bytes must be > 0");
  if (options.row_group_rows < 0) throw InvalidArgument(where + ": row_group_rows must be >= 0");
  if (options.codec == Codec::Zstd &&
      (options.compression_level < 0 || options.compression_level > 22)) {
    throw InvalidArgument(where + ": zstd compression level must be 1..22");
  }
  if (options.codec == Codec::Gzip &&
      (options.compression_level < 0 || options.compression_level > 9)) {
    throw InvalidArgument(where + ": gzip compression level must be 1..9");
  }
  impl_ = std::make_unique<Impl>(std::move(path), std::move(schema), std::move(options));
}

Writer::~Writer() = default;  // AtomicFile removes the temporary file unless committed
Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;

void Writer::write(const RecordBatch& batch) {
  if (!impl_) throw InvalidArgument("write on a moved-from parquet writer");
  if (impl_->closed) throw InvalidArgument(impl_->where() + ": write after close()");
  if (impl_->failed) {
    throw InvalidArgument(impl_->where() +
                          ": an earlier write failed; the file will not be written");
  }
  try {
    impl_->write(batch);
  } catch (...) {
    impl_->failed = true;
    impl_->file.discard();
    throw;
  }
}

void Writer::set_metadata(const std::string& key, const std::string& value) {
  if (!impl_) throw InvalidArgument("set_metadata on a moved-from parquet writer");
  if (impl_->closed) throw InvalidArgument(impl_->where() + ": set_metadata after close()");
  for (auto& kv : impl_->options.key_value_metadata) {
    if (kv.first == key) {
      kv.second = value;
      return;
    }
  }
  impl_->options.key_value_metadata.emplace_back(key, value);
}

void Writer::close() {
  if (!impl_) throw InvalidArgument("close on a moved-from parquet writer");
  if (impl_->closed) return;
  if (impl_->failed) {
    throw InvalidArgument(impl_->where() + ": an earlier write failed; the file was not written");
  }
  try {
    impl_->close();
    impl_->closed = true;
  } catch (...) {
    impl_->failed = true;
    impl_->file.discard();
    throw;
  }
}

const Schema& Writer::schema() const {
  return impl_->schema;
}
int64_t Writer::rows_written() const {
  return impl_->rows_written;
}

}  // namespace recsys::parquet

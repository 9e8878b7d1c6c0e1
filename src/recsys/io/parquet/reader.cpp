#include "recsys/io/parquet/reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "recsys/core/error.h"
#include "recsys/io/parquet/column_reader.h"
#include "recsys/io/parquet/metadata.h"
#include "recsys/io/parquet/schema_mapping.h"
#include "recsys/io/parquet/statistics.h"

namespace recsys::parquet {
namespace {

Codec codec_from_format(int32_t c) {
  switch (c) {
    case format::kSnappy:
      return Codec::Snappy;
    case format::kZstd:
      return Codec::Zstd;
    case format::kGzip:
      return Codec::Gzip;
    default:
      return Codec::Uncompressed;
  }
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) s += sep;
    s += parts[i];
  }
  return s;
}

}  // namespace

struct Reader::Impl {
  std::filesystem::path path;
  std::string name;
  ReaderOptions options;
  int fd = -1;
  std::vector<uint8_t> memory;  // whole file when opened from bytes
  bool in_memory = false;
  uint64_t file_size = 0;
  uint64_t footer_start = 0;

  format::FileMetaData meta;
  std::vector<FileColumn> file_columns;
  std::vector<ColumnDescription> descriptions;
  Schema schema;
  std::vector<RowGroupInfo> row_groups;
  std::vector<std::pair<std::string, std::string>> kv;

  ~Impl() {
    if (fd >= 0) ::close(fd);
  }

  [[noreturn]] void fail(const std::string& what) const { throw FormatError(name + ": " + what); }

  void read_at(uint64_t offset, size_t size, uint8_t* out) const {
    if (offset > file_size || size > file_size - offset) fail("read past the end of the file");
    if (in_memory) {
      if (size) std::memcpy(out, memory.data() + offset, size);
      return;
    }
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::pread(fd, out + done, size - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        throw IoError(name + ": read failed: " + std::strerror(err));
      }
      if (n == 0) throw IoError(name + ": file shrank while being read");
      done += static_cast<size_t>(n);
    }
  }

  void open_file() {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      throw IoError(name + ": cannot open: " + std::strerror(err));
    }
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      throw IoError(name + ": cannot stat: " + std::strerror(err));
    }
    if (S_ISDIR(st.st_mode)) throw IoError(name + ": is a directory, not a Parquet file");
    file_size = static_cast<uint64_t>(st.st_size);
  }

  void load_footer() {
    if (file_size < 12) fail("not a Parquet file (only " + std::to_string(file_size) + " bytes)");
    uint8_t head[4], tail[8];
    read_at(0, 4, head);
    read_at(file_size - 8, 8, tail);
    if (std::memcmp(tail + 4, "PARE", 4) == 0) fail("encrypted Parquet files are not supported");
    if (std::memcmp(head, "PAR1", 4) != 0 || std::memcmp(tail + 4, "PAR1", 4) != 0) {
      fail("not a Parquet file (missing PAR1 magic)");
    }
    uint32_t len;
    std::memcpy(&len, tail, 4);
    if (len == 0 || len > file_size - 12) {
      fail("footer length " + std::to_string(len) + " does not fit in the file");
    }
    footer_start = file_size - 8 - len;
    std::vector<uint8_t> footer(len);
    read_at(footer_start, len, footer.data());
    meta = format::parse_file_metadata(footer.data(), footer.size(), name);
    validate();
  }

  void validate() {
    file_columns = from_parquet_schema(meta.schema, name);
    int leaves = 0;
    for (const FileColumn& c : file_columns) leaves += c.num_leaves;
    if (meta.num_rows < 0) fail("negative row count");
    int64_t total = 0;
    for (size_t g = 0; g < meta.row_groups.size(); ++g) {
      const format::RowGroup& rg = meta.row_groups[g];
      std::string where = "row group " + std::to_string(g);
      if (rg.num_rows < 0) fail(where + ": negative row count");
      if (rg.columns.size() != static_cast<size_t>(leaves)) {
        fail(where + " has " + std::to_string(rg.columns.size()) +
             " column chunks, the schema has " + std::to_string(leaves) + " leaf columns");
      }
      if (__builtin_add_overflow(total, rg.num_rows, &total)) fail("row count overflows");
    }
    if (total != meta.num_rows) {
      fail("row groups hold " + std::to_string(total) + " rows, the footer says " +
           std::to_string(meta.num_rows));
    }
    for (const FileColumn& c : file_columns) {
      ColumnDescription d;
      d.name = c.name;
      d.parquet_type = c.description;
      d.supported = c.supported;
      d.unsupported_reason = c.unsupported_reason;
      d.type = c.type;
      d.nullable = c.nullable;
      descriptions.push_back(d);
      if (c.supported) schema.fields.push_back({c.name, c.type, c.nullable});
    }
    std::vector<int> leaf_owner(static_cast<size_t>(leaves), 0);
    for (size_t i = 0; i < file_columns.size(); ++i) {
      for (int l = 0; l < file_columns[i].num_leaves; ++l) {
        leaf_owner[static_cast<size_t>(file_columns[i].first_leaf + l)] = static_cast<int>(i);
      }
    }
    for (const format::RowGroup& rg : meta.row_groups) {
      RowGroupInfo info;
      info.num_rows = rg.num_rows;
      for (size_t l = 0; l < rg.columns.size(); ++l) {
        const format::ColumnChunk& cc = rg.columns[l];
        const FileColumn& owner = file_columns[static_cast<size_t>(leaf_owner[l])];
        ColumnChunkInfo ci;
        const format::ColumnMetaData& m = cc.meta_data;
        ci.column = m.path_in_schema.empty() ? owner.name : join(m.path_in_schema, ".");
        ci.codec = codec_from_format(m.codec);
        ci.codec_name = format::codec_name(m.codec);
        std::vector<std::string> encs;
        for (int32_t e : m.encodings) encs.push_back(format::encoding_name(e));
        ci.encodings = join(encs, ",");
        ci.num_values = m.num_values;
        ci.compressed_bytes = m.total_compressed_size;
        ci.uncompressed_bytes = m.total_uncompressed_size;
        if (m.statistics) {
          const format::Statistics& s = *m.statistics;
          ci.null_count = s.null_count;
          const std::optional<std::string>& mn = s.min_value ? s.min_value : s.min;
          const std::optional<std::string>& mx = s.max_value ? s.max_value : s.max;
          // The deprecated min/max of strings used signed byte order: show only the new ones.
          bool ok = owner.supported && (s.min_value || owner.type != ColumnType::String);
          if (ok && mn) ci.min = render_statistic(owner.type, owner.timestamp_scale, *mn);
          if (ok && mx) ci.max = render_statistic(owner.type, owner.timestamp_scale, *mx);
        }
        info.columns.push_back(std::move(ci));
      }
      row_groups.push_back(std::move(info));
    }
    for (const format::KeyValue& e : meta.key_value_metadata) kv.emplace_back(e.key, e.value);
  }

  std::vector<int> resolve(const std::vector<std::string>& names) const {
    std::vector<int> idx;
    if (names.empty()) {
      for (size_t i = 0; i < file_columns.size(); ++i) idx.push_back(static_cast<int>(i));
    } else {
      for (const std::string& n : names) {
        int found = -1;
        for (size_t i = 0; i < file_columns.size(); ++i) {
          if (file_columns[i].name == n) {
            found = static_cast<int>(i);
            break;
          }
        }
        if (found < 0) {
          std::vector<std::string> all;
          for (const FileColumn& c : file_columns) all.push_back(c.name);
          throw InvalidArgument(name + ": no column named '" + n +
                                "' (columns: " + join(all, ", ") + ")");
        }
        idx.push_back(found);
      }
    }
    for (int i : idx) {
      const FileColumn& c = file_columns[static_cast<size_t>(i)];
      if (!c.supported) {
        throw FormatError(name + ": column '" + c.name + "' (" + c.description +
                          ") cannot be read: " + c.unsupported_reason);
      }
    }
    return idx;
  }

  Column read_chunk(int group, const FileColumn& col) const {
    const format::RowGroup& rg = meta.row_groups[static_cast<size_t>(group)];
    const format::ColumnChunk& cc = rg.columns[static_cast<size_t>(col.first_leaf)];
    std::string context = name + ": column '" + col.name + "', row group " + std::to_string(group);
    if (!cc.has_meta_data) throw FormatError(context + ": column chunk without metadata");
    if (cc.file_path)
      throw FormatError(context + ": column chunk stored in another file ('" + *cc.file_path +
                        "') is not supported");
    const format::ColumnMetaData& m = cc.meta_data;
    if (m.type != col.physical_type) {
      throw FormatError(context + ": chunk type " + format::physical_type_name(m.type) +
                        " does not match the schema's " +
                        format::physical_type_name(col.physical_type));
    }
    int64_t start = m.data_page_offset;
    if (m.dictionary_page_offset && *m.dictionary_page_offset > 0 &&
        *m.dictionary_page_offset < start) {
      start = *m.dictionary_page_offset;
    }
    int64_t length = m.total_compressed_size;
    if (start < 4 || length < 0 || static_cast<uint64_t>(start) > footer_start ||
        static_cast<uint64_t>(length) > footer_start - static_cast<uint64_t>(start)) {
      throw FormatError(context + ": column chunk range [" + std::to_string(start) + ", +" +
                        std::to_string(length) + ") lies outside the data section of the file");
    }
    Column out;
    out.type = col.type;
    if (col.type == ColumnType::ListInt32 || col.type == ColumnType::ListFloat)
      out.offsets.push_back(0);
    if (rg.num_rows == 0) return out;
    const uint8_t* data;
    std::vector<uint8_t> buffer;
    if (in_memory) {
      data = memory.data() + start;
    } else {
      buffer.resize(static_cast<size_t>(length));
      read_at(static_cast<uint64_t>(start), buffer.size(), buffer.data());
      data = buffer.data();
    }
    read_column_chunk(col, m, data, static_cast<size_t>(length), rg.num_rows,
                      options.max_values_per_chunk, out, context);
    return out;
  }

  RecordBatch read_group(int group, const std::vector<int>& idx) const {
    if (group < 0 || static_cast<size_t>(group) >= meta.row_groups.size()) {
      throw InvalidArgument(name + ": row group " + std::to_string(group) +
                            " out of range (file has " + std::to_string(meta.row_groups.size()) +
                            ")");
    }
    RecordBatch batch;
    for (int i : idx) {
      const FileColumn& c = file_columns[static_cast<size_t>(i)];
      batch.names.push_back(c.name);
      batch.columns.push_back(read_chunk(group, c));
    }
    return batch;
  }
};

Reader::Reader(std::filesystem::path path) : Reader(std::move(path), ReaderOptions{}) {}

Reader::Reader(std::filesystem::path path, ReaderOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = std::move(path);
  impl_->name = impl_->path.string();
  impl_->options = options;
  impl_->open_file();
  impl_->load_footer();
}

Reader Reader::from_bytes(std::string name, std::vector<uint8_t> bytes, ReaderOptions options) {
  Reader r;
  r.impl_ = std::make_unique<Impl>();
  r.impl_->path = name;
  r.impl_->name = std::move(name);
  r.impl_->options = options;
  r.impl_->memory = std::move(bytes);
  r.impl_->in_memory = true;
  r.impl_->file_size = r.impl_->memory.size();
  r.impl_->load_footer();
  return r;
}

Reader::~Reader() = default;
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;

const std::filesystem::path& Reader::path() const {
  return impl_->path;
}
const Schema& Reader::schema() const {
  return impl_->schema;
}
int64_t Reader::num_rows() const {
  return impl_->meta.num_rows;
}
int Reader::num_row_groups() const {
  return static_cast<int>(impl_->meta.row_groups.size());
}

const RowGroupInfo& Reader::row_group(int index) const {
  if (index < 0 || static_cast<size_t>(index) >= impl_->row_groups.size()) {
    throw InvalidArgument(impl_->name + ": row group " + std::to_string(index) + " out of range");
  }
  return impl_->row_groups[static_cast<size_t>(index)];
}

const std::vector<std::pair<std::string, std::string>>& Reader::key_value_metadata() const {
  return impl_->kv;
}

std::optional<std::string> Reader::metadata(const std::string& key) const {
  for (const auto& [k, v] : impl_->kv) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::string Reader::created_by() const {
  return impl_->meta.created_by.value_or("");
}

const std::vector<ColumnDescription>& Reader::columns() const {
  return impl_->descriptions;
}

RecordBatch Reader::read_row_group(int index, const std::vector<std::string>& columns) const {
  return impl_->read_group(index, impl_->resolve(columns));
}

RecordBatch Reader::read_all(const std::vector<std::string>& columns) const {
  std::vector<int> idx = impl_->resolve(columns);
  RecordBatch all;
  for (int i : idx) {
    const FileColumn& c = impl_->file_columns[static_cast<size_t>(i)];
    all.names.push_back(c.name);
    Column col;
    col.type = c.type;
    if (c.type == ColumnType::ListInt32 || c.type == ColumnType::ListFloat)
      col.offsets.push_back(0);
    all.columns.push_back(std::move(col));
  }
  for (int g = 0; g < num_row_groups(); ++g) {
    RecordBatch b = impl_->read_group(g, idx);
    for (size_t i = 0; i < b.columns.size(); ++i)
      append_column(all.columns[i], std::move(b.columns[i]));
  }
  return all;
}

}  // namespace recsys::parquet

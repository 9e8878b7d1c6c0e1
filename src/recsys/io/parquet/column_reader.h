#pragma once
// Decodes one column chunk (all its pages: dictionary, data v1, data v2) into a
// Column: levels become validity and list offsets, values are decoded with the
// page's encoding. The chunk bytes are untrusted: counts are checked against
// the row group, sizes against the chunk, and decompression is bounded.
#include <cstddef>
#include <cstdint>
#include <string>

#include "recsys/io/parquet/metadata.h"
#include "recsys/io/parquet/schema_mapping.h"
#include "recsys/io/parquet/table.h"

namespace recsys::parquet {

// Appends the chunk's `num_rows` rows to `out` (whose type must be column.type).
// `max_values` caps the level entries decoded for this chunk (memory bound).
void read_column_chunk(const FileColumn& column, const format::ColumnMetaData& meta,
                       const uint8_t* data, size_t size, int64_t num_rows, int64_t max_values,
                       Column& out, const std::string& context);

}  // namespace recsys::parquet

#include "recsys/core/error.h"

#include <gtest/gtest.h>

#include "recsys/io/parquet/table.h"

TEST(Error, TypedErrorsAreCatchableAsError) {
  try {
    throw recsys::FormatError("x.parquet: bad magic");
  } catch (const recsys::Error& e) {
    EXPECT_STREQ(e.what(), "x.parquet: bad magic");
  }
}

TEST(RecordBatch, UnknownColumnNamesTheColumn) {
  recsys::parquet::RecordBatch batch;
  try {
    (void)batch.column("price_band");
    FAIL() << "expected InvalidArgument";
  } catch (const recsys::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("price_band"), std::string::npos);
  }
}

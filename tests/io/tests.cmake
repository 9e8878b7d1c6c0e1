# Script-driven and sanitizer tests of the io stage (included by tests/CMakeLists.txt).

# Under ASan/UBSan (build/sanitize): all Parquet tests (unit, round trip,
# bad input, DuckDB files, corruption), with label `sanitize`. The release tree
# runs them as ordinary `io` tests through gtest discovery.
if(RECSYS_SANITIZE)
  # The Parquet sources alone (not the whole library), so this job depends only on them.
  file(GLOB RECSYS_PARQUET_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/recsys/io/parquet/*.cpp)
  add_library(recsys_parquet_sanitized STATIC ${RECSYS_PARQUET_SOURCES}
              ${PROJECT_SOURCE_DIR}/src/recsys/io/atomic_file.cpp)
  target_include_directories(recsys_parquet_sanitized PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(recsys_parquet_sanitized PRIVATE ${RECSYS_WARNINGS})
  target_link_libraries(recsys_parquet_sanitized PUBLIC nlohmann_json::nlohmann_json fmt::fmt OpenMP::OpenMP_CXX
                        PkgConfig::SNAPPY PkgConfig::ZSTD ZLIB::ZLIB)
  file(GLOB RECSYS_PARQUET_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/parquet_*_test.cpp)
  list(FILTER RECSYS_PARQUET_TESTS EXCLUDE REGEX "parquet_inspect_test")  # needs the recsys program
  add_executable(recsys_parquet_sanitize_tests ${RECSYS_PARQUET_TESTS})
  target_compile_options(recsys_parquet_sanitize_tests PRIVATE ${RECSYS_WARNINGS})
  target_compile_definitions(recsys_parquet_sanitize_tests PRIVATE RECSYS_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(recsys_parquet_sanitize_tests PRIVATE recsys_parquet_sanitized
                        GTest::gtest GTest::gtest_main)
  if(NOT TARGET recsys_sanitize_tests)
    add_custom_target(recsys_sanitize_tests)
  endif()
  add_dependencies(recsys_sanitize_tests recsys_parquet_sanitize_tests)
  add_test(NAME io_parquet_sanitized COMMAND recsys_parquet_sanitize_tests)
  set_tests_properties(io_parquet_sanitized PROPERTIES LABELS "io;sanitize" TIMEOUT 900)
endif()

# DuckDB interop (label `interop`): node + @duckdb/node-api from tools/.
find_program(RECSYS_NODE node)
if(RECSYS_NODE AND NOT RECSYS_SANITIZE)
  add_executable(parquet_interop_write ${CMAKE_CURRENT_LIST_DIR}/parquet_interop_write.cpp)
  target_compile_options(parquet_interop_write PRIVATE ${RECSYS_WARNINGS})
  target_link_libraries(parquet_interop_write PRIVATE recsys_all)
  add_dependencies(recsys_io_tests parquet_interop_write)
  add_test(NAME io_duckdb_reads_ours
           COMMAND ${RECSYS_NODE} ${CMAKE_CURRENT_LIST_DIR}/duckdb_reads_ours.mjs
                   $<TARGET_FILE:parquet_interop_write> ${CMAKE_CURRENT_BINARY_DIR}/interop/ours)
  add_test(NAME io_ours_reads_duckdb
           COMMAND ${RECSYS_NODE} ${CMAKE_CURRENT_LIST_DIR}/ours_reads_duckdb.mjs
                   $<TARGET_FILE:recsys_cli> ${CMAKE_CURRENT_BINARY_DIR}/interop/duckdb)
  set_tests_properties(io_duckdb_reads_ours io_ours_reads_duckdb PROPERTIES
                       LABELS "io;interop" TIMEOUT 300
                       ENVIRONMENT "RECSYS_TOOLS_DIR=${PROJECT_SOURCE_DIR}/tools")
endif()

# Script-driven tests of the export stage (included by tests/CMakeLists.txt).

# DuckDB reads the Parquet tables `recsys export` writes and compares them with the folder's .npy
# files (label `interop`).
find_program(RECSYS_NODE node)
if(RECSYS_NODE AND NOT RECSYS_SANITIZE)
  add_test(NAME export_duckdb_reads_export
           COMMAND ${RECSYS_NODE} ${CMAKE_CURRENT_LIST_DIR}/duckdb_reads_export.mjs
                   $<TARGET_FILE:recsys_cli> ${CMAKE_CURRENT_BINARY_DIR}/export_interop)
  set_tests_properties(export_duckdb_reads_export PROPERTIES
                       LABELS "export;interop" TIMEOUT 300
                       ENVIRONMENT "RECSYS_TOOLS_DIR=${PROJECT_SOURCE_DIR}/tools")
endif()

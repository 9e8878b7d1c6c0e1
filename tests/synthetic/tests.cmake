# Script-driven tests of the synthetic stage (included by tests/CMakeLists.txt).

# DuckDB recomputes the data set's invariants independently (label `interop`).
find_program(RECSYS_NODE node)
if(RECSYS_NODE AND NOT RECSYS_SANITIZE)
  add_test(NAME synthetic_duckdb_checks
           COMMAND ${RECSYS_NODE} ${CMAKE_CURRENT_LIST_DIR}/duckdb_checks_dataset.mjs
                   $<TARGET_FILE:recsys_cli> ${CMAKE_CURRENT_BINARY_DIR}/synthetic_duckdb)
  set_tests_properties(synthetic_duckdb_checks PROPERTIES
                       LABELS "synthetic;interop" TIMEOUT 300
                       ENVIRONMENT "RECSYS_TOOLS_DIR=${PROJECT_SOURCE_DIR}/tools")
endif()

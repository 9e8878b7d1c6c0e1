# Script-driven tests of the data stage (included by tests/CMakeLists.txt).

# DuckDB reads what `recsys import` wrote and compares it with its own reading of
# the source text files (label `interop`).
find_program(RECSYS_NODE node)
if(RECSYS_NODE AND NOT RECSYS_SANITIZE)
  add_test(NAME data_duckdb_checks_imports
           COMMAND ${RECSYS_NODE} ${CMAKE_CURRENT_LIST_DIR}/duckdb_checks_imports.mjs
                   $<TARGET_FILE:recsys_cli> ${PROJECT_SOURCE_DIR}/../shared/data
                   ${CMAKE_CURRENT_BINARY_DIR}/data_interop)
  set_tests_properties(data_duckdb_checks_imports PROPERTIES
                       LABELS "data;interop" TIMEOUT 300
                       ENVIRONMENT "RECSYS_TOOLS_DIR=${PROJECT_SOURCE_DIR}/tools")
endif()

# Under ASan/UBSan (build/sanitize): the whole data test program, label `sanitize` (the parsers
# take untrusted text). The release tree runs the same tests as ordinary `data` tests.
if(RECSYS_SANITIZE)
  if(NOT TARGET recsys_sanitize_tests)
    add_custom_target(recsys_sanitize_tests)
  endif()
  add_dependencies(recsys_sanitize_tests recsys_data_tests)
  add_test(NAME data_importers_sanitized COMMAND recsys_data_tests)
  set_tests_properties(data_importers_sanitized PROPERTIES LABELS "data;sanitize" TIMEOUT 600)
endif()

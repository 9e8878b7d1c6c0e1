# The explorer page (`recsys serve` at /), /docs and the pipeline's report.html in headless
# Debian chromium driven by playwright-core (label `browser`; both installed by scripts/setup).
# Writes its screenshot to <build>/tests/browser/explorer/explorer.png.
find_program(RECSYS_NODE node)
if(RECSYS_NODE AND NOT RECSYS_SANITIZE)
  add_test(NAME browser_explorer
           COMMAND ${RECSYS_NODE} ${CMAKE_CURRENT_LIST_DIR}/explorer.mjs
                   $<TARGET_FILE:recsys_cli> ${CMAKE_CURRENT_BINARY_DIR}/browser/explorer)
  set_tests_properties(browser_explorer PROPERTIES
                       LABELS "browser" TIMEOUT 300
                       ENVIRONMENT "RECSYS_TOOLS_DIR=${PROJECT_SOURCE_DIR}/tools")
endif()

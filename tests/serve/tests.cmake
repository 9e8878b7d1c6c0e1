# Sanitizer run of the serving tests (included by tests/CMakeLists.txt).
# Under ASan/UBSan (build/sanitize, no LibTorch): the whole serve test program — the real server
# on an ephemeral port, every route and error case, reload under load — over an mf-bpr workdir
# (tests/serve/serve_fixture.h), label `sanitize`.
if(RECSYS_SANITIZE)
  if(NOT TARGET recsys_sanitize_tests)
    add_custom_target(recsys_sanitize_tests)
  endif()
  add_dependencies(recsys_sanitize_tests recsys_serve_tests recsys_cli)
  add_test(NAME serve_sanitized COMMAND recsys_serve_tests)
  set_tests_properties(serve_sanitized PROPERTIES LABELS "serve;sanitize" TIMEOUT 900
                       ENVIRONMENT "OMP_WAIT_POLICY=passive")
endif()

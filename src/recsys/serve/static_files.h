#pragma once
// Files `recsys serve` answers with, compiled into the library at build time (CMakeLists.txt,
// "Embedded files"): no file lookups and no network at run time.
#include <string_view>

namespace recsys::serve {

std::string_view openapi_json();  // docs/openapi.json: the API, OpenAPI 3
std::string_view docs_html();     // src/recsys/serve/web/docs.html: renders /openapi.json at /docs
std::string_view explorer_html();  // src/recsys/serve/web/explorer.html: the explorer page at /

}  // namespace recsys::serve

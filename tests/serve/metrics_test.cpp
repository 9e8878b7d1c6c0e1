#include "recsys/serve/metrics.h"

#include <gtest/gtest.h>

namespace recsys::serve {
namespace {

TEST(Metrics, CountsAndHistogramInPrometheusText) {
  Metrics m({{"GET", "/v1/a"}, {"POST", "/v1/b"}});
  m.record(0, 200, 0.0003);
  m.record(0, 200, 0.002);
  m.record(0, 404, 0.00005);
  m.record(-1, 404, 0.00001);
  const std::string t = m.render("hetero", "abc");
  EXPECT_NE(t.find("recsys_http_requests_total{route=\"/v1/a\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos) << t;
  EXPECT_NE(t.find("recsys_http_requests_total{route=\"/v1/a\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(t.find("route=\"unmatched\""), std::string::npos);
  EXPECT_NE(t.find("recsys_http_request_duration_seconds_bucket{route=\"/v1/a\",method=\"GET\",le=\"0.0001\"} 1\n"),
            std::string::npos) << t;
  EXPECT_NE(t.find("recsys_http_request_duration_seconds_bucket{route=\"/v1/a\",method=\"GET\",le=\"0.0005\"} 2\n"),
            std::string::npos);
  EXPECT_NE(t.find("recsys_http_request_duration_seconds_bucket{route=\"/v1/a\",method=\"GET\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(t.find("recsys_http_request_duration_seconds_count{route=\"/v1/a\",method=\"GET\"} 3\n"),
            std::string::npos);
  EXPECT_EQ(t.find("/v1/b\",method=\"POST\",le"), std::string::npos);  // nothing recorded
  EXPECT_NE(t.find("recsys_model_info{model=\"hetero\",version=\"abc\"} 1\n"), std::string::npos);
}

}  // namespace
}  // namespace recsys::serve

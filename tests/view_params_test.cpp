// The one table of the view's keys (core/view_params.h): its messages, its ranges, its lookups.
#include "core/view_params.h"

#include <gtest/gtest.h>

namespace hfrec {
namespace {

TEST(ViewParamsTable, OneRowPerParamInOrderFoundByLinkKey) {
  for (int i = 0; i <= static_cast<int>(Param::rows); ++i) {
    const ParamSpec& s = param_spec(static_cast<Param>(i));
    EXPECT_EQ(static_cast<int>(s.param), i);
    if (!s.link.empty()) {
      EXPECT_EQ(find_link_param(s.link), &s) << s.link;
    }
  }
  EXPECT_EQ(find_link_param("ck")->api, "cluster.k");
  EXPECT_EQ(find_link_param("nope"), nullptr);
  EXPECT_EQ(find_link_param(""), nullptr);
}

TEST(ViewParamsTable, RangesAreSaidAsPeopleReadThem) {
  EXPECT_EQ(describe_range(param_spec(Param::k)), "an integer from 1 to 100");
  EXPECT_EQ(describe_range(param_spec(Param::k), true), "an integer from 1 to 100000");
  EXPECT_EQ(describe_range(param_spec(Param::eps)), "a number in (0, 1000]");
  EXPECT_EQ(describe_range(param_spec(Param::cut)), "a number >= 0");
  EXPECT_EQ(describe_range(param_spec(Param::zoom)), "a number from 0.25 to 100000");
  EXPECT_EQ(describe_range(param_spec(Param::cx)), "a number from -10 to 11");
  EXPECT_EQ(describe_range(param_spec(Param::focus)), "a cluster from -1 to 100000");
  EXPECT_EQ(describe_range(param_spec(Param::seed)), "a non-negative integer");
}

TEST(ViewParamsTable, ChecksHoldTheBoundsAndRefuseWhatIsNotANumber) {
  const ParamSpec& k = param_spec(Param::k);
  EXPECT_TRUE(in_range(k, int64_t{1}));
  EXPECT_TRUE(in_range(k, int64_t{100}));
  EXPECT_FALSE(in_range(k, int64_t{0}));
  EXPECT_FALSE(in_range(k, int64_t{101}));
  EXPECT_TRUE(in_range(k, int64_t{100000}, true));
  EXPECT_FALSE(in_range(k, 2.5));
  EXPECT_EQ(parse_int_param(k, "100"), 100);
  for (const char* bad : {"", "101", "0", "1e2", "0x10", " 5", "5 ", "+5", "99999999999999999999"})
    EXPECT_EQ(parse_int_param(k, bad), std::nullopt) << bad;
  const ParamSpec& eps = param_spec(Param::eps);
  EXPECT_FALSE(in_range(eps, 0.0));
  EXPECT_TRUE(in_range(eps, 1e-9));
  EXPECT_TRUE(in_range(eps, 1000.0));
  for (const char* bad : {"0", "nan", "inf", "1001", "-1", "1e400"})
    EXPECT_EQ(parse_number_param(eps, bad), std::nullopt) << bad;
  EXPECT_EQ(parse_uint_param(param_spec(Param::seed), "18446744073709551615"), 18446744073709551615ull);
  EXPECT_EQ(parse_uint_param(param_spec(Param::seed), "-1"), std::nullopt);
}

}  // namespace
}  // namespace hfrec

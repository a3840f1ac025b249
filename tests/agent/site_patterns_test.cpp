// SPDX-License-Identifier: Apache-2.0
#include "agent/core/site_patterns.hpp"

#include <gtest/gtest.h>

namespace dockgate {
namespace {

TEST(SitePatterns, FirstMatchingPatternWinsAndFillsGroups) {
  SitePatterns p({{"hu", "^HU-([A-Z]{2})-([0-9]+)$", "https://wms.example.com/hu/{1}/{2}"},
                  {"any_hu", "^HU-.*$", "urn:x:{0}"}});
  auto m = p.match("HU-DE-0042");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->name, "hu");
  EXPECT_EQ(m->uri, "https://wms.example.com/hu/DE/0042");
  auto m2 = p.match("HU-x y");
  ASSERT_TRUE(m2);
  EXPECT_EQ(m2->uri, "urn:x:HU-x%20y");  // unsafe characters are percent-encoded
  EXPECT_FALSE(p.match("XHU-DE-1"));     // whole-string match only
}

TEST(SitePatterns, LongInputIsNotMatchedAndDoesNotOverflowTheStack) {
  SitePatterns p({{"any", "^(.|\\n)*$", "urn:x:{0}"}});
  EXPECT_TRUE(p.match(std::string(SitePatterns::kMaxPatternInput, 'a')));
  EXPECT_FALSE(p.match(std::string(4096 * 16, 'a')));
}

TEST(SitePatterns, BadRegexThrows) {
  EXPECT_THROW(SitePatterns({{"bad", "([", "urn:x:{0}"}}), std::regex_error);
}

TEST(SitePatterns, TemplateIgnoresMissingGroups) {
  EXPECT_EQ(expand_uri_template("urn:a:{0}:{5}", {"x"}), "urn:a:x:");
}

}  // namespace
}  // namespace dockgate

// SPDX-License-Identifier: Apache-2.0
// EAN/UPC content (]E0, ]E4, bare digits) and AIM symbology identifiers (ISO/IEC 15424).
#include <gtest/gtest.h>

#include <string>

#include "agent/gs1/parse.hpp"

namespace dockgate::gs1 {
namespace {

struct RetailCase {
  const char* input;
  const char* gtin14;  // expected AI (01), or nullptr when an error is expected
  const char* error;
};

class Retail : public ::testing::TestWithParam<RetailCase> {};

TEST_P(Retail, ParsesOrRejects) {
  const auto& c = GetParam();
  const ParseResult r = parse_retail(c.input);
  if (c.gtin14 != nullptr) {
    ASSERT_TRUE(r.ok()) << r.error;
    ASSERT_EQ(r.ais.size(), 1U);
    EXPECT_EQ(r.ais[0].ai, "01");
    EXPECT_EQ(r.ais[0].value, c.gtin14);
  } else {
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.ais.empty());
    EXPECT_EQ(r.error, c.error);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Codes, Retail,
    ::testing::Values(
        RetailCase{"]E04012345111118", "04012345111118", nullptr},
        RetailCase{"4012345111118", "04012345111118", nullptr},
        RetailCase{"]E0036000291452", "00036000291452", nullptr},
        RetailCase{"036000291452", "00036000291452", nullptr},
        RetailCase{"]E440123455", "00000040123455", nullptr},
        RetailCase{"40123455", "00000040123455", nullptr},
        RetailCase{"09506000134352", "09506000134352", nullptr},
        RetailCase{"", nullptr, "empty input"}, RetailCase{"]E0", nullptr, "empty input"},
        RetailCase{"4012345111119", nullptr, "GTIN 4012345111119: check digit is 9, expected 8"},
        RetailCase{"]E440123456", nullptr, "EAN-8 40123456: check digit is 6, expected 5"},
        RetailCase{"]E44012345111118", nullptr, "EAN-8: 13 digits, expected 8"},
        RetailCase{"]E040123455", nullptr, "EAN-13/UPC-A: 8 digits, expected 12 or 13"},
        RetailCase{"123456789", nullptr, "GTIN: 9 digits, expected 8, 12, 13 or 14"},
        RetailCase{"40123X55", nullptr, "GTIN: character 'X' (0x58) is not a digit"},
        RetailCase{"4012345\x1d", nullptr, "GTIN: character '\\x1D' (0x1D) is not a digit"}));

TEST(Symbology, Gs1Identifiers) {
  for (const char* id : {"]C1", "]e0", "]d2", "]Q3", "]J1", "]E0", "]E4"}) {
    EXPECT_TRUE(is_gs1_symbology(id)) << id;
  }
  for (const char* id : {"", "]", "]C0", "]d1", "]Q1", "]E3", "]c1", "]C1 ", "C1"}) {
    EXPECT_FALSE(is_gs1_symbology(id)) << id;
  }
}

}  // namespace
}  // namespace dockgate::gs1

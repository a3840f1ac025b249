// SPDX-License-Identifier: Apache-2.0
// GS1 mod-10 check digit (GS General Specifications 7.9.1) on the standard's examples.
#include <gtest/gtest.h>

#include "agent/gs1/parse.hpp"

namespace dockgate::gs1 {
namespace {

struct CheckCase {
  const char* data;  // without the check digit
  char expected;
};

class CheckDigitTest : public ::testing::TestWithParam<CheckCase> {};

TEST_P(CheckDigitTest, ComputesAndVerifies) {
  const auto& c = GetParam();
  EXPECT_EQ(check_digit(c.data), c.expected);
  const std::string full = std::string(c.data) + c.expected;
  EXPECT_TRUE(check_digit_valid(full));
  // Every other final digit must be rejected.
  for (char d = '0'; d <= '9'; ++d) {
    if (d == c.expected) continue;
    EXPECT_FALSE(check_digit_valid(std::string(c.data) + d)) << c.data << d;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Gs1Keys, CheckDigitTest,
    ::testing::Values(CheckCase{"34012345000000042", '0'},  // SSCC
                      CheckCase{"401234500001", '6'},       // GLN 4012345000016
                      CheckCase{"0950600013435", '2'},      // GTIN-14 09506000134352
                      CheckCase{"0401234511111", '8'},      // GTIN-14 04012345111118
                      CheckCase{"401234511111", '8'},       // GTIN-13 4012345111118
                      CheckCase{"03600029145", '2'},        // UPC-A 036000291452
                      CheckCase{"4012345", '5'},            // GTIN-8 40123455
                      CheckCase{"0401234500000001", '2'},   // GSIN (402)
                      CheckCase{"0", '0'}));

TEST(CheckDigit, RejectsNonDigitsAndEmpty) {
  EXPECT_EQ(check_digit(""), '\0');
  EXPECT_EQ(check_digit("12a4"), '\0');
  EXPECT_FALSE(check_digit_valid(""));
  EXPECT_FALSE(check_digit_valid("0"));
  EXPECT_FALSE(check_digit_valid("401234500001x"));
  EXPECT_FALSE(check_digit_valid("x012345000016"));
  EXPECT_FALSE(check_digit_valid("4012345000016 "));
}

}  // namespace
}  // namespace dockgate::gs1

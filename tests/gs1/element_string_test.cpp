// SPDX-License-Identifier: Apache-2.0
// Element strings as scanners transmit them (FNC1 = GS) and in "(AI)value" form.
// Examples: GS General Specifications 3.x / 7.8, shared/notes/standards.md.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agent/gs1/parse.hpp"

namespace dockgate::gs1 {
namespace {

const std::string kGs = "\x1d";

std::string render(const ParseResult& r) {
  std::string out;
  for (const auto& e : r.ais) out += "(" + e.ai + ")" + e.value;
  return out;
}

struct GoodCase {
  const char* name;
  std::string data;
  const char* expected;  // rendered "(AI)value..."
};

void PrintTo(const GoodCase& c, std::ostream* os) {
  *os << c.name;
}

class ElementStringGood : public ::testing::TestWithParam<GoodCase> {};

TEST_P(ElementStringGood, Parses) {
  const auto& c = GetParam();
  const ParseResult r = parse_element_string(c.data);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(render(r), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Examples, ElementStringGood,
    ::testing::Values(
        GoodCase{"Sscc", "00340123450000000420", "(00)340123450000000420"},
        GoodCase{"GtinBatchSerial",
                 "0109506000134352"
                 "10ABC123" +
                     kGs + "21XYZ",
                 "(01)09506000134352(10)ABC123(21)XYZ"},
        GoodCase{"PredefinedChainNoGs",
                 "00340123450000000420"
                 "0104012345111118",
                 "(00)340123450000000420(01)04012345111118"},
        GoodCase{"GtinSerial",
                 "0104012345111118"
                 "219876",
                 "(01)04012345111118(21)9876"},
        GoodCase{"GtinExpiryBatch",
                 "0109506000134352"
                 "17251231"
                 "10LOT-7",
                 "(01)09506000134352(17)251231(10)LOT-7"},
        GoodCase{"ExpiryDayZero",
                 "0109506000134352"
                 "17250200",
                 "(01)09506000134352(17)250200"},
        GoodCase{"LeapDay",
                 "0109506000134352"
                 "11240229",
                 "(01)09506000134352(11)240229"},
        GoodCase{"ContentCount",
                 "00340123450000000420"
                 "0204012345111118"
                 "3712" +
                     kGs + "3301000234",
                 "(00)340123450000000420(02)04012345111118(37)12(3301)000234"},
        GoodCase{"CountLast",
                 "0204012345111118"
                 "3712",
                 "(02)04012345111118(37)12"},
        GoodCase{"OrderWithGs", "400PO-4711/A" + kGs + "00340123450000000420",
                 "(400)PO-4711/A(00)340123450000000420"},
        GoodCase{"ShipToAndLocation",
                 "4104012345000016"
                 "4144012345000016"
                 "254DOOR03",
                 "(410)4012345000016(414)4012345000016(254)DOOR03"},
        GoodCase{"NetWeight",
                 "0109506000134352"
                 "3103000750",
                 "(01)09506000134352(3103)000750"},
        GoodCase{"ShipToPostalAndRoute",
                 "00340123450000000420"
                 "42010115" +
                     kGs + "403R7",
                 "(00)340123450000000420(420)10115(403)R7"},
        GoodCase{"ShipToPostalWithCountry",
                 "00340123450000000420"
                 "421276"
                 "10115",
                 "(00)340123450000000420(421)27610115"},
        GoodCase{"Gsin", "40204012345000000012", "(402)04012345000000012"},
        GoodCase{"GdtiWithSerial", "2534012345000009ABC", "(253)4012345000009ABC"},
        GoodCase{"GraiWithSerial", "800304012345000009SER1", "(8003)04012345000009SER1"},
        GoodCase{"Itip", "8006095060001343520102", "(8006)095060001343520102"},
        GoodCase{"Gsrn", "8018401234500000000012", "(8018)401234500000000012"},
        GoodCase{"Cpid", "8010ABC-123#/X", "(8010)ABC-123#/X"},
        GoodCase{"ExpiryTime",
                 "0109506000134352"
                 "70032512311530",
                 "(01)09506000134352(7003)2512311530"},
        GoodCase{"ProdTime",
                 "0109506000134352"
                 "8008"
                 "2512311545",
                 "(01)09506000134352(8008)2512311545"},
        GoodCase{"CheckPairGmn",
                 "8013"
                 "1987654Ad4X4bL5ttr2310c2K",
                 "(8013)1987654Ad4X4bL5ttr2310c2K"},
        GoodCase{"Iban", "8007GB82WEST12345698765432", "(8007)GB82WEST12345698765432"},
        GoodCase{"Internal",
                 "91"
                 "any-text:ok!" +
                     kGs + "99x",
                 "(91)any-text:ok!(99)x"},
        GoodCase{"LeadingFnc1AsGs", kGs + "0109506000134352", "(01)09506000134352"},
        GoodCase{"SuperfluousGsAfterFixed", "0109506000134352" + kGs + "10ABC",
                 "(01)09506000134352(10)ABC"},
        GoodCase{"IdenticalDuplicateDropped",
                 "0109506000134352"
                 "0109506000134352",
                 "(01)09506000134352"},
        GoodCase{"MeasureThenVariableNoGs", "0195012345678903" + std::string("3103000123") + "10AB",
                 "(01)95012345678903(3103)000123(10)AB"},
        GoodCase{"BracketedGenSpecsExamples", "(00)106141411234567897(01)09521234543213(10)ABC123",
                 "(00)106141411234567897(01)09521234543213(10)ABC123"},
        GoodCase{"Bracketed", "(01)09506000134352(10)ABC", "(01)09506000134352(10)ABC"},
        GoodCase{"BracketedEscapedParen", "(01)09506000134352(21)A\\(1)",
                 "(01)09506000134352(21)A(1)"},
        GoodCase{"BracketedSscc", "(00)340123450000000420", "(00)340123450000000420"}),
    [](const auto& p) { return std::string(p.param.name); });

struct BadCase {
  const char* name;
  std::string data;
  const char* error;  // exact message
};

void PrintTo(const BadCase& c, std::ostream* os) {
  *os << c.name;
}

class ElementStringBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(ElementStringBad, ReportsError) {
  const auto& c = GetParam();
  const ParseResult r = parse_element_string(c.data);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.ais.empty());
  EXPECT_EQ(r.error, c.error);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ElementStringBad,
    ::testing::Values(
        BadCase{"Empty", "", "empty input"},
        BadCase{"OnlyGs", kGs, "no data, only a GS (FNC1) separator"},
        BadCase{"SsccCheckDigit", "00340123450000000421", "AI (00): check digit is 1, expected 0"},
        BadCase{"GtinCheckDigit", "0109506000134353", "AI (01): check digit is 3, expected 2"},
        BadCase{"GlnCheckDigit", "4144012345000017", "AI (414): check digit is 7, expected 6"},
        BadCase{"ShipToCheckDigit", "4104012345000010", "AI (410): check digit is 0, expected 6"},
        BadCase{"SsccTooShort", "0034012345000000042", "AI (00): 17 digits, expected 18"},
        BadCase{"GsInsideFixed", "003401234500000004" + kGs + "20",
                "AI (00): 16 digits, expected 18"},
        BadCase{"UnknownAi",
                "0109506000134352"
                "23x",
                "unknown Application Identifier at position 16: '23x'"},
        BadCase{"UnknownAiStart", "ABC", "unknown Application Identifier at position 0: 'ABC'"},
        BadCase{"TruncatedAi",
                "0109506000134352"
                "1",
                "unknown Application Identifier at position 16: '1'"},
        BadCase{"MissingSeparator",
                "10ABCDEFGHIJ"
                "21XYZ12345678",
                "AI (10): longer than 20 characters; missing FNC1/GS separator?"},
        BadCase{"MissingSeparatorAfterCount",
                "3712"
                "00340123450000000420",
                "AI (37): longer than 8 digits; missing FNC1/GS separator?"},
        BadCase{"MissingSeparatorFixedNonPredefined",
                "422276"
                "10ABC",
                "AI (422): 8 characters, expected 3; missing FNC1/GS separator?"},
        BadCase{"ControlByte",
                "10A\x01"
                "B",
                "AI (10): character '\\x01' (0x01) not allowed in CSET 82"},
        BadCase{"SpaceInBatch", "10A B", "AI (10): character ' ' (0x20) not allowed in CSET 82"},
        BadCase{"HighByte", "21\xC3\xA9",
                "AI (21): character '\\xC3' (0xC3) not allowed in CSET 82"},
        BadCase{"LetterInGtin", "010950600013435A",
                "AI (01): character 'A' (0x41) not allowed in a numeric field"},
        BadCase{"LowerCaseCpid", "8010abc",
                "AI (8010): character 'a' (0x61) not allowed in CSET 39"},
        BadCase{"BadMonth", "17251301", "AI (17): invalid date '251301' (YYMMDD, DD may be 00)"},
        BadCase{"BadDay", "11250230", "AI (11): invalid date '250230' (YYMMDD, DD may be 00)"},
        BadCase{"NoLeapDay", "11250229", "AI (11): invalid date '250229' (YYMMDD, DD may be 00)"},
        BadCase{"DayZeroNotAllowed",
                "0109506000134352"
                "7006250100",
                "AI (7006): invalid date '250100' (YYMMDD)"},
        BadCase{"BadTime",
                "0109506000134352"
                "70032512312460",
                "AI (7003): invalid time '2460' (HHMM)"},
        BadCase{"DoubleGs", "10ABC" + kGs + kGs + "21X",
                "empty element: GS (FNC1) separator at position 6 follows another separator"},
        BadCase{"TrailingGs", "10ABC" + kGs, "data ends with a GS (FNC1) separator after AI (10)"},
        BadCase{"EmptyVariableValue", "10" + kGs + "21X", "AI (10): empty value"},
        BadCase{"EmptyAtEnd",
                "0109506000134352"
                "21",
                "AI (21): empty value"},
        BadCase{"ItipPieceOfTotal", "8006095060001343520302",
                "AI (8006): piece '0302' must be NNMM with 1 <= piece NN <= total MM"},
        BadCase{"GraiNotZero", "800314012345000009", "AI (8003): component '1' must be 0"},
        BadCase{"CheckPair",
                "8013"
                "1987654Ad4X4bL5ttr2310c2A",
                "AI (8013): check character pair is '2A', expected '2K'"},
        BadCase{"Iban", "8007GB82WEST12345698765433",
                "AI (8007): invalid IBAN 'GB82WEST12345698765433'"},
        BadCase{"MultiComponentShort", "42327627",
                "AI (423): 5 digits do not fit the format N3 [N3] [N3] [N3] [N3]"},
        BadCase{"ConflictingDuplicate", "10A" + kGs + "10B",
                "AI (10) appears twice with different values ('A', 'B')"},
        BadCase{"BracketedUnknown", "(01)09506000134352(98x)A",
                "unknown Application Identifier at position 19: '98x'"},
        BadCase{"BracketedUnterminated", "(01", "unterminated '(' at position 0"},
        BadCase{"BracketedBadCheck", "(00)340123450000000421",
                "AI (00): check digit is 1, expected 0"},
        BadCase{"BracketedLong", "(10)ABCDEFGHIJKLMNOPQRSTU", "AI (10): longer than 20 characters"},
        BadCase{"BracketedEmpty", "(10)(21)X", "AI (10): empty value"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(ElementString, MessagesNeverCarryRawControlBytes) {
  const ParseResult r = parse_element_string(std::string("\x1d\x1d\x04\x7f", 4));
  ASSERT_FALSE(r.ok());
  for (const char c : r.error) {
    EXPECT_TRUE(c >= 0x20 && c <= 0x7E) << static_cast<int>(c);
  }
}

TEST(ElementString, NulBytesAreData) {
  const ParseResult r = parse_element_string(std::string("10A\0B", 5));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error, "AI (10): character '\\x00' (0x00) not allowed in CSET 82");
}

TEST(ElementString, FindReturnsValues) {
  const ParseResult r = parse_element_string(
      "0104012345111118"
      "219876");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_NE(r.find("21"), nullptr);
  EXPECT_EQ(*r.find("21"), "9876");
  EXPECT_EQ(r.find("10"), nullptr);
}

TEST(ElementString, MaximumLengthValuesAccepted) {
  const std::string batch(20, 'Z');
  const ParseResult r = parse_element_string("10" + batch + kGs + "91" + std::string(90, 'a'));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(*r.find("10"), batch);
  EXPECT_EQ(r.find("91")->size(), 90U);
}

}  // namespace
}  // namespace dockgate::gs1

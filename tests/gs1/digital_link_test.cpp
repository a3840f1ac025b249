// SPDX-License-Identifier: Apache-2.0
// GS1 Digital Link URI syntax 1.4: parsing on any host and the canonical builder.
#include <gtest/gtest.h>

#include <string>

#include "agent/gs1/parse.hpp"

namespace dockgate::gs1 {
namespace {

std::string render(const ParseResult& r) {
  std::string out;
  for (const auto& e : r.ais) out += "(" + e.ai + ")" + e.value;
  return out;
}

struct DlCase {
  const char* name;
  const char* uri;
  const char* expected;  // rendered AIs, or the exact error message
};

void PrintTo(const DlCase& c, std::ostream* os) {
  *os << c.name;
}

class DigitalLinkGood : public ::testing::TestWithParam<DlCase> {};

TEST_P(DigitalLinkGood, Parses) {
  const auto& c = GetParam();
  const ParseResult r = parse_digital_link(c.uri);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(render(r), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Uris, DigitalLinkGood,
    ::testing::Values(
        DlCase{"Sscc", "https://id.gs1.org/00/340123450000000420", "(00)340123450000000420"},
        DlCase{"GtinSerial", "https://id.gs1.org/01/04012345111118/21/9876",
               "(01)04012345111118(21)9876"},
        DlCase{"GlnExtension", "https://id.gs1.org/414/4012345000016/254/DOOR03",
               "(414)4012345000016(254)DOOR03"},
        DlCase{"OtherHostPrefixQuery",
               "https://example.com/some/prefix/01/09506000134352/10/ABC/21/XYZ?17=251231",
               "(01)09506000134352(10)ABC(21)XYZ(17)251231"},
        DlCase{"AllGtinQualifiers", "https://a.example/01/09506000134352/22/V1/10/L1/21/S1",
               "(01)09506000134352(22)V1(10)L1(21)S1"},
        DlCase{"Tpx", "https://a.example/01/09506000134352/235/TPX-1",
               "(01)09506000134352(235)TPX-1"},
        DlCase{"HttpAndUpperScheme", "HTTP://Example.COM/01/09506000134352", "(01)09506000134352"},
        DlCase{"PortAndFragment", "https://example.com:8443/01/09506000134352#frag",
               "(01)09506000134352"},
        DlCase{"Gtin13Padded", "https://example.com/01/4012345111118", "(01)04012345111118"},
        DlCase{"Gtin12Padded", "https://example.com/01/036000291452", "(01)00036000291452"},
        DlCase{"Gtin8Padded", "https://example.com/01/40123455", "(01)00000040123455"},
        DlCase{"PercentDecoding", "https://example.com/01/09506000134352/21/A%2FB%25%21",
               "(01)09506000134352(21)A/B%!"},
        DlCase{"NonAiQueryIgnored",
               "https://example.com/01/09506000134352?linkType=gs1:pip&context=x&3103=000750",
               "(01)09506000134352(3103)000750"},
        DlCase{"ExtraAmpersands", "https://e.x/01/09506000134352?&&17=251231&&",
               "(01)09506000134352(17)251231"},
        DlCase{"EmptyQuery", "https://e.x/00/340123450000000420?", "(00)340123450000000420"},
        DlCase{"TrailingSlash", "https://e.x/00/340123450000000420/", "(00)340123450000000420"},
        DlCase{"FakeAiInPrefix", "https://e.x/00/faux/00/340123450000000420",
               "(00)340123450000000420"},
        DlCase{"ItipQualifiers", "https://e.x/8006/095060001343520102/10/L",
               "(8006)095060001343520102(10)L"},
        DlCase{"Giai", "https://e.x/8004/4012345ASSET-9", "(8004)4012345ASSET-9"},
        DlCase{"Gsin", "https://e.x/402/04012345000000012", "(402)04012345000000012"},
        DlCase{"Ginc", "https://e.x/401/4012345CONS1?99=X", "(401)4012345CONS1(99)X"},
        DlCase{"Party", "https://e.x/417/4012345000016", "(417)4012345000016"},
        DlCase{"Grai", "https://e.x/8003/04012345000009SER1", "(8003)04012345000009SER1"},
        DlCase{"Cpid", "https://e.x/8010/ABC-1/8011/42", "(8010)ABC-1(8011)42"},
        DlCase{"Gsrn", "https://e.x/8017/401234500000000012/8019/7",
               "(8017)401234500000000012(8019)7"},
        DlCase{"Gdti", "https://e.x/253/4012345000009ABC", "(253)4012345000009ABC"}),
    [](const auto& p) { return std::string(p.param.name); });

class DigitalLinkBad : public ::testing::TestWithParam<DlCase> {};

TEST_P(DigitalLinkBad, ReportsError) {
  const auto& c = GetParam();
  const ParseResult r = parse_digital_link(c.uri);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.ais.empty());
  EXPECT_EQ(r.error, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Uris, DigitalLinkBad,
    ::testing::Values(
        DlCase{"Empty", "", "empty input"},
        DlCase{"NotHttp", "ftp://id.gs1.org/01/09506000134352",
               "not an http(s) URI: 'ftp://id.gs1.org/01/...'"},
        DlCase{"NoHost", "https:///01/09506000134352", "URI has no host"},
        DlCase{"NoKey", "https://example.com/products/123",
               "no GS1 primary key (such as /01/ or /00/) in the URI path '/products/123'"},
        DlCase{"NoPath", "https://example.com",
               "no GS1 primary key (such as /01/ or /00/) in the URI path ''"},
        DlCase{"BadCheckDigit", "https://id.gs1.org/01/09506000134353",
               "AI (01): check digit is 3, expected 2"},
        DlCase{"WrongGtinLength", "https://id.gs1.org/01/0950600013",
               "AI (01): 10 digits, expected 14"},
        DlCase{"QualifierOrder", "https://e.x/01/09506000134352/21/S/10/L",
               "key qualifiers 21,10 not allowed after AI (01); allowed in this order: 22,10,21 or "
               "235"},
        DlCase{"MixedAlternatives", "https://e.x/01/09506000134352/10/L/235/T",
               "key qualifiers 10,235 not allowed after AI (01); allowed in this order: 22,10,21 "
               "or 235"},
        DlCase{
            "DataAttributeInPath", "https://e.x/01/09506000134352/17/251231",
            "key qualifiers 17 not allowed after AI (01); allowed in this order: 22,10,21 or 235"},
        DlCase{"SsccTakesNoQualifier", "https://e.x/00/340123450000000420/21/X",
               "key qualifiers 21 not allowed after AI (00); allowed in this order: none"},
        DlCase{
            "QualifierInQuery", "https://e.x/01/09506000134352?21=X",
            "AI (21): not permitted as a query data attribute; key qualifiers belong in the path"},
        DlCase{"UnknownQueryAi", "https://e.x/01/09506000134352?999=X",
               "unknown Application Identifier (999) in URI query"},
        DlCase{"EmptyQueryValue",
               "https://e.x/01/09506000134352?17=", "AI (17): empty value in URI query"},
        DlCase{"BadQueryDate", "https://e.x/01/09506000134352?17=251331",
               "AI (17): invalid date '251331' (YYMMDD, DD may be 00)"},
        DlCase{"BadPercent", "https://e.x/01/09506000134352/21/A%2",
               "AI (21): invalid percent-encoding in 'A%2'"},
        DlCase{"DecodedControlByte", "https://e.x/01/09506000134352/21/A%1DB",
               "AI (21): character '\\x1D' (0x1D) not allowed in CSET 82"},
        DlCase{"SpaceInUri", "https://e.x/01/09506000134352/21/A B",
               "character ' ' (0x20) not allowed in a URI at position 34"},
        DlCase{"EmptyValue", "https://e.x/01//21/X", "AI (01): empty value in URI path"},
        DlCase{"TooLongSerial", "https://e.x/01/09506000134352/21/ABCDEFGHIJKLMNOPQRSTU",
               "AI (21): longer than 20 characters"},
        DlCase{"ConflictingQuery", "https://e.x/01/09506000134352/10/A?10=B",
               "AI (10) appears twice with different values ('A', 'B')"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(DigitalLink, LooksLikeUri) {
  EXPECT_TRUE(looks_like_uri("https://id.gs1.org/01/09506000134352"));
  EXPECT_TRUE(looks_like_uri("HTTP://x"));
  EXPECT_FALSE(looks_like_uri("0109506000134352"));
  EXPECT_FALSE(looks_like_uri("https:/x"));
  EXPECT_FALSE(looks_like_uri(""));
  EXPECT_FALSE(looks_like_uri("urn:epc:id:sscc:4012345.3000000042"));
}

TEST(DigitalLink, CanonicalBuilder) {
  EXPECT_EQ(digital_link("00", "340123450000000420"), "https://id.gs1.org/00/340123450000000420");
  EXPECT_EQ(digital_link("01", "04012345111118", {{"21", "9876"}}),
            "https://id.gs1.org/01/04012345111118/21/9876");
  EXPECT_EQ(digital_link("414", "4012345000016", {{"254", "DOOR03"}}),
            "https://id.gs1.org/414/4012345000016/254/DOOR03");
  // GTIN-13 padded; qualifiers put into the standard's order; reserved characters encoded.
  EXPECT_EQ(digital_link("01", "4012345111118", {{"21", "a/b c!"}, {"10", "L(1)"}}),
            "https://id.gs1.org/01/04012345111118/10/L%281%29/21/a%2Fb%20c%21");
  EXPECT_EQ(digital_link("01", "09506000134352", {{"21", "-._~"}}),
            "https://id.gs1.org/01/09506000134352/21/-._~");
}

TEST(DigitalLink, BuilderOutputParsesBack) {
  const std::string serials[] = {"1", "ABC-123", "a/b", "%&'()*+,;:=<>?!\"", "x_y.z"};
  for (const auto& serial : serials) {
    const std::string uri = digital_link("01", "09506000134352", {{"10", "L7"}, {"21", serial}});
    const ParseResult r = parse_digital_link(uri);
    ASSERT_TRUE(r.ok()) << uri << ": " << r.error;
    EXPECT_EQ(render(r), "(01)09506000134352(10)L7(21)" + serial) << uri;
  }
}

}  // namespace
}  // namespace dockgate::gs1

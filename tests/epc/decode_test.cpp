// SPDX-License-Identifier: Apache-2.0
// dockgate_epc: every scheme against TDS 1.13 examples and reference tags (tag URI, pure
// identity URI, filter, GS1 AIs, Digital Link).
#include <gtest/gtest.h>

#include <string>

#include "agent/epc/epc.hpp"
#include "agent/gs1/parse.hpp"

namespace dockgate::epc {
namespace {

struct Example {
  const char* hex;
  const char* scheme;
  int filter;
  const char* tag_uri;
  const char* pure_identity_uri;
  const char* digital_link;
};

class DecodeExample : public ::testing::TestWithParam<Example> {};

TEST_P(DecodeExample, DecodesToUrisAndDigitalLink) {
  const Example& e = GetParam();
  const EpcResult r = decode_epc_hex(e.hex);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.scheme, e.scheme);
  EXPECT_EQ(r.filter, e.filter);
  EXPECT_EQ(r.tag_uri, e.tag_uri);
  EXPECT_EQ(r.pure_identity_uri, e.pure_identity_uri);
  EXPECT_EQ(r.digital_link, e.digital_link);
  // The AIs are a valid GS1 element string, and the barcode path reads the same link back.
  const gs1::ParseResult back = gs1::parse_digital_link(r.digital_link);
  ASSERT_TRUE(back.ok()) << back.error;
  ASSERT_EQ(back.ais.size(), r.ais.size());
  for (std::size_t i = 0; i < r.ais.size(); ++i) {
    EXPECT_EQ(back.ais[i].ai, r.ais[i].ai);
    EXPECT_EQ(back.ais[i].value, r.ais[i].value);
  }
}

// Dock examples (GCP 4012345, partition 5) and TDS 1.13 examples (GCP 0614141).
INSTANTIATE_TEST_SUITE_P(
    Examples, DecodeExample,
    ::testing::Values(
        Example{
            "3034F4E4E40AD9C000002694", "sgtin-96", 1, "urn:epc:tag:sgtin-96:1.4012345.011111.9876",
            "urn:epc:id:sgtin:4012345.011111.9876", "https://id.gs1.org/01/04012345111118/21/9876"},
        Example{
            "3074257BF7194E4000001A85", "sgtin-96", 3, "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
            "urn:epc:id:sgtin:0614141.812345.6789", "https://id.gs1.org/01/80614141123458/21/6789"},
        Example{"3634F4E4E40AD9E84198B5BB766C4000000000000000000000", "sgtin-198", 1,
                "urn:epc:tag:sgtin-198:1.4012345.011111.PAL-7731",
                "urn:epc:id:sgtin:4012345.011111.PAL-7731",
                "https://id.gs1.org/01/04012345111118/21/PAL-7731"},
        Example{"31D4F4E4E4B2D05E2A000000", "sscc-96", 6,
                "urn:epc:tag:sscc-96:6.4012345.3000000042", "urn:epc:id:sscc:4012345.3000000042",
                "https://id.gs1.org/00/340123450000000420"},
        Example{"3174257BF4499602D2000000", "sscc-96", 3,
                "urn:epc:tag:sscc-96:3.0614141.1234567890", "urn:epc:id:sscc:0614141.1234567890",
                "https://id.gs1.org/00/106141412345678908"},
        Example{"3914F4E4E40003127CFA4C1980000000000000000000000000", "sgln-195", 0,
                "urn:epc:tag:sgln-195:0.4012345.00001.DOOR03",
                "urn:epc:id:sgln:4012345.00001.DOOR03",
                "https://id.gs1.org/414/4012345000016/254/DOOR03"},
        Example{"3214F4E4E400020000000000", "sgln-96", 0, "urn:epc:tag:sgln-96:0.4012345.00001.0",
                "urn:epc:id:sgln:4012345.00001.0", "https://id.gs1.org/414/4012345000016"},
        Example{"3274257BF46072000000162E", "sgln-96", 3,
                "urn:epc:tag:sgln-96:3.0614141.12345.5678", "urn:epc:id:sgln:0614141.12345.5678",
                "https://id.gs1.org/414/0614141123452/254/5678"},
        Example{"3314F4E4E40C0E400000022B", "grai-96", 0, "urn:epc:tag:grai-96:0.4012345.12345.555",
                "urn:epc:id:grai:4012345.12345.555", "https://id.gs1.org/8003/04012345123456555"},
        Example{"3414F4E4E40000003ADE68B1", "giai-96", 0, "urn:epc:tag:giai-96:0.4012345.987654321",
                "urn:epc:id:giai:4012345.987654321", "https://id.gs1.org/8004/4012345987654321"},
        Example{"2D74257BF4499602D2000000", "gsrn-96", 3,
                "urn:epc:tag:gsrn-96:3.0614141.1234567890", "urn:epc:id:gsrn:0614141.1234567890",
                "https://id.gs1.org/8018/061414112345678902"},
        Example{"2C74257BF460720000000190", "gdti-96", 3, "urn:epc:tag:gdti-96:3.0614141.12345.400",
                "urn:epc:id:gdti:0614141.12345.400", "https://id.gs1.org/253/0614141123452400"}));

TEST(EpcDecode, Grai170AndGiai202CarryStrings) {
  // GCP 4012345 (partition 5); 7-bit strings end at the first zero character (TDS 14.4.2).
  const EpcResult grai = decode_epc_hex("3734F4E4E40C0E5A4200000000000000000000000000");
  ASSERT_TRUE(grai.ok()) << grai.error;
  EXPECT_EQ(grai.tag_uri, "urn:epc:tag:grai-170:1.4012345.12345.4B");
  EXPECT_EQ(grai.digital_link, "https://id.gs1.org/8003/040123451234564B");
  const EpcResult giai = decode_epc_hex("3854F4E4E6941872D6B164000000000000000000000000000000");
  ASSERT_TRUE(giai.ok()) << giai.error;
  EXPECT_EQ(giai.tag_uri, "urn:epc:tag:giai-202:2.4012345.RACK-12");
  EXPECT_EQ(giai.pure_identity_uri, "urn:epc:id:giai:4012345.RACK-12");
  EXPECT_EQ(giai.digital_link, "https://id.gs1.org/8004/4012345RACK-12");
}

TEST(EpcDecode, UriEscapesOfTableA1) {
  // SGTIN-198 serial "a/b%": '/' and '%' are %2F and %25 in the EPC URIs (Table A-1), and
  // percent-encoded in the Digital Link; the AI value keeps the characters.
  const EpcResult r = decode_epc_hex("3634F4E4E40AD9F0AFC4940000000000000000000000000000");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.tag_uri, "urn:epc:tag:sgtin-198:1.4012345.011111.a%2Fb%25");
  EXPECT_EQ(r.pure_identity_uri, "urn:epc:id:sgtin:4012345.011111.a%2Fb%25");
  ASSERT_EQ(r.ais.size(), 2U);
  EXPECT_EQ(r.ais[1].value, "a/b%");
  EXPECT_EQ(r.digital_link, "https://id.gs1.org/01/04012345111118/21/a%2Fb%25");
}

TEST(EpcDecode, ZeroDigitLocationReferenceIsEmpty) {
  // Partition 0: 12-digit company prefix, 0-digit location reference (TDS 14.4.3).
  const EpcResult r = decode_epc_hex("320175ADC266840000000007");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.tag_uri, "urn:epc:tag:sgln-96:0.401234500001..7");
  EXPECT_EQ(r.digital_link, "https://id.gs1.org/414/4012345000016/254/7");
}

TEST(EpcDecode, FilterNames) {
  EXPECT_EQ(filter_name("sgtin-96", 1), "pos item");
  EXPECT_EQ(filter_name("sscc-96", 6), "unit load");
  EXPECT_EQ(filter_name("sscc-96", 1), "");
  EXPECT_EQ(filter_name("sgln-195", 0), "all others");
  EXPECT_EQ(filter_name("grai-96", 0), "");
}

}  // namespace
}  // namespace dockgate::epc

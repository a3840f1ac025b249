// SPDX-License-Identifier: Apache-2.0
// dockgate_epc: bad input gives a clear error, unknown headers a raw URI (TDS section 12).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "agent/epc/epc.hpp"

namespace dockgate::epc {
namespace {

void expect_error(const std::string& hex, const std::string& message) {
  const EpcResult r = decode_epc_hex(hex);
  EXPECT_FALSE(r.ok()) << hex;
  EXPECT_EQ(r.error, message) << hex;
  EXPECT_TRUE(r.scheme.empty());
  EXPECT_TRUE(r.pure_identity_uri.empty());
  EXPECT_TRUE(r.digital_link.empty());
}

TEST(EpcErrors, HexInput) {
  expect_error("", "empty hex string");
  expect_error("3034F", "odd number of hex digits (5)");
  expect_error("30G4", "not a hex digit at position 3: 0x47");
  expect_error("30 4", "not a hex digit at position 3: 0x20");
  std::vector<std::uint8_t> bytes;
  std::string error;
  ASSERT_TRUE(parse_hex("0aFf", bytes, error));
  EXPECT_EQ(bytes, (std::vector<std::uint8_t>{0x0A, 0xFF}));
}

TEST(EpcErrors, TruncatedAndBadLengths) {
  expect_error("3034F4E4E40AD9C0", "SGTIN-96: 64 bits, needs 96");
  expect_error("3634F4E4E40AD9E84198B5BB766C4000", "SGTIN-198: 128 bits, needs 198");
  expect_error("31D4F4E4E4B2D05E2A0000", "SSCC-96: 88 bits, needs 96");
  expect_error("31D4F4E4E4B2D05E2A000100", "SSCC-96: the 24 reserved bits are not zero");
  expect_error("2D74257BF4499602D2800000", "GSRN-96: the 24 reserved bits are not zero");
  // Word padding after the encoding must be zero.
  EXPECT_TRUE(decode_epc_hex("3034F4E4E40AD9C0000026940000").ok());
  expect_error("3034F4E4E40AD9C0000026940001",
               "SGTIN-96: bits after the 96-bit encoding are not zero");
  const std::vector<std::uint8_t> two{0x30, 0x34};
  EXPECT_EQ(decode_epc(two, 96).error, "truncated EPC: 96 bits need 12 bytes, got 2");
  EXPECT_EQ(decode_epc(two, 0).error, "empty EPC (0 bits)");
  EXPECT_EQ(decode_epc(two, 6).error, "EPC shorter than its 8-bit header");
  EXPECT_EQ(decode_epc(two, 6).tag_uri, "urn:epc:raw:6.x30");
}

TEST(EpcErrors, BadPartitionAndWideFields) {
  // Partition 7 (filter 1): 0x30, then 001 111 ...
  expect_error("303CF4E4E40AD9C000002694", "SGTIN-96: partition 7 is not defined (0..6)");
  // Partition 6: 20-bit company prefix 0xFFFFF = 1048575 has 7 digits, allowed 6.
  expect_error("303BFFFFC00000400000000A",
               "SGTIN-96: company prefix wider than 6 digits (partition 6)");
  // Partition 0, item reference 4 bits = 15 > 9 (1 digit).
  expect_error("30000000000003C000000001",
               "SGTIN-96: field after the company prefix wider than 1 digits (partition 0)");
  // Errors keep the bits as a raw URI so nothing read is lost.
  EXPECT_EQ(decode_epc_hex("303CF4E4E40AD9C000002694").tag_uri,
            "urn:epc:raw:96.x303CF4E4E40AD9C000002694");
}

TEST(EpcErrors, BadStrings) {
  // SGTIN-198 with a zero-length serial.
  expect_error("3634F4E4E40AD9C0000000000000000000000000000000000",
               "odd number of hex digits (49)");
  expect_error("3634F4E4E40AD9C00000000000000000000000000000000000", "SGTIN-198: serial is empty");
  // Serial character 0x01 (not in character set 82).
  expect_error("3634F4E4E40AD9C08000000000000000000000000000000000",
               "SGTIN-198: serial: character 0x01 is not in GS1 character set 82");
  // 'A', then a zero character, then 'A' again.
  expect_error("3634F4E4E40AD9E08082000000000000000000000000000000",
               "SGTIN-198: serial: non-zero character after the end of the string");
}

TEST(EpcErrors, UnknownHeaderIsKeptRaw) {
  const EpcResult r = decode_epc_hex("E2801160600002084F6B3B05");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.scheme, "raw");
  EXPECT_EQ(r.filter, -1);
  EXPECT_EQ(r.tag_uri, "urn:epc:raw:96.xE2801160600002084F6B3B05");
  EXPECT_TRUE(r.pure_identity_uri.empty());
  EXPECT_TRUE(r.digital_link.empty());
  // Bit counts that are not a multiple of 4: the last hex digit is zero-padded.
  const std::vector<std::uint8_t> bytes{0xE2, 0xFF};
  EXPECT_EQ(decode_epc(bytes, 10).tag_uri, "urn:epc:raw:10.xE2C");
}

}  // namespace
}  // namespace dockgate::epc

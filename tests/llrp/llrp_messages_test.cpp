// SPDX-License-Identifier: Apache-2.0
// LLRP 1.0.1 encoders and status/event decoders against the byte examples of the team's
// LLRP notes (each checked by llrpjs json2llrp -> llrp2json -> identical re-encode and by
// tshark without expert errors).
#include "drivers/llrp/llrp_messages.hpp"

#include <gtest/gtest.h>

#include "drivers/llrp/llrp_frame.hpp"
#include "tests/llrp/hex.hpp"

namespace dockgate::drivers::llrp {
namespace {

using test::from_hex;
using test::to_hex;

std::span<const std::uint8_t> body(const Bytes& message) {
  return std::span(message).subspan(kHeaderBytes);
}

TEST(LlrpMessages, KeepaliveAckMatchesExample) {
  EXPECT_EQ(to_hex(encode_keepalive_ack(7)), "04480000000a00000007");
}

TEST(LlrpMessages, SetReaderConfigMatchesExample) {
  ReaderConfigRequest config;
  config.reset_to_factory = true;
  config.keepalive_ms = 10000;
  config.events = {2, 4, 8};
  config.hold_events_on_reconnect = false;
  EXPECT_EQ(to_hex(encode_set_reader_config(2, config)),
            to_hex(from_hex("0403000000320000000280 00f40019 00f50007000280 00f50007000480 "
                            "00f50007000880 00dc00090100002710 00e2000500")));
}

TEST(LlrpMessages, SetReaderConfigWithoutResetOrEventsOrKeepalive) {
  ReaderConfigRequest config;
  config.events.clear();
  config.keepalive_ms = 0;
  config.hold_events_on_reconnect = true;
  EXPECT_EQ(to_hex(encode_set_reader_config(9, config)),
            to_hex(from_hex("04030000001900000009 00 00dc00090000000000 00e2000580")));
}

TEST(LlrpMessages, AddRospecMatchesExample) {
  RospecRequest rospec;
  rospec.rospec_id = 1;
  rospec.antennas = {0};
  rospec.immediate_start = true;
  rospec.report_trigger = 2;
  rospec.report_every_tags = 10;
  rospec.content_selector = 0x1680;  // AntennaID, PeakRSSI, FirstSeen, TagSeenCount
  EXPECT_EQ(to_hex(encode_add_rospec(0x67, rospec)),
            to_hex(from_hex("04140000004b00000067 00b10041000000010000 00b2001200b3000501 "
                            "00b600090000000000 00b7001800010000 00b800090000000000 "
                            "00ba0007000101 00ed000d02000a 00ee00061680")));
}

TEST(LlrpMessages, AddRospecListsEachAntenna) {
  RospecRequest rospec;
  rospec.antennas = {1, 2, 3};
  const auto bytes = encode_add_rospec(1, rospec);
  // The AISpec grows by two antenna ids (4 bytes): 0x4b + 4 = 0x4f.
  EXPECT_EQ(bytes.size(), 0x4fU);
  EXPECT_NE(to_hex(bytes).find("00b7001c0003000100020003"), std::string::npos) << to_hex(bytes);
  EXPECT_NE(to_hex(bytes).find("00ee00061780"), std::string::npos) << "default selector";
}

TEST(LlrpMessages, SmallRequests) {
  EXPECT_EQ(to_hex(encode_get_reader_capabilities(1)), "04010000000b0000000100");
  EXPECT_EQ(to_hex(encode_delete_rospec(5, 0x00D06A7E)), "04150000000e0000000500d06a7e");
  EXPECT_EQ(to_hex(encode_enable_rospec(6, 1)), "04180000000e0000000600000001");
  EXPECT_EQ(to_hex(encode_start_rospec(6, 1)), "04160000000e0000000600000001");
  EXPECT_EQ(to_hex(encode_stop_rospec(6, 1)), "04170000000e0000000600000001");
  EXPECT_EQ(to_hex(encode_enable_events_and_reports(8)), "04400000000a00000008");
  EXPECT_EQ(to_hex(encode_close_connection(9)), "040e0000000a00000009");
}

TEST(LlrpMessages, SuccessStatus) {
  const auto msg = from_hex("041e0000001200000067 011f000800000000");
  const auto result = decode_status(body(msg));
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_TRUE(result.status.success());
}

TEST(LlrpMessages, ErrorStatusWithDescription) {
  const auto msg = from_hex("041e0000001800000067 011f000e00650006626164206964");
  const auto result = decode_status(body(msg));
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.status.code, 101);
  EXPECT_EQ(result.status.description, "bad id");
  EXPECT_EQ(result.status.to_string(), "M_FieldError (101): bad id");
}

TEST(LlrpMessages, StatusTruncatedOrMissingIsAnError) {
  // Description claims 9 bytes, 6 present (TLV length bounds it).
  EXPECT_FALSE(decode_status(from_hex("011f000e00650009626164206964")).error.empty());
  // TLV length past the body.
  EXPECT_FALSE(decode_status(from_hex("011f00ff0000")).error.empty());
  EXPECT_FALSE(decode_status({}).error.empty());
  // A capabilities response whose first parameter is not LLRPStatus still finds it.
  const auto later = decode_status(from_hex("0089000400 011f000800cb0000"));
  EXPECT_FALSE(later.error.empty()) << "0089 length 4 then 00: stray byte";
  const auto found = decode_status(from_hex("00890004 011f000800cb0000"));
  ASSERT_TRUE(found.error.empty()) << found.error;
  EXPECT_EQ(found.status.code, 203);
}

TEST(LlrpMessages, ReaderEventConnectionAttemptSuccess) {
  const auto msg = from_hex("043f0000002000000000 00f60016 0080000c0006304900d74e00 010000060000");
  ASSERT_EQ(check_frame(msg).state, FrameState::complete);
  const auto result = decode_reader_event(body(msg));
  ASSERT_TRUE(result.error.empty()) << result.error;
  ASSERT_TRUE(result.event.utc_us.has_value());
  EXPECT_EQ(*result.event.utc_us / 1000, 1741939965120);  // 2025-03-14T08:12:45.120Z
  ASSERT_TRUE(result.event.connection_attempt.has_value());
  EXPECT_EQ(*result.event.connection_attempt, 0);
  EXPECT_FALSE(result.event.connection_close);
}

TEST(LlrpMessages, ReaderEventUptimeCloseAndOthers) {
  // Uptime 5 s, ConnectionCloseEvent, AntennaEvent (255) and a Custom (skipped).
  const auto result =
      decode_reader_event(from_hex("00f60027 0081000c00000000004c4b40 01010004 00ff0007000001 "
                                   "03ff000c0000651a00000039"));
  ASSERT_TRUE(result.error.empty()) << result.error;
  EXPECT_EQ(result.event.uptime_us, 5000000U);
  EXPECT_TRUE(result.event.connection_close);
  EXPECT_EQ(result.event.other_events, std::vector<std::uint16_t>{255});
}

TEST(LlrpMessages, ReaderEventMalformed) {
  EXPECT_FALSE(decode_reader_event({}).error.empty());
  EXPECT_FALSE(decode_reader_event(from_hex("00f60006 0100")).error.empty());  // no timestamp
  EXPECT_FALSE(decode_reader_event(from_hex("00f6000a 010000060000")).error.empty());
  // ConnectionAttemptEvent with a 1-byte status.
  EXPECT_FALSE(
      decode_reader_event(from_hex("00f60015 0080000c0006304900d74e00 0100000500")).error.empty());
}

}  // namespace
}  // namespace dockgate::drivers::llrp

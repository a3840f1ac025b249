// SPDX-License-Identifier: Apache-2.0
// check_frame(): where an LLRP message ends in a byte stream (LLRP 1.0.1 section 16.1).
#include "drivers/llrp/llrp_frame.hpp"

#include <gtest/gtest.h>

#include "tests/llrp/hex.hpp"

namespace dockgate::drivers::llrp {
namespace {

using test::from_hex;

TEST(LlrpFrame, KeepaliveIsCompleteWithTypeLengthAndId) {
  const auto bytes = from_hex("043e0000000a00000007");
  const auto check = check_frame(bytes);
  ASSERT_EQ(check.state, FrameState::complete) << check.error;
  EXPECT_EQ(check.header.type, kKeepalive);
  EXPECT_EQ(check.header.length, 10U);
  EXPECT_EQ(check.header.id, 7U);
}

TEST(LlrpFrame, EveryPrefixNeedsMoreAndTrailingBytesAreNextMessage) {
  const auto bytes = from_hex("043e0000000a00000007 0448");
  for (std::size_t n = 0; n < 10; ++n) {
    EXPECT_EQ(check_frame(std::span(bytes).first(n)).state, FrameState::need_more) << n;
  }
  const auto check = check_frame(bytes);
  ASSERT_EQ(check.state, FrameState::complete);
  EXPECT_EQ(check.header.length, 10U);
}

TEST(LlrpFrame, NonLlrpPeerIsInvalidFromFirstByte) {
  // Chainway UR4 on port 5084 (sllurp#200): 0xa5 = 101 001 01, version bits 1 but the
  // reserved bits set.
  const auto bytes = from_hex("a55a00098d01850d0a");
  const auto check = check_frame(std::span(bytes).first(1));
  EXPECT_EQ(check.state, FrameState::invalid);
  EXPECT_NE(check.error.find("reserved"), std::string::npos) << check.error;
  const auto v2 = check_frame(from_hex("08"));  // version 2
  EXPECT_EQ(v2.state, FrameState::invalid);
  EXPECT_NE(v2.error.find("version 2"), std::string::npos) << v2.error;
}

TEST(LlrpFrame, LengthBelowHeaderOrAboveCapIsInvalid) {
  EXPECT_EQ(check_frame(from_hex("043e00000009")).state, FrameState::invalid);
  EXPECT_EQ(check_frame(from_hex("043e00000000")).state, FrameState::invalid);
  const auto big = check_frame(from_hex("043e00100001"));  // 1 MiB + 1
  EXPECT_EQ(big.state, FrameState::invalid);
  EXPECT_NE(big.error.find("1048577"), std::string::npos) << big.error;
  EXPECT_EQ(check_frame(from_hex("043e00000100"), 255).state, FrameState::invalid);
  EXPECT_EQ(check_frame(from_hex("043e00100000")).state, FrameState::need_more);
}

TEST(LlrpFrame, MessageNames) {
  EXPECT_EQ(message_name(kAddRospecResponse), "ADD_ROSPEC_RESPONSE");
  EXPECT_EQ(message_name(999), "type 999");
}

}  // namespace
}  // namespace dockgate::drivers::llrp

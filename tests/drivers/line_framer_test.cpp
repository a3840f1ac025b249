// SPDX-License-Identifier: Apache-2.0
#include "drivers/framing/line_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dockgate::drivers {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'123;

struct Collected {
  std::vector<ScanRead> reads;
  std::vector<ReadError> errors;
  std::vector<int> order;  // 0 = read, 1 = error, in output order
};

Collected feed_all(LineFramer& framer, const std::vector<std::string>& chunks,
                   std::int64_t now = kNow) {
  Collected c;
  std::vector<FramerOutput> out;
  for (const auto& chunk : chunks) framer.feed(chunk, now, out);
  for (auto& item : out) {
    if (auto* r = std::get_if<ScanRead>(&item)) {
      c.reads.push_back(*r);
      c.order.push_back(0);
    } else {
      c.errors.push_back(std::get<ReadError>(item));
      c.order.push_back(1);
    }
  }
  return c;
}

std::vector<std::string> data_of(const Collected& c) {
  std::vector<std::string> v;
  for (const auto& r : c.reads) v.push_back(r.data);
  return v;
}

FramingOptions with_aim(AimPrefix p) {
  FramingOptions o;
  o.aim_prefix = p;
  return o;
}

TEST(LineFramer, SplitsOnCrLfAndCrlf) {
  LineFramer f(FramingOptions{});
  auto c = feed_all(f, {"A1\rB2\nC3\r\nD4\n\r"});
  EXPECT_EQ(data_of(c), (std::vector<std::string>{"A1", "B2", "C3", "D4"}));
  EXPECT_TRUE(c.errors.empty());
  EXPECT_EQ(f.pending_bytes(), 0u);
}

TEST(LineFramer, StampsEveryFrameWithTheCallersTime) {
  LineFramer f(FramingOptions{});
  std::vector<FramerOutput> out;
  f.feed("AB", 100, out);
  f.feed("C\r", 250, out);  // the frame ends in the second chunk: its time is 250
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<ScanRead>(out[0]).time_ms, 250);
  EXPECT_EQ(std::get<ScanRead>(out[0]).data, "ABC");
}

TEST(LineFramer, ReassemblesFramesSplitAcrossChunksAtEveryPosition) {
  const std::string stream =
      "]C100340123450000000420\r\n]d20104012345111118\x1d"
      "10ABC\n";
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    LineFramer f(FramingOptions{});
    auto c = feed_all(f, {stream.substr(0, cut), stream.substr(cut)});
    ASSERT_EQ(c.reads.size(), 2u) << "cut at " << cut;
    EXPECT_EQ(c.reads[0].symbology_id, "]C1");
    EXPECT_EQ(c.reads[0].data, "00340123450000000420");
    EXPECT_EQ(c.reads[1].symbology_id, "]d2");
    EXPECT_EQ(c.reads[1].data,
              "0104012345111118\x1d"
              "10ABC");
    EXPECT_TRUE(c.errors.empty());
  }
}

TEST(LineFramer, OneByteChunks) {
  LineFramer f(FramingOptions{});
  std::vector<std::string> chunks;
  for (char ch : std::string("X1\r\nY2\r\n")) chunks.emplace_back(1, ch);
  EXPECT_EQ(data_of(feed_all(f, chunks)), (std::vector<std::string>{"X1", "Y2"}));
}

TEST(LineFramer, CrlfSplitAcrossChunksYieldsNoEmptyFrame) {
  LineFramer f(FramingOptions{});
  auto c = feed_all(f, {"ABC\r", "\nDEF\r", "\n"});
  EXPECT_EQ(data_of(c), (std::vector<std::string>{"ABC", "DEF"}));
  EXPECT_TRUE(c.errors.empty());
}

TEST(LineFramer, EmptyLinesAreIgnored) {
  LineFramer f(FramingOptions{});
  auto c = feed_all(f, {"\r\n\r\n\n\r\rA\r\n\n"});
  EXPECT_EQ(data_of(c), (std::vector<std::string>{"A"}));
  EXPECT_TRUE(c.errors.empty());
}

TEST(LineFramer, UnterminatedFrameIsHeldNotDelivered) {
  LineFramer f(FramingOptions{});
  auto c = feed_all(f, {"PARTIAL"});
  EXPECT_TRUE(c.reads.empty());
  EXPECT_EQ(f.pending_bytes(), 7u);
  f.reset();  // e.g. the device was unplugged
  c = feed_all(f, {"NEXT\r"});
  EXPECT_EQ(data_of(c), (std::vector<std::string>{"NEXT"}));
}

TEST(LineFramer, FrameOfExactlyMaxLengthIsAccepted) {
  FramingOptions o;
  o.max_frame_bytes = 16;
  o.aim_prefix = AimPrefix::none;
  LineFramer f(o);
  auto c = feed_all(f, {std::string(16, 'A') + "\r"});
  ASSERT_EQ(c.reads.size(), 1u);
  EXPECT_EQ(c.reads[0].data.size(), 16u);
  EXPECT_TRUE(c.errors.empty());
}

TEST(LineFramer, TooLongFrameGivesOneErrorThenResynchronises) {
  FramingOptions o;
  o.max_frame_bytes = 16;
  LineFramer f(o);
  // 17 bytes in pieces, then more junk of the same frame, then a good frame.
  auto c = feed_all(f, {"0123456789", "ABCDEFG", std::string(1000, 'Z'), "\r\nGOOD\r\n"});
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].kind, "frame_too_long");
  EXPECT_EQ(c.errors[0].data, "0123456789ABCDEFG");  // the first bytes received
  EXPECT_EQ(c.errors[0].time_ms, kNow);
  EXPECT_NE(c.errors[0].message.find("16 bytes"), std::string::npos);
  EXPECT_EQ(data_of(c), (std::vector<std::string>{"GOOD"}));
  EXPECT_EQ(c.order, (std::vector<int>{1, 0}));
}

TEST(LineFramer, EndlessInputWithoutTerminatorStaysBounded) {
  FramingOptions o;
  o.max_frame_bytes = 64;
  LineFramer f(o);
  std::vector<FramerOutput> out;
  const std::string chunk(4096, 'x');
  for (int i = 0; i < 1000; ++i) {
    f.feed(chunk, kNow, out);
    ASSERT_LE(f.pending_bytes(), 64u);
  }
  ASSERT_EQ(out.size(), 1u);  // one error, not one per chunk
  const auto& e = std::get<ReadError>(out[0]);
  EXPECT_EQ(e.kind, "frame_too_long");
  EXPECT_EQ(e.data, std::string(kErrorSampleBytes, 'x'));
}

TEST(LineFramer, TooLongErrorSampleIsCapped) {
  FramingOptions o;
  o.max_frame_bytes = 4096;
  LineFramer f(o);
  auto c = feed_all(f, {std::string(5000, 'q') + "\r"});
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].data, std::string(kErrorSampleBytes, 'q'));
  EXPECT_TRUE(c.reads.empty());
}

TEST(LineFramer, AimAutoStripsIdentifierWhenPresent) {
  LineFramer f(with_aim(AimPrefix::automatic));
  auto c = feed_all(f, {"]C1001\r]E04012345000016\r]Qz x\rNOPREFIX\r"});
  ASSERT_EQ(c.reads.size(), 4u);
  EXPECT_EQ(c.reads[0].symbology_id, "]C1");
  EXPECT_EQ(c.reads[0].data, "001");
  EXPECT_EQ(c.reads[1].symbology_id, "]E0");
  EXPECT_EQ(c.reads[1].data, "4012345000016");
  EXPECT_EQ(c.reads[2].symbology_id, "]Qz");  // modifier may be a letter
  EXPECT_EQ(c.reads[2].data, " x");
  EXPECT_EQ(c.reads[3].symbology_id, "");
  EXPECT_EQ(c.reads[3].data, "NOPREFIX");
}

TEST(LineFramer, AimAutoLeavesLookalikesInTheData) {
  LineFramer f(with_aim(AimPrefix::automatic));
  auto c = feed_all(f, {"]1C123\r]C\r]C-1\r]\r"});
  EXPECT_EQ(data_of(c), (std::vector<std::string>{"]1C123", "]C", "]C-1", "]"}));
  for (const auto& r : c.reads) EXPECT_EQ(r.symbology_id, "");
}

TEST(LineFramer, AimIdentifierWithoutDataIsAnError) {
  LineFramer f(with_aim(AimPrefix::automatic));
  auto c = feed_all(f, {"]C1\r"});
  EXPECT_TRUE(c.reads.empty());
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].kind, "empty_data");
  EXPECT_EQ(c.errors[0].data, "]C1");
}

TEST(LineFramer, AimRequiredRejectsFramesWithoutIdentifier) {
  LineFramer f(with_aim(AimPrefix::required));
  auto c = feed_all(f, {"]d2010\r4012345000016\r]Q1https://id.gs1.org/00/340123450000000420\r"});
  ASSERT_EQ(c.reads.size(), 2u);
  EXPECT_EQ(c.reads[0].symbology_id, "]d2");
  EXPECT_EQ(c.reads[1].symbology_id, "]Q1");
  EXPECT_EQ(c.reads[1].data, "https://id.gs1.org/00/340123450000000420");
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_EQ(c.errors[0].kind, "missing_symbology_identifier");
  EXPECT_EQ(c.errors[0].data, "4012345000016");
  EXPECT_EQ(c.order, (std::vector<int>{0, 1, 0}));
}

TEST(LineFramer, AimNoneNeverStrips) {
  LineFramer f(with_aim(AimPrefix::none));
  auto c = feed_all(f, {"]C1001\r"});
  ASSERT_EQ(c.reads.size(), 1u);
  EXPECT_EQ(c.reads[0].symbology_id, "");
  EXPECT_EQ(c.reads[0].data, "]C1001");
}

TEST(LineFramer, GsSubstituteSingleCharacter) {
  FramingOptions o;
  o.gs_substitute = "~";
  LineFramer f(o);
  auto c = feed_all(f, {"]d20104012345111118~10ABC~21X\r"});
  ASSERT_EQ(c.reads.size(), 1u);
  EXPECT_EQ(c.reads[0].symbology_id, "]d2");
  EXPECT_EQ(c.reads[0].data,
            "0104012345111118\x1d"
            "10ABC\x1d"
            "21X");
}

TEST(LineFramer, GsSubstituteTextSplitAcrossChunks) {
  FramingOptions o;
  o.gs_substitute = "<GS>";
  LineFramer f(o);
  auto c = feed_all(f, {"]C110AB<G", "S>21", "7<GS><GS>\r"});
  ASSERT_EQ(c.reads.size(), 1u);
  EXPECT_EQ(c.reads[0].data,
            "10AB\x1d"
            "217\x1d\x1d");
}

TEST(LineFramer, GsSubstituteDoesNotTouchTheSymbologyIdentifier) {
  FramingOptions o;
  o.gs_substitute = "]";
  LineFramer f(o);
  auto c = feed_all(f, {"]C1A]B\r"});
  ASSERT_EQ(c.reads.size(), 1u);
  EXPECT_EQ(c.reads[0].symbology_id, "]C1");
  EXPECT_EQ(c.reads[0].data,
            "A\x1d"
            "B");
}

TEST(LineFramer, BinaryGarbageIsDeliveredByteExact) {
  LineFramer f(FramingOptions{});
  std::string garbage;
  for (int i = 0; i < 256; ++i) {
    const char ch = static_cast<char>(i);
    if (ch != '\r' && ch != '\n') garbage.push_back(ch);
  }
  auto c = feed_all(f, {garbage.substr(0, 100), garbage.substr(100), "\r\n"});
  ASSERT_EQ(c.reads.size(), 1u);
  EXPECT_EQ(c.reads[0].data, garbage);
  EXPECT_EQ(c.reads[0].data.size(), 254u);
  EXPECT_EQ(c.reads[0].symbology_id, "");
}

TEST(LineFramer, RandomChunkingGivesTheSameFrames) {
  std::string stream;
  std::vector<std::string> expected;
  for (int i = 0; i < 200; ++i) {
    std::string data = "0104012345" + std::to_string(100000 + i * 7) +
                       "\x1d"
                       "10L" +
                       std::to_string(i);
    expected.push_back(data);
    stream += "]d2" + data + (i % 3 == 0 ? "\r" : i % 3 == 1 ? "\n" : "\r\n");
  }
  std::uint32_t seed = 12345;
  LineFramer f(FramingOptions{});
  std::vector<std::string> chunks;
  for (std::size_t pos = 0; pos < stream.size();) {
    seed = seed * 1103515245u + 12345u;
    const std::size_t len = 1 + (seed >> 16) % 40;
    chunks.push_back(stream.substr(pos, len));
    pos += len;
  }
  EXPECT_EQ(data_of(feed_all(f, chunks)), expected);
}

}  // namespace
}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// KeyDecoder and KeystrokeFramer: us/de layouts, modifiers, GS as Ctrl+], AIM prefix typed as
// keys, gs_substitute, unknown keys, repeats, over-long scans. Pure, no I/O.
#include <gtest/gtest.h>

#include <variant>

#include "drivers/hid_scanner/key_decoder.hpp"
#include "drivers/hid_scanner/keystroke_framer.hpp"
#include "hid_events.hpp"

namespace dockgate::drivers {
namespace {

using test::key_events;
using test::Stroke;
using test::us_strokes;

// Runs `strokes` through a framer and returns everything it produced.
std::vector<FramerOutput> frame(KeyboardLayout layout, const std::vector<Stroke>& strokes,
                                FramingOptions options = {}) {
  KeystrokeFramer framer(layout, std::move(options));
  std::vector<FramerOutput> out;
  for (const auto& e : key_events(strokes)) framer.feed(e.type, e.code, e.value, 42, out);
  return out;
}

const ScanRead& only_read(const std::vector<FramerOutput>& out) {
  static const ScanRead kNone;
  EXPECT_EQ(out.size(), 1u);
  if (out.size() != 1 || !std::holds_alternative<ScanRead>(out[0])) {
    ADD_FAILURE() << "expected exactly one ScanRead";
    return kNone;
  }
  return std::get<ScanRead>(out[0]);
}

TEST(KeyDecoder, UsDigitsLettersAndShift) {
  KeyDecoder d(KeyboardLayout::us);
  EXPECT_EQ(d.feed(EV_KEY, KEY_1, 1).text, "1");
  EXPECT_EQ(d.feed(EV_KEY, KEY_1, 0).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_KEY, KEY_A, 1).text, "a");
  EXPECT_EQ(d.feed(EV_KEY, KEY_RIGHTSHIFT, 1).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_KEY, KEY_A, 1).text, "A");
  EXPECT_EQ(d.feed(EV_KEY, KEY_2, 1).text, "@");
  EXPECT_EQ(d.feed(EV_KEY, KEY_RIGHTSHIFT, 0).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_KEY, KEY_2, 1).text, "2");
  EXPECT_EQ(d.feed(EV_KEY, KEY_Y, 1).text, "y");
  EXPECT_EQ(d.feed(EV_KEY, KEY_RIGHTBRACE, 1).text, "]");
  EXPECT_EQ(d.feed(EV_KEY, KEY_KP7, 1).text, "7");
}

TEST(KeyDecoder, DeSwapsYZAndUsesAltGr) {
  KeyDecoder d(KeyboardLayout::de);
  EXPECT_EQ(d.feed(EV_KEY, KEY_Y, 1).text, "z");
  EXPECT_EQ(d.feed(EV_KEY, KEY_Z, 1).text, "y");
  EXPECT_EQ(d.feed(EV_KEY, KEY_SLASH, 1).text, "-");
  EXPECT_EQ(d.feed(EV_KEY, KEY_RIGHTBRACE, 1).text, "+");
  EXPECT_EQ(d.feed(EV_KEY, KEY_KPDOT, 1).text, ",");
  EXPECT_EQ(d.feed(EV_KEY, KEY_SEMICOLON, 1).text, "\xC3\xB6");  // ö
  d.feed(EV_KEY, KEY_LEFTSHIFT, 1);
  EXPECT_EQ(d.feed(EV_KEY, KEY_7, 1).text, "/");
  EXPECT_EQ(d.feed(EV_KEY, KEY_0, 1).text, "=");
  EXPECT_EQ(d.feed(EV_KEY, KEY_SLASH, 1).text, "_");
  d.feed(EV_KEY, KEY_LEFTSHIFT, 0);
  d.feed(EV_KEY, KEY_RIGHTALT, 1);
  EXPECT_EQ(d.feed(EV_KEY, KEY_Q, 1).text, "@");
  EXPECT_EQ(d.feed(EV_KEY, KEY_9, 1).text, "]");
  EXPECT_EQ(d.feed(EV_KEY, KEY_102ND, 1).text, "|");
  d.feed(EV_KEY, KEY_RIGHTALT, 0);
  EXPECT_EQ(d.feed(EV_KEY, KEY_9, 1).text, "9");
}

TEST(KeyDecoder, CtrlRightBraceIsGroupSeparatorOnBothLayouts) {
  for (auto layout : {KeyboardLayout::us, KeyboardLayout::de}) {
    KeyDecoder d(layout);
    d.feed(EV_KEY, KEY_RIGHTCTRL, 1);
    const auto r = d.feed(EV_KEY, KEY_RIGHTBRACE, 1);
    EXPECT_EQ(r.kind, KeyResult::Kind::text) << to_string(layout);
    EXPECT_EQ(r.text, "\x1d") << to_string(layout);
    EXPECT_EQ(d.feed(EV_KEY, KEY_A, 1).kind, KeyResult::Kind::unknown);  // Ctrl+A: not a char
    d.feed(EV_KEY, KEY_RIGHTCTRL, 0);
    EXPECT_EQ(d.feed(EV_KEY, KEY_A, 1).text, "a");
  }
}

TEST(KeyDecoder, RepeatsReleasesAndOtherEventTypesAddNothing) {
  KeyDecoder d(KeyboardLayout::us);
  EXPECT_EQ(d.feed(EV_KEY, KEY_5, 2).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_KEY, KEY_5, 0).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_MSC, MSC_SCAN, 0x70022).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_SYN, SYN_REPORT, 0).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_LED, LED_NUML, 1).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_KEY, KEY_CAPSLOCK, 1).kind, KeyResult::Kind::none);
  EXPECT_EQ(d.feed(EV_KEY, KEY_ENTER, 1).kind, KeyResult::Kind::enter);
  EXPECT_EQ(d.feed(EV_KEY, KEY_KPENTER, 1).kind, KeyResult::Kind::enter);
  const auto f1 = d.feed(EV_KEY, KEY_F1, 1);
  EXPECT_EQ(f1.kind, KeyResult::Kind::unknown);
  EXPECT_EQ(f1.code, KEY_F1);
  EXPECT_EQ(d.feed(EV_KEY, 0xffff, 1).kind, KeyResult::Kind::unknown);  // out of table range
}

TEST(KeyDecoder, ResetReleasesModifiers) {
  KeyDecoder d(KeyboardLayout::us);
  d.feed(EV_KEY, KEY_LEFTSHIFT, 1);
  d.reset();
  EXPECT_EQ(d.feed(EV_KEY, KEY_B, 1).text, "b");
}

TEST(KeystrokeFramer, Gs1128WithAimPrefixTypedAsKeys) {
  const auto out = frame(KeyboardLayout::us, us_strokes("]C100340123450000000420\n"));
  const auto& read = only_read(out);
  EXPECT_EQ(read.symbology_id, "]C1");
  EXPECT_EQ(read.data, "00340123450000000420");
  EXPECT_EQ(read.time_ms, 42);
}

TEST(KeystrokeFramer, CtrlBracketSeparatesVariableLengthAis) {
  const auto out = frame(KeyboardLayout::us, us_strokes("]d20104012345111118"
                                                        "10LOT7\x1d"
                                                        "21SER9\n"));
  const auto& read = only_read(out);
  EXPECT_EQ(read.symbology_id, "]d2");
  EXPECT_EQ(read.data,
            "0104012345111118"
            "10LOT7\x1d"
            "21SER9");
}

TEST(KeystrokeFramer, DeLayoutScanWithGsAndAimPrefix) {
  // "]C1" on de: AltGr+9 types "]", Shift+C, 1. Then 10 AB-1, Ctrl+(key right of P), 21X.
  std::vector<Stroke> s{{KEY_9, false, false, true},
                        {KEY_C, true},
                        {KEY_1},
                        {KEY_1},
                        {KEY_0},
                        {KEY_A, true},
                        {KEY_B, true},
                        {KEY_SLASH},
                        {KEY_1},
                        {KEY_RIGHTBRACE, false, true},
                        {KEY_2},
                        {KEY_1},
                        {KEY_X, true},
                        {KEY_KPENTER}};
  const auto out = frame(KeyboardLayout::de, s);
  const auto& read = only_read(out);
  EXPECT_EQ(read.symbology_id, "]C1");
  EXPECT_EQ(read.data,
            "10AB-1\x1d"
            "21X");
}

TEST(KeystrokeFramer, GsSubstituteTypedByScannerBecomesGs) {
  FramingOptions options;
  options.gs_substitute = "~";
  const auto out = frame(KeyboardLayout::us, us_strokes("10LOT7~21SER9\n"), options);
  const auto& read = only_read(out);
  EXPECT_EQ(read.data,
            "10LOT7\x1d"
            "21SER9");
  EXPECT_EQ(read.symbology_id, "");
}

TEST(KeystrokeFramer, UnknownKeyTurnsTheScanIntoOneError) {
  auto strokes = us_strokes("12");
  strokes.push_back({KEY_F5});
  strokes.push_back({KEY_F6});
  for (const auto& s : us_strokes("3\n99\n")) strokes.push_back(s);
  KeystrokeFramer framer(KeyboardLayout::us, {});
  std::vector<FramerOutput> out;
  for (const auto& e : key_events(strokes)) framer.feed(e.type, e.code, e.value, 7, out);
  ASSERT_EQ(out.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<ReadError>(out[0]));
  const auto& error = std::get<ReadError>(out[0]);
  EXPECT_EQ(error.kind, "unknown_key");
  EXPECT_EQ(error.data, "123");
  EXPECT_NE(error.message.find("2 key press(es)"), std::string::npos) << error.message;
  EXPECT_NE(error.message.find("key code " + std::to_string(KEY_F5)), std::string::npos);
  EXPECT_EQ(error.time_ms, 7);
  EXPECT_EQ(framer.unknown_keys(), 2u);
  // The next scan is unaffected.
  ASSERT_TRUE(std::holds_alternative<ScanRead>(out[1]));
  EXPECT_EQ(std::get<ScanRead>(out[1]).data, "99");
}

TEST(KeystrokeFramer, DroppedEventsTurnTheScanIntoOneError) {
  KeystrokeFramer framer(KeyboardLayout::us, {});
  std::vector<FramerOutput> out;
  for (const auto& e : key_events(us_strokes("12"))) framer.feed(e.type, e.code, e.value, 3, out);
  framer.feed(EV_KEY, KEY_LEFTSHIFT, 1, 3, out);  // its release is lost in the overflow
  framer.feed(EV_SYN, SYN_DROPPED, 0, 3, out);
  for (const auto& e : key_events(us_strokes("3\n4\n")))
    framer.feed(e.type, e.code, e.value, 3, out);
  ASSERT_EQ(out.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<ReadError>(out[0]));
  EXPECT_EQ(std::get<ReadError>(out[0]).kind, "events_dropped");
  EXPECT_EQ(std::get<ReadError>(out[0]).data, "123");
  ASSERT_TRUE(std::holds_alternative<ScanRead>(out[1]));
  EXPECT_EQ(std::get<ScanRead>(out[1]).data, "4");  // not "$": Shift was reset
}

TEST(KeystrokeFramer, TooLongScanIsOneErrorAndMemoryStaysBounded) {
  FramingOptions options;
  options.max_frame_bytes = 16;
  const auto out = frame(KeyboardLayout::us, us_strokes(std::string(40, '7') + "\n12\n"), options);
  ASSERT_EQ(out.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<ReadError>(out[0]));
  EXPECT_EQ(std::get<ReadError>(out[0]).kind, "frame_too_long");
  ASSERT_TRUE(std::holds_alternative<ScanRead>(out[1]));
  EXPECT_EQ(std::get<ScanRead>(out[1]).data, "12");
}

TEST(KeystrokeFramer, EmptyEnterAndResetDropNothingButPartials) {
  KeystrokeFramer framer(KeyboardLayout::us, {});
  std::vector<FramerOutput> out;
  for (const auto& e : key_events(us_strokes("\n55"))) framer.feed(e.type, e.code, e.value, 1, out);
  EXPECT_TRUE(out.empty());
  framer.reset();  // the partial "55" is gone
  for (const auto& e : key_events(us_strokes("66\n"))) framer.feed(e.type, e.code, e.value, 1, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<ScanRead>(out[0]).data, "66");
}

}  // namespace
}  // namespace dockgate::drivers

// SPDX-License-Identifier: Apache-2.0
// Fuzz target: the keyboard-wedge (HID) path: evdev input_event records (type, code, value)
// through KeyDecoder and KeystrokeFramer, for both layouts. Input: the first byte picks the
// layout, aim_prefix and max_frame_bytes; then 8-byte records (u16 type, u16 code, i32 value,
// host byte order) as read from /dev/input/event*.
// Invariants: never crashes; a text result is 1-4 bytes; unknown results carry the key
// code; reads hold no CR/LF and stay within max_frame_bytes; error samples are bounded.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <variant>
#include <vector>

#include "drivers/hid_scanner/key_decoder.hpp"
#include "drivers/hid_scanner/keystroke_framer.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace drv = dockgate::drivers;
  if (size < 1) return 0;
  const std::uint8_t setup = data[0];
  const auto layout = (setup & 1U) != 0 ? drv::KeyboardLayout::de : drv::KeyboardLayout::us;
  drv::FramingOptions framing;
  framing.aim_prefix = (setup & 2U) != 0 ? drv::AimPrefix::automatic : drv::AimPrefix::none;
  framing.max_frame_bytes = (setup & 4U) != 0 ? drv::kMinFrameBytes : 4096;
  if ((setup & 8U) != 0) framing.gs_substitute = "~";

  drv::KeyDecoder decoder(layout);
  drv::KeystrokeFramer framer(layout, framing);
  std::vector<drv::FramerOutput> out;
  std::int64_t now = 1'700'000'000'000;
  for (std::size_t pos = 1; pos + 8 <= size; pos += 8) {
    std::uint16_t type = 0;
    std::uint16_t code = 0;
    std::int32_t value = 0;
    std::memcpy(&type, data + pos, 2);
    std::memcpy(&code, data + pos + 2, 2);
    std::memcpy(&value, data + pos + 4, 4);

    const drv::KeyResult k = decoder.feed(type, code, value);
    if (k.kind == drv::KeyResult::Kind::text) {
      FUZZ_CHECK(!k.text.empty() && k.text.size() <= 4, "one character per key");
    }
    if (k.kind == drv::KeyResult::Kind::unknown)
      FUZZ_CHECK(k.code == code, "unknown names the key");
    framer.feed(type, code, value, now++, out);
  }
  for (const auto& item : out) {
    if (const auto* r = std::get_if<dockgate::ScanRead>(&item)) {
      FUZZ_CHECK(r->data.size() <= framing.max_frame_bytes, "read within max_frame_bytes");
      FUZZ_CHECK(r->data.find_first_of("\r\n") == std::string::npos, "no terminator in a read");
    } else {
      const std::size_t bound = std::max(framing.max_frame_bytes, drv::kErrorSampleBytes);
      FUZZ_CHECK(std::get<dockgate::ReadError>(item).data.size() <= bound, "bounded error data");
    }
  }
  return 0;
}

// SPDX-License-Identifier: Apache-2.0
#include "drivers/hid_scanner/keystroke_framer.hpp"

#include <linux/input-event-codes.h>

#include <utility>

namespace dockgate::drivers {

KeystrokeFramer::KeystrokeFramer(KeyboardLayout layout, FramingOptions framing)
    : decoder_(layout), framer_(std::move(framing)) {}

void KeystrokeFramer::reset() {
  decoder_.reset();
  framer_.reset();
  sample_.clear();
  unknown_in_frame_ = 0;
  dropped_in_frame_ = false;
}

void KeystrokeFramer::feed(std::uint16_t type, std::uint16_t code, std::int32_t value,
                           std::int64_t now_ms, std::vector<FramerOutput>& out) {
  if (type == EV_SYN && code == SYN_DROPPED) {
    // The kernel's event buffer overflowed: key events of this scan were lost, and the
    // modifier state may be stale (a lost Shift release). The frame cannot be trusted.
    dropped_in_frame_ = true;
    decoder_.reset();
    return;
  }
  const KeyResult key = decoder_.feed(type, code, value);
  switch (key.kind) {
    case KeyResult::Kind::none:
      return;
    case KeyResult::Kind::text:
      if (sample_.size() < kErrorSampleBytes) {
        sample_.append(key.text.substr(0, kErrorSampleBytes - sample_.size()));
      }
      framer_.feed(key.text, now_ms, out);
      return;
    case KeyResult::Kind::unknown:
      if (unknown_in_frame_ == 0) first_unknown_ = key.code;
      ++unknown_in_frame_;
      ++unknown_keys_;
      return;
    case KeyResult::Kind::enter:
      break;
  }
  if (dropped_in_frame_) {
    framer_.reset();
    ReadError error;
    error.time_ms = now_ms;
    error.kind = "events_dropped";
    error.message = "the kernel dropped key events during this scan (SYN_DROPPED: reader too slow)";
    error.data = sample_;
    out.emplace_back(std::move(error));
  } else if (unknown_in_frame_ == 0) {
    framer_.feed("\n", now_ms, out);
  } else {
    framer_.reset();  // the frame is dropped as a scan; the error below stands for it
    ReadError error;
    error.time_ms = now_ms;
    error.kind = "unknown_key";
    error.message = std::to_string(unknown_in_frame_) +
                    " key press(es) in this scan (first: " + "key code " +
                    std::to_string(first_unknown_) +
                    ") not decodable; check that the scanner's keyboard layout matches " +
                    "'layout' and that it sends GS as Ctrl+]";
    error.data = sample_;
    out.emplace_back(std::move(error));
  }
  sample_.clear();
  unknown_in_frame_ = 0;
  dropped_in_frame_ = false;
}

}  // namespace dockgate::drivers

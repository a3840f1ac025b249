// SPDX-License-Identifier: Apache-2.0
#include "drivers/framing/line_framer.hpp"

#include <algorithm>
#include <utility>

namespace dockgate::drivers {
namespace {

constexpr std::size_t kAimLength = 3;  // "]" + code character + modifier character
constexpr char kGroupSeparator = '\x1d';

bool is_ascii_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

ReadError make_error(std::int64_t now_ms, std::string kind, std::string message, std::string data) {
  ReadError e;
  e.time_ms = now_ms;
  e.kind = std::move(kind);
  e.message = std::move(message);
  e.data = std::move(data);
  return e;
}

// Replaces every occurrence of `from` with GS. `from` is non-empty.
std::string substitute_gs(std::string_view data, const std::string& from) {
  std::string out;
  out.reserve(data.size());
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t hit = data.find(from, pos);
    if (hit == std::string_view::npos) {
      out.append(data.substr(pos));
      break;
    }
    out.append(data.substr(pos, hit - pos));
    out.push_back(kGroupSeparator);
    pos = hit + from.size();
  }
  return out;
}

}  // namespace

bool starts_with_aim_identifier(std::string_view frame) {
  return frame.size() >= kAimLength && frame[0] == ']' && is_ascii_letter(frame[1]) &&
         (is_ascii_letter(frame[2]) || is_ascii_digit(frame[2]));
}

LineFramer::LineFramer(FramingOptions options) : options_(std::move(options)) {
  // Reserve once: the frame buffer never grows past the limit, so no reallocation later.
  pending_.reserve(std::min<std::size_t>(options_.max_frame_bytes, 4096));
}

void LineFramer::reset() {
  pending_.clear();
  skipping_ = false;
}

void LineFramer::feed(std::string_view bytes, std::int64_t now_ms, std::vector<FramerOutput>& out) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::size_t end = bytes.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      append(bytes.substr(pos), now_ms, out);
      return;
    }
    append(bytes.substr(pos, end - pos), now_ms, out);
    if (skipping_) {
      skipping_ = false;  // resynchronised at this terminator
    } else if (!pending_.empty()) {
      finish_frame(now_ms, out);
    }
    pending_.clear();
    pos = end + 1;
  }
}

void LineFramer::append(std::string_view piece, std::int64_t now_ms,
                        std::vector<FramerOutput>& out) {
  if (skipping_ || piece.empty()) return;
  if (pending_.size() + piece.size() <= options_.max_frame_bytes) {
    pending_.append(piece);
    return;
  }
  // Over the limit: report once with a sample, then skip to the next terminator so a stream
  // without line ends (wrong terminator setting, binary noise) cannot grow memory.
  std::string sample = pending_.substr(0, kErrorSampleBytes);
  if (sample.size() < kErrorSampleBytes) {
    sample.append(piece.substr(0, kErrorSampleBytes - sample.size()));
  }
  out.emplace_back(make_error(now_ms, "frame_too_long",
                              "frame longer than " + std::to_string(options_.max_frame_bytes) +
                                  " bytes without CR/LF; skipped up to the next line end",
                              std::move(sample)));
  pending_.clear();
  skipping_ = true;
}

void LineFramer::finish_frame(std::int64_t now_ms, std::vector<FramerOutput>& out) {
  std::string_view frame = pending_;
  std::string symbology;
  if (options_.aim_prefix != AimPrefix::none && starts_with_aim_identifier(frame)) {
    symbology.assign(frame.substr(0, kAimLength));
    frame.remove_prefix(kAimLength);
  } else if (options_.aim_prefix == AimPrefix::required) {
    out.emplace_back(
        make_error(now_ms, "missing_symbology_identifier",
                   "frame does not start with an AIM symbology identifier (]Cm) and aim_prefix is "
                   "'required'; enable the AIM prefix on the scanner",
                   std::string(frame)));
    return;
  }
  if (frame.empty()) {
    out.emplace_back(make_error(now_ms, "empty_data",
                                "symbology identifier " + symbology + " without data", symbology));
    return;
  }
  ScanRead read;
  read.time_ms = now_ms;
  read.symbology_id = std::move(symbology);
  read.data = options_.gs_substitute.empty() ? std::string(frame)
                                             : substitute_gs(frame, options_.gs_substitute);
  out.emplace_back(std::move(read));
}

}  // namespace dockgate::drivers

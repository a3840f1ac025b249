// SPDX-License-Identifier: Apache-2.0
// Element strings as scanned (FNC1 = GS) and in human-readable "(AI)value" form.
// GS General Specifications 7.8.3 (FNC1 as GS), 7.8.5 (predefined-length AIs).
#include <algorithm>
#include <string>

#include "agent/gs1/ai_table.hpp"
#include "agent/gs1/parse.hpp"
#include "agent/gs1/text.hpp"
#include "agent/gs1/validate.hpp"

namespace dockgate::gs1 {
namespace {

using detail::kGs;
using detail::printable;

ParseResult fail(std::string message) {
  ParseResult r;
  r.error = std::move(message);
  return r;
}

std::string unknown_ai(std::string_view data, std::size_t pos) {
  return "unknown Application Identifier at position " + std::to_string(pos) + ": '" +
         printable(data.substr(pos), 4) + "'";
}

// Raw form: AIs back to back, GS after every variable-length value except the last.
ParseResult parse_raw(std::string_view data) {
  ParseResult result;
  std::size_t pos = 0;
  // Some scanners transmit the FNC1 in first position as GS: tolerate it.
  if (data[0] == kGs) ++pos;
  if (pos == data.size()) return fail("no data, only a GS (FNC1) separator");
  while (pos < data.size()) {
    if (data[pos] == kGs) {
      return fail("empty element: GS (FNC1) separator at position " + std::to_string(pos) +
                  " follows another separator");
    }
    std::size_t ai_len = 0;
    const AiInfo* info = match_ai_prefix(data.substr(pos), ai_len);
    if (info == nullptr) return fail(unknown_ai(data, pos));
    const std::string_view ai = data.substr(pos, ai_len);
    const std::size_t start = pos + ai_len;
    std::size_t end = data.find(kGs, start);
    if (end == std::string_view::npos) end = data.size();
    if (info->predefined()) {
      // No separator follows a predefined-length value: it ends after its fixed length.
      end = std::min(end, start + info->max_length());
    }
    const std::string_view value = data.substr(start, end - start);
    if (std::string msg = detail::validate_value(ai, *info, value, detail::Source::kElementString);
        !msg.empty()) {
      return fail(std::move(msg));
    }
    if (!detail::append_ai(result, ai, std::string(value))) return result;
    pos = end;
    if (pos < data.size() && data[pos] == kGs) {
      // A separator after a predefined-length value is superfluous but harmless.
      ++pos;
      if (pos == data.size()) {
        return fail("data ends with a GS (FNC1) separator after AI (" + std::string(ai) + ")");
      }
    }
  }
  return result;
}

// Human-readable form "(01)09506000134352(10)ABC"; a literal '(' in a value is written "\(".
ParseResult parse_bracketed(std::string_view data) {
  ParseResult result;
  std::size_t pos = 0;
  while (pos < data.size()) {
    if (data[pos] != '(') {
      return fail("expected '(' at position " + std::to_string(pos) + ", got " +
                  detail::describe_char(data[pos]));
    }
    const std::size_t close = data.find(')', pos + 1);
    if (close == std::string_view::npos) {
      return fail("unterminated '(' at position " + std::to_string(pos));
    }
    const std::string_view ai = data.substr(pos + 1, close - pos - 1);
    const AiInfo* info = detail::all_digits(ai) ? lookup_ai(ai) : nullptr;
    if (info == nullptr) {
      return fail("unknown Application Identifier at position " + std::to_string(pos + 1) + ": '" +
                  printable(ai, 8) + "'");
    }
    std::string value;
    pos = close + 1;
    while (pos < data.size() && data[pos] != '(') {
      if (data[pos] == '\\' && pos + 1 < data.size() && data[pos + 1] == '(') ++pos;
      value += data[pos++];
    }
    if (std::string msg = detail::validate_value(ai, *info, value, detail::Source::kBracketed);
        !msg.empty()) {
      return fail(std::move(msg));
    }
    if (!detail::append_ai(result, ai, std::move(value))) return result;
  }
  return result;
}

}  // namespace

ParseResult parse_element_string(std::string_view data) {
  if (data.empty()) return fail("empty input");
  if (data[0] == '(') return parse_bracketed(data);
  return parse_raw(data);
}

}  // namespace dockgate::gs1

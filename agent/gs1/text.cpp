// SPDX-License-Identifier: Apache-2.0
#include "agent/gs1/text.hpp"

#include <array>

namespace dockgate::gs1::detail {
namespace {

constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                       '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

void append_hex(std::string& out, char c) {
  const auto byte = static_cast<unsigned char>(c);
  out += kHex[byte >> 4U];
  out += kHex[byte & 0x0FU];
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string printable(std::string_view text, std::size_t max_chars) {
  std::string out;
  const std::size_t n = text.size() < max_chars ? text.size() : max_chars;
  out.reserve(n + 8);
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c >= 0x20 && c <= 0x7E && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      append_hex(out, c);
    }
  }
  if (n < text.size()) out += "...";
  return out;
}

std::string describe_char(char c) {
  std::string out = "'" + printable(std::string_view(&c, 1)) + "' (0x";
  append_hex(out, c);
  out += ')';
  return out;
}

std::string ai_prefix(std::string_view ai) {
  std::string out = "AI (";
  out += ai;
  out += "): ";
  return out;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

std::string percent_encode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (const char c : in) {
    if (unreserved(c)) {
      out += c;
    } else {
      out += '%';
      append_hex(out, c);
    }
  }
  return out;
}

}  // namespace dockgate::gs1::detail

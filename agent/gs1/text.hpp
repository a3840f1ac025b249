// SPDX-License-Identifier: Apache-2.0
// Internal helpers for human-readable messages and URI percent-encoding (not public API).
#pragma once

#include <string>
#include <string_view>

namespace dockgate::gs1::detail {

/// ASCII GS, the FNC1 separator as scanners transmit it (GS General Specifications 7.8.3).
inline constexpr char kGs = '\x1d';

/// `text` with bytes outside 0x20..0x7E and the backslash written as \xNN, so messages
/// never carry control or binary bytes. Output is cut after `max_chars` input bytes ("...").
std::string printable(std::string_view text, std::size_t max_chars = 40);

/// One character for a message: "'A' (0x41)" or "'\x01' (0x01)".
std::string describe_char(char c);

/// "AI (10): " prefix of every per-AI message.
std::string ai_prefix(std::string_view ai);

/// True when `text` is non-empty and only ASCII digits.
bool all_digits(std::string_view text);

/// Percent-decodes `in` (RFC 3986 section 2.1) into `out`. Returns false on a '%' not
/// followed by two hex digits; `out` is then unspecified.
bool percent_decode(std::string_view in, std::string& out);

/// Percent-encodes every byte outside the URI unreserved set A-Z a-z 0-9 - . _ ~
/// (GS1 Digital Link Standard: URI Syntax, percent-encoding rules), with upper-case hex digits.
std::string percent_encode(std::string_view in);

}  // namespace dockgate::gs1::detail

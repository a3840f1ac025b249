// SPDX-License-Identifier: Apache-2.0
// Internal: checks one AI value against its AI table entry (not public API).
#pragma once

#include <string>
#include <string_view>

#include "agent/gs1/ai_table.hpp"
#include "agent/gs1/element.hpp"

namespace dockgate::gs1::detail {

/// Where a value came from; decides whether a too-long value hints at a missing separator.
enum class Source { kElementString, kBracketed, kDigitalLink };

/// Checks `value` (already separated, percent-decoded) for AI `ai` against `info`: total
/// length, each component's length and character set, then its content rule (check digit,
/// date, ...). Returns "" when valid, else one message naming the AI, e.g.
/// "AI (00): check digit is 1, expected 0".
std::string validate_value(std::string_view ai, const AiInfo& info, std::string_view value,
                           Source source);

/// The specification notation of an AI's format, e.g. "N13 [X..17]" for AI (253).
std::string format_notation(const AiInfo& info);

}  // namespace dockgate::gs1::detail

namespace dockgate::gs1::detail {

/// Appends {ai, value} to `result`. An AI seen before with the same value is dropped; with a
/// different value it sets result.error ("AI (10) appears twice with different values ('A', 'B')"),
/// clears result.ais and returns false: one AI in one scan cannot mean two things.
bool append_ai(ParseResult& result, std::string_view ai, std::string value);

}  // namespace dockgate::gs1::detail

// SPDX-License-Identifier: Apache-2.0
// The GS1 Application Identifier table: what each AI's data field looks like.
// Source: GS1 General Specifications (Release 24), section 3.2 (AI overview, figure 3.2-1)
// and section 7.8.5 (predefined-length AIs); the component breakdown follows the GS1
// Barcode Syntax Dictionary.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "agent/gs1/ai_format.hpp"

namespace dockgate::gs1 {

/// Flags of an AI table entry.
enum AiFlag : std::uint8_t {
  kPredefined = 1,     ///< predefined length, no FNC1 separator needed (7.8.5)
  kDataAttribute = 2,  ///< permitted as a Digital Link query data attribute
  kDecimal = 4,        ///< last AI digit = number of implied decimal places (3.6)
};

/// One AI or a range of AIs sharing a definition ("3100".."3105").
struct AiInfo {
  std::string_view first;  ///< lowest AI of the range, e.g. "3100"
  std::string_view last;   ///< highest AI of the range (== first for a single AI)
  std::string_view title;  ///< data title, e.g. "SSCC", "NET WEIGHT (kg)"
  std::uint8_t flags = 0;  ///< AiFlag bits
  std::array<AiComponent, 5> components{};

  [[nodiscard]] bool predefined() const { return (flags & kPredefined) != 0; }
  [[nodiscard]] bool decimal() const { return (flags & kDecimal) != 0; }
  [[nodiscard]] bool data_attribute() const { return (flags & kDataAttribute) != 0; }
  /// Number of used component slots (1..5).
  [[nodiscard]] std::size_t component_count() const;
  /// Shortest / longest valid data length in characters (equal for fixed-length AIs).
  [[nodiscard]] std::size_t min_length() const;
  [[nodiscard]] std::size_t max_length() const;
  [[nodiscard]] bool fixed_length() const { return min_length() == max_length(); }
  /// True when every component is numeric (messages then say "digits").
  [[nodiscard]] bool numeric() const;
  /// True when a component carries a mod-10 check digit / a date.
  [[nodiscard]] bool has_check_digit() const;
  [[nodiscard]] bool has_date() const;
};

/// The whole table, sorted by AI. 2-4 digit AIs; no AI is a prefix of another.
std::span<const AiInfo> ai_table();

/// The entry for an exact AI ("01", "3103"), or nullptr when unknown.
const AiInfo* lookup_ai(std::string_view ai);

/// The entry whose AI is a prefix of `data` (AIs are prefix-free), or nullptr.
/// `ai_length` receives the length of the AI found (2..4).
const AiInfo* match_ai_prefix(std::string_view data, std::size_t& ai_length);

/// Implied decimal places of a 3nnn-style AI ("3103" -> 3), or -1 for other AIs.
int decimal_places(std::string_view ai);

/// True for AIs whose first two digits are on the predefined-length list of GS General
/// Specifications figure 7.8.5-2: 00-04, 11-20, 31-36, 41.
bool predefined_length_prefix(std::string_view ai);

}  // namespace dockgate::gs1

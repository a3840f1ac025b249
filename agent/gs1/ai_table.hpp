// The GS1 Application Identifier table: what each AI's data field looks like.
// Source: GS1 General Specifications (Release 24), section 3.2 (AI overview, figure 3.2-1)
// and section 7.8.5 (predefined-length AIs); the component breakdown follows the GS1
// Barcode Syntax Dictionary (character sets: section 7.11).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace dockgate::gs1 {

/// Character set of one data component (GS General Specifications 7.11).
enum class Cset : std::uint8_t {
  kNumeric,    ///< "N": digits 0-9
  kCset82,     ///< "X": GS1 AI encodable character set 82 (figure 7.11-1)
  kCset39,     ///< "Y": GS1 AI encodable character set 39 (figure 7.11-2)
  kBase64Url,  ///< "Z": URI-safe base64 (figure 7.11-3)
};

/// Content rule applied to one component after the character set check.
enum class Lint : std::uint8_t {
  kNone,
  kCheckDigit,         ///< last digit is the mod-10 check digit (7.9.1)
  kDateYymmd0,         ///< YYMMDD, DD may be 00 = last day of month (7.12)
  kDateYymmdd,         ///< YYMMDD, real calendar day
  kDateYyyymmdd,       ///< YYYYMMDD
  kTimeHhmi,           ///< HHMM, 00:00-23:59
  kHour,               ///< HH, 00-23
  kMinute,             ///< MM, 00-59
  kSecond,             ///< SS, 00-59
  kNonZero,            ///< numeric value not all zeros
  kZero,               ///< the digit 0
  kWinding,            ///< 0, 1 or 9 (AI 8001 winding direction)
  kYesNo,              ///< 0 or 1
  kHyphen,             ///< the character '-'
  kPieceOfTotal,       ///< NNMM: piece NN of total MM, 1 <= NN <= MM
  kIso5218,            ///< biological sex code 0, 1, 2 or 9
  kPercentEncoded,     ///< every '%' starts a valid %XX sequence
  kCheckPair,          ///< last two characters are the check character pair (7.9.5)
  kCheckPairNonDigit,  ///< check pair, and at least one non-digit (AI 8014)
  kNoZeroPrefix,       ///< no leading zero unless the value is "0"
  kIban,               ///< ISO 13616 IBAN with valid mod-97 check
  kLatitude,           ///< 10 digits, 0..1800000000 (offset by 90 degrees)
  kLongitude,          ///< 10 digits, 0..3600000000 (offset by 180 degrees)
  kImporterIndex,      ///< one of 0-9 A-Z a-z - _
};

/// One component of an AI's data field, e.g. the N13 + check digit of AI (253).
/// A component with max == 0 is an unused slot.
struct AiComponent {
  Cset cset = Cset::kNumeric;
  std::uint8_t min = 0;  ///< minimum length in characters (== max for fixed length)
  std::uint8_t max = 0;  ///< maximum length in characters
  Lint lint = Lint::kNone;
  bool optional = false;  ///< may be absent when the data ends before it
};

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

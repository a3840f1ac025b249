// SPDX-License-Identifier: Apache-2.0
// Building blocks of the AI table: character sets, content rules, data components.
// Source: GS1 General Specifications (Release 24), 7.9 (check digits), 7.11 (character
// sets), 7.12 (dates); component breakdown as in the GS1 Barcode Syntax Dictionary.
#pragma once

#include <cstdint>

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

}  // namespace dockgate::gs1

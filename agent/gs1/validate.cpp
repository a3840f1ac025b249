// SPDX-License-Identifier: Apache-2.0
// Per-AI value validation: lengths, character sets (GS General Specifications 7.11) and
// content rules (check digit 7.9.1, check character pair 7.9.5, dates 7.12).
#include "agent/gs1/validate.hpp"

#include <array>
#include <cstdint>

#include "agent/gs1/parse.hpp"
#include "agent/gs1/text.hpp"

namespace dockgate::gs1::detail {
namespace {

// CSET 82 in its specification order; a character's index is its check-pair value (7.9.5).
constexpr std::string_view kCset82 =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kCset39 = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
// Check character pair alphabet, CSET 32 (figure 7.11-2 note): no 0, 1, I, O.
constexpr std::string_view kCset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool in_cset(Cset cset, char c) {
  switch (cset) {
    case Cset::kNumeric:
      return is_digit(c);
    case Cset::kCset82:
      return kCset82.find(c) != std::string_view::npos;
    case Cset::kCset39:
      return kCset39.find(c) != std::string_view::npos;
    case Cset::kBase64Url:
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' ||
             c == '_' || c == '=';
  }
  return false;
}

std::string_view cset_name(Cset cset) {
  switch (cset) {
    case Cset::kNumeric:
      return "a numeric field";
    case Cset::kCset82:
      return "CSET 82";
    case Cset::kCset39:
      return "CSET 39";
    case Cset::kBase64Url:
      return "URI-safe base64";
  }
  return "?";
}

// Digits of `text` as a number; callers pass short all-digit strings only.
std::uint64_t number(std::string_view text) {
  std::uint64_t n = 0;
  for (const char c : text) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return n;
}

int days_in_month(std::uint64_t year, std::uint64_t month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) return 29;
  return kDays[month - 1];
}

// YYMMDD: the century comes from a sliding window around today (7.12), which a pure parser
// has no clock for. Within any such window (today -49 .. +50 years, i.e. 1976..2075 for
// the foreseeable future) a year is leap exactly when YY % 4 == 0, so that rule is used.
bool valid_date(std::string_view d, bool allow_day_zero, bool four_digit_year) {
  const std::size_t y_len = four_digit_year ? 4 : 2;
  const std::uint64_t year =
      four_digit_year ? number(d.substr(0, 4)) : 2000 + number(d.substr(0, 2));
  const std::uint64_t month = number(d.substr(y_len, 2));
  const std::uint64_t day = number(d.substr(y_len + 2, 2));
  if (month < 1 || month > 12) return false;
  if (day == 0) return allow_day_zero;
  return day <= static_cast<std::uint64_t>(days_in_month(year, month));
}

// The check character pair for `data` (without the pair), GS General Specifications 7.9.5:
// CSET 82 values weighted by successive primes from the right, sum mod 1021, split into
// two 5-bit CSET 32 characters.
std::string check_pair(std::string_view data) {
  std::uint64_t sum = 0;
  std::uint64_t prime = 1;
  for (auto it = data.rbegin(); it != data.rend(); ++it) {
    // Next prime by trial division: values are short (<= 90 chars), primes < 500.
    for (++prime;; ++prime) {
      bool is_prime = true;
      for (std::uint64_t f = 2; f * f <= prime; ++f) {
        if (prime % f == 0) {
          is_prime = false;
          break;
        }
      }
      if (is_prime) break;
    }
    sum += static_cast<std::uint64_t>(kCset82.find(*it)) * prime;
  }
  sum %= 1021;
  return {kCset32[sum >> 5U], kCset32[sum & 31U]};
}

// ISO 13616 IBAN: two letters, two check digits, up to 30 alphanumerics; mod 97 == 1.
bool valid_iban(std::string_view v) {
  if (v.size() < 5 || v.size() > 34) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    const bool upper = c >= 'A' && c <= 'Z';
    if (i < 2 ? !upper : i < 4 ? !is_digit(c) : !(upper || is_digit(c))) return false;
  }
  std::uint64_t rem = 0;
  for (std::size_t k = 0; k < v.size(); ++k) {
    const char c = v[(k + 4) % v.size()];
    if (is_digit(c)) {
      rem = (rem * 10 + static_cast<std::uint64_t>(c - '0')) % 97;
    } else {
      rem = (rem * 100 + static_cast<std::uint64_t>(c - 'A' + 10)) % 97;
    }
  }
  return rem == 1;
}

std::string quantity(std::size_t n, bool numeric) {
  return std::to_string(n) +
         (numeric ? (n == 1 ? " digit" : " digits") : (n == 1 ? " character" : " characters"));
}

// Content rule of one component; "" when it holds.
std::string lint_component(Lint lint, std::string_view part) {
  const std::string quoted = "'" + printable(part) + "'";
  switch (lint) {
    case Lint::kNone:
      return {};
    case Lint::kCheckDigit: {
      const char expected = check_digit(part.substr(0, part.size() - 1));
      if (expected == part.back()) return {};
      return std::string("check digit is ") + part.back() + ", expected " + expected;
    }
    case Lint::kDateYymmd0:
      return valid_date(part, true, false) ? ""
                                           : "invalid date " + quoted + " (YYMMDD, DD may be 00)";
    case Lint::kDateYymmdd:
      return valid_date(part, false, false) ? "" : "invalid date " + quoted + " (YYMMDD)";
    case Lint::kDateYyyymmdd:
      return valid_date(part, false, true) ? "" : "invalid date " + quoted + " (YYYYMMDD)";
    case Lint::kTimeHhmi:
      return number(part.substr(0, 2)) <= 23 && number(part.substr(2, 2)) <= 59
                 ? ""
                 : "invalid time " + quoted + " (HHMM)";
    case Lint::kHour:
      return number(part) <= 23 ? "" : "invalid hour " + quoted;
    case Lint::kMinute:
      return number(part) <= 59 ? "" : "invalid minute " + quoted;
    case Lint::kSecond:
      return number(part) <= 59 ? "" : "invalid second " + quoted;
    case Lint::kNonZero:
      return number(part) != 0 ? "" : "component " + quoted + " must not be zero";
    case Lint::kZero:
      return part == "0" ? "" : "component " + quoted + " must be 0";
    case Lint::kWinding:
      return part == "0" || part == "1" || part == "9"
                 ? ""
                 : "winding direction " + quoted + " must be 0, 1 or 9";
    case Lint::kYesNo:
      return part == "0" || part == "1" ? "" : "flag " + quoted + " must be 0 or 1";
    case Lint::kHyphen:
      return part == "-" ? "" : "component " + quoted + " must be '-'";
    case Lint::kPieceOfTotal: {
      const std::uint64_t piece = number(part.substr(0, 2));
      const std::uint64_t total = number(part.substr(2, 2));
      if (piece >= 1 && total >= 1 && piece <= total) return {};
      return "piece " + quoted + " must be NNMM with 1 <= piece NN <= total MM";
    }
    case Lint::kIso5218:
      return part == "0" || part == "1" || part == "2" || part == "9"
                 ? ""
                 : "sex code " + quoted + " must be 0, 1, 2 or 9 (ISO/IEC 5218)";
    case Lint::kPercentEncoded: {
      std::string decoded;
      return percent_decode(part, decoded) ? "" : "invalid percent-encoding in " + quoted;
    }
    case Lint::kCheckPair:
    case Lint::kCheckPairNonDigit: {
      if (lint == Lint::kCheckPairNonDigit && all_digits(part)) {
        return "value " + quoted + " must contain a non-digit";
      }
      if (part.size() < 2) return "value " + quoted + " too short for a check character pair";
      const std::string expected = check_pair(part.substr(0, part.size() - 2));
      if (part.substr(part.size() - 2) == expected) return {};
      return "check character pair is '" + printable(part.substr(part.size() - 2)) +
             "', expected '" + expected + "'";
    }
    case Lint::kNoZeroPrefix:
      return part.size() > 1 && part[0] == '0' ? "value " + quoted + " must not start with 0" : "";
    case Lint::kIban:
      return valid_iban(part) ? "" : "invalid IBAN " + quoted;
    case Lint::kLatitude:
      return number(part) <= 1800000000ULL ? "" : "latitude " + quoted + " out of range";
    case Lint::kLongitude:
      return number(part) <= 3600000000ULL ? "" : "longitude " + quoted + " out of range";
    case Lint::kImporterIndex: {
      const char c = part[0];
      const bool ok =
          is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
      return ok ? "" : "importer index " + quoted + " not allowed";
    }
  }
  return {};
}

}  // namespace

std::string format_notation(const AiInfo& info) {
  std::string out;
  for (const auto& c : info.components) {
    if (c.max == 0) continue;
    if (!out.empty()) out += ' ';
    if (c.optional) out += '[';
    switch (c.cset) {
      case Cset::kNumeric:
        out += 'N';
        break;
      case Cset::kCset82:
        out += 'X';
        break;
      case Cset::kCset39:
        out += 'Y';
        break;
      case Cset::kBase64Url:
        out += 'Z';
        break;
    }
    if (c.min != c.max) out += "..";
    out += std::to_string(c.max);
    if (c.optional) out += ']';
  }
  return out;
}

std::string validate_value(std::string_view ai, const AiInfo& info, std::string_view value,
                           Source source) {
  const std::string prefix = ai_prefix(ai);
  // "digits" only where both the format and the value are numeric.
  const bool numeric = info.numeric() && all_digits(value);
  const std::size_t min = info.min_length();
  const std::size_t max = info.max_length();
  if (value.empty()) return prefix + "empty value";
  if (value.size() > max) {
    std::string msg = prefix + (info.fixed_length() ? quantity(value.size(), numeric) +
                                                          ", expected " + std::to_string(max)
                                                    : "longer than " + quantity(max, numeric));
    if (source == Source::kElementString) msg += "; missing FNC1/GS separator?";
    return msg;
  }
  if (value.size() < min) {
    return prefix + quantity(value.size(), numeric) + ", expected " +
           (info.fixed_length() ? std::to_string(min)
                                : std::to_string(min) + " to " + std::to_string(max));
  }
  std::size_t pos = 0;
  for (const auto& c : info.components) {
    if (c.max == 0) break;
    const std::size_t remaining = value.size() - pos;
    if (remaining == 0 && c.optional) break;
    if (remaining < c.min) {
      return prefix + quantity(value.size(), numeric) + " do not fit the format " +
             format_notation(info);
    }
    const std::size_t take = remaining < c.max ? remaining : c.max;
    const std::string_view part = value.substr(pos, take);
    for (const char ch : part) {
      if (!in_cset(c.cset, ch)) {
        return prefix + "character " + describe_char(ch) + " not allowed in " +
               std::string(cset_name(c.cset));
      }
    }
    if (std::string msg = lint_component(c.lint, part); !msg.empty()) return prefix + msg;
    pos += take;
  }
  if (pos != value.size()) {
    return prefix + quantity(value.size(), numeric) + " do not fit the format " +
           format_notation(info);
  }
  return {};
}

}  // namespace dockgate::gs1::detail

// SPDX-License-Identifier: Apache-2.0
// Retail linear codes and AIM symbology identifiers.
// ISO/IEC 15424 (AIM symbology identifiers); GS General Specifications section 5 (data
// carriers and their symbology identifiers) and 3.3.2 (GTIN-8/12/13 right-justified to
// 14 digits in AI (01)).
#include <array>
#include <string>

#include "agent/gs1/parse.hpp"
#include "agent/gs1/text.hpp"

namespace dockgate::gs1 {

bool is_gs1_symbology(std::string_view symbology_id) {
  static constexpr std::array<std::string_view, 7> kGs1Ids = {"]C1", "]e0", "]d2", "]Q3",
                                                              "]J1", "]E0", "]E4"};
  for (const auto id : kGs1Ids) {
    if (symbology_id == id) return true;
  }
  return false;
}

ParseResult parse_retail(std::string_view digits) {
  ParseResult result;
  std::string_view body = digits;
  std::string_view name = "GTIN";
  if (body.starts_with("]E0")) {
    body.remove_prefix(3);
    name = "EAN-13/UPC-A";
  } else if (body.starts_with("]E4")) {
    body.remove_prefix(3);
    name = "EAN-8";
  }
  if (body.empty()) {
    result.error = "empty input";
    return result;
  }
  if (!detail::all_digits(body)) {
    for (const char c : body) {
      if (c < '0' || c > '9') {
        result.error =
            std::string(name) + ": character " + detail::describe_char(c) + " is not a digit";
        return result;
      }
    }
  }
  const bool length_ok = digits.starts_with("]E4")   ? body.size() == 8
                         : digits.starts_with("]E0") ? body.size() == 12 || body.size() == 13
                                                     : body.size() == 8 || body.size() == 12 ||
                                                           body.size() == 13 || body.size() == 14;
  if (!length_ok) {
    result.error = std::string(name) + ": " + std::to_string(body.size()) + " digits, expected " +
                   (digits.starts_with("]E4")   ? "8"
                    : digits.starts_with("]E0") ? "12 or 13"
                                                : "8, 12, 13 or 14");
    return result;
  }
  const char expected = check_digit(body.substr(0, body.size() - 1));
  if (expected != body.back()) {
    result.error = std::string(name) + " " + std::string(body) + ": check digit is " + body.back() +
                   ", expected " + expected;
    return result;
  }
  std::string gtin(14 - body.size(), '0');
  gtin += body;
  result.ais.push_back({"01", std::move(gtin)});
  return result;
}

}  // namespace dockgate::gs1

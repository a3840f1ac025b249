// SPDX-License-Identifier: Apache-2.0
// GS1 mod-10 check digit (GS General Specifications 7.9.1).
#include "agent/gs1/parse.hpp"

namespace dockgate::gs1 {

char check_digit(std::string_view digits) {
  if (digits.empty()) return '\0';
  int sum = 0;
  int weight = 3;  // the rightmost data digit has weight 3, then 1, 3, 1 ...
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (*it < '0' || *it > '9') return '\0';
    sum += (*it - '0') * weight;
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool check_digit_valid(std::string_view digits_with_check) {
  if (digits_with_check.size() < 2) return false;
  const char expected = check_digit(digits_with_check.substr(0, digits_with_check.size() - 1));
  return expected != '\0' && expected == digits_with_check.back();
}

}  // namespace dockgate::gs1

// SPDX-License-Identifier: Apache-2.0
// Valid SSCCs for load: extension 3, company prefix 4012345, serial reference n.
#pragma once

#include <cstdio>
#include <string>

namespace dockgate::test {

/// 18-digit SSCC with a correct GS1 mod-10 check digit (GS1 General Specifications 7.9.1).
inline std::string sscc(unsigned n) {
  char body[18];
  std::snprintf(body, sizeof body, "34012345%09u", n % 1000000000U);
  int sum = 0;
  for (int i = 16, w = 3; i >= 0; --i, w = 4 - w) sum += (body[i] - '0') * w;
  return std::string(body) + static_cast<char>('0' + (10 - sum % 10) % 10);
}

}  // namespace dockgate::test

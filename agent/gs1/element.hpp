// SPDX-License-Identifier: Apache-2.0
// Parsed GS1 data: Application Identifier / value pairs in scan order.
// Source: GS1 General Specifications (Release 24), section 3 (AI definitions) and 7.8
// (processing of element strings); GS1 Digital Link URI syntax 1.4.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dockgate::gs1 {

/// One Application Identifier and its value, e.g. {"00", "340123450000000420"}.
struct AiValue {
  std::string ai;
  std::string value;
};

/// Result of parsing: the AIs, or a human-readable error naming the AI when one is at fault
/// ("AI (00): check digit is 1, expected 0"). `ok()` is true when error is empty.
struct ParseResult {
  std::vector<AiValue> ais;
  std::string error;
  [[nodiscard]] bool ok() const { return error.empty(); }
  /// The value of `ai`, or nullptr when absent.
  [[nodiscard]] const std::string* find(std::string_view ai) const;
};

}  // namespace dockgate::gs1

// SPDX-License-Identifier: Apache-2.0
#include "agent/gs1/element.hpp"

#include "agent/gs1/text.hpp"
#include "agent/gs1/validate.hpp"

namespace dockgate::gs1 {

const std::string* ParseResult::find(std::string_view ai) const {
  for (const auto& entry : ais) {
    if (entry.ai == ai) return &entry.value;
  }
  return nullptr;
}

namespace detail {

bool append_ai(ParseResult& result, std::string_view ai, std::string value) {
  if (const std::string* seen = result.find(ai)) {
    if (*seen == value) return true;
    result.error = "AI (" + std::string(ai) + ") appears twice with different values ('" +
                   printable(*seen) + "', '" + printable(value) + "')";
    result.ais.clear();
    return false;
  }
  result.ais.push_back({std::string(ai), std::move(value)});
  return true;
}

}  // namespace detail
}  // namespace dockgate::gs1

// SPDX-License-Identifier: Apache-2.0
// Kept apart from other code: with -O1 -fsanitize=address (our Asan build type) GCC 12
// reports -Wmaybe-uninitialized inside libstdc++'s <regex> compiler, a known false
// positive (GCC PR 105616). It is silenced for this file only, which holds nothing else.
#if defined(__GNUC__) && !defined(__clang__)  // clang has no such warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <regex>

#include "config/validate.hpp"

namespace dockgate::config {
namespace {

// Longer patterns are almost certainly a mistake, and libstdc++ compiles std::regex
// recursively: an absurd pattern must not be able to exhaust the stack.
constexpr std::size_t kMaxRegexLength = 1000;

}  // namespace

std::optional<unsigned> regex_capture_groups(const std::string& regex, std::string& error) {
  if (regex.size() > kMaxRegexLength) {
    error = "is longer than " + std::to_string(kMaxRegexLength) + " characters";
    return std::nullopt;
  }
  try {
    return static_cast<unsigned>(std::regex(regex, std::regex::ECMAScript).mark_count());
  } catch (const std::regex_error& e) {
    error = std::string("does not compile: ") + e.what();
    return std::nullopt;
  }
}

}  // namespace dockgate::config

// SPDX-License-Identifier: Apache-2.0
// Site-specific, non-GS1 labels that a site uses on purpose (licence plates, internal
// handling-unit ids): a regex accepts them and a URI template names them for epcList.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace dockgate {

/// One accepted pattern: `regex` must match the whole scan; `uri` may use {0} (whole
/// match) and {1}..{9} (capture groups), e.g. "urn:dockgate:lp:{1}".
struct SitePattern {
  std::string name;
  std::string regex;
  std::string uri;
};

class SitePatterns {
 public:
  /// Scans longer than this (bytes) never match a pattern (bounds regex recursion depth).
  static constexpr std::size_t kMaxPatternInput = 256;

  /// Compiles every pattern (ECMAScript). Throws std::regex_error on a bad regex; config
  /// validation reports those before this is reached.
  explicit SitePatterns(const std::vector<SitePattern>& patterns);

  struct Match {
    std::string name;
    std::string uri;
  };
  /// First pattern (in config order) matching all of `data`, with its URI filled in;
  /// nullopt when none matches or `data` is longer than kMaxPatternInput.
  /// Capture values are percent-encoded where they are not URI-safe.
  [[nodiscard]] std::optional<Match> match(const std::string& data) const;

  [[nodiscard]] bool empty() const { return compiled_.empty(); }

 private:
  struct Compiled {
    SitePattern pattern;
    std::regex re;
  };
  std::vector<Compiled> compiled_;
};

/// Expands "{0}".."{9}" in `tmpl` from `groups` (percent-encoding unsafe characters).
std::string expand_uri_template(const std::string& tmpl, const std::vector<std::string>& groups);

}  // namespace dockgate

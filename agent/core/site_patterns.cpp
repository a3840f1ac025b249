// SPDX-License-Identifier: Apache-2.0
#include "agent/core/site_patterns.hpp"

#include <cstdio>

namespace dockgate {
namespace {

// RFC 3986 unreserved characters pass; everything else is percent-encoded.
std::string uri_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (safe) {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

std::string expand_uri_template(const std::string& tmpl, const std::vector<std::string>& groups) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 1] >= '0' && tmpl[i + 1] <= '9' &&
        tmpl[i + 2] == '}') {
      const auto n = static_cast<std::size_t>(tmpl[i + 1] - '0');
      if (n < groups.size()) out += uri_escape(groups[n]);
      i += 2;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

SitePatterns::SitePatterns(const std::vector<SitePattern>& patterns) {
  compiled_.reserve(patterns.size());
  for (const auto& p : patterns) {
    compiled_.push_back({p, std::regex(p.regex, std::regex::ECMAScript | std::regex::optimize)});
  }
}

std::optional<SitePatterns::Match> SitePatterns::match(const std::string& data) const {
  // libstdc++'s std::regex recurses per input character and can exhaust the stack on long
  // input; site labels are short, so longer scans are never matched against patterns.
  if (data.size() > kMaxPatternInput) return std::nullopt;
  for (const auto& c : compiled_) {
    std::smatch m;
    if (std::regex_match(data, m, c.re)) {
      std::vector<std::string> groups;
      groups.reserve(m.size());
      for (const auto& g : m) groups.push_back(g.str());
      return Match{c.pattern.name, expand_uri_template(c.pattern.uri, groups)};
    }
  }
  return std::nullopt;
}

}  // namespace dockgate

// SPDX-License-Identifier: Apache-2.0
#include "agent/core/scan_classifier.hpp"

#include <algorithm>

#include "agent/gs1/parse.hpp"

namespace dockgate {
namespace {

Classified from_gs1(const gs1::ParseResult& parsed, const std::string& site_gln,
                    const char* source) {
  Classified c;
  if (!parsed.ok()) {
    c.error = parsed.error;
    return c;
  }
  c.id = identify(parsed, site_gln, c.error);
  if (c.id) c.id->source = source;
  return c;
}

bool is_retail_symbology(const std::string& s) {
  return s == "]E0" || s == "]E4";
}

bool all_digits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::optional<Classified> from_pattern(const std::string& data, const SitePatterns& patterns) {
  auto m = patterns.match(data);
  if (!m) return std::nullopt;
  Classified c;
  c.id = Identification{};
  c.id->epcs.push_back(m->uri);
  c.id->source = "pattern:" + m->name;
  return c;
}

}  // namespace

Classified classify_scan(const std::string& symbology_id, const std::string& data,
                         const SitePatterns& patterns, const std::string& site_gln) {
  if (data.empty()) return {std::nullopt, "empty scan (no data between frame terminators)"};

  if (is_retail_symbology(symbology_id)) {
    return from_gs1(gs1::parse_retail(data), site_gln, "retail");
  }
  if (gs1::is_gs1_symbology(symbology_id)) {
    Classified c = from_gs1(gs1::parse_element_string(data), site_gln, "gs1");
    if (c.id) return c;
    if (auto p = from_pattern(data, patterns)) return *p;
    return c;
  }
  if (gs1::looks_like_uri(data)) {
    Classified c = from_gs1(gs1::parse_digital_link(data), site_gln, "digital_link");
    if (c.id) return c;
    if (auto p = from_pattern(data, patterns)) return *p;
    c.error = "not a valid GS1 Digital Link URI and no site pattern matched: " + c.error;
    return c;
  }
  if (auto p = from_pattern(data, patterns)) return *p;

  // Scanners are often set up without AIM prefixes and FNC1 transmission: try GS1 anyway.
  Classified c = from_gs1(gs1::parse_element_string(data), site_gln, "gs1");
  if (c.id) return c;
  if (all_digits(data) && (data.size() == 8 || data.size() == 12 || data.size() == 13)) {
    Classified r = from_gs1(gs1::parse_retail(data), site_gln, "retail");
    if (r.id) return r;
  }
  const std::string what =
      symbology_id.empty() ? std::string("no symbology identifier") : "symbology " + symbology_id;
  c.error = "not GS1 data (" + what + ") and no site pattern matched: " + c.error;
  return c;
}

}  // namespace dockgate

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
  if (c.id) {
    c.id->source = source;
    return c;
  }
  // Valid GS1 data that names no object: a place (door label) or something else.
  const auto value_of = [&parsed](const char* ai) -> const std::string* {
    for (const auto& a : parsed.ais) {
      if (a.ai == ai) return &a.value;
    }
    return nullptr;
  };
  if (const std::string* gln = value_of("414")) {
    const std::string* ext = value_of("254");
    c.location = LocationLabel{*gln, ext != nullptr ? *ext : std::string()};
    c.error.clear();
  } else {
    c.error_kind = "no_object_identifier";
  }
  return c;
}

// A verdict on valid GS1 data (a location label, or no object identifier) stands: site
// patterns and other readings are only tried for data that is not valid GS1.
bool settled(const Classified& c) {
  return c.id.has_value() || c.location.has_value() || c.error_kind == "no_object_identifier";
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
  if (data.empty()) {
    Classified empty;
    empty.error = "empty scan (no data between frame terminators)";
    return empty;
  }

  if (is_retail_symbology(symbology_id)) {
    return from_gs1(gs1::parse_retail(data), site_gln, "retail");
  }
  if (gs1::is_gs1_symbology(symbology_id)) {
    Classified c = from_gs1(gs1::parse_element_string(data), site_gln, "gs1");
    if (c.id || c.location) return c;
    if (auto p = from_pattern(data, patterns)) return *p;
    return c;
  }
  if (gs1::looks_like_uri(data)) {
    Classified c = from_gs1(gs1::parse_digital_link(data), site_gln, "digital_link");
    if (c.id || c.location) return c;
    if (auto p = from_pattern(data, patterns)) return *p;
    if (!settled(c)) {
      c.error = "not a valid GS1 Digital Link URI and no site pattern matched: " + c.error;
    }
    return c;
  }
  if (auto p = from_pattern(data, patterns)) return *p;

  // Scanners are often set up without AIM prefixes and FNC1 transmission: try GS1 anyway.
  Classified c = from_gs1(gs1::parse_element_string(data), site_gln, "gs1");
  if (settled(c)) return c;
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

// SPDX-License-Identifier: Apache-2.0
// GS1 Digital Link URIs: parsing on any host and the canonical id.gs1.org form.
// GS1 Digital Link Standard: URI Syntax 1.4 (primary keys and their ordered key qualifiers
// in the path, any domain and path prefix before the key, data attributes in the query
// string, percent-encoding of reserved characters).
#include <algorithm>
#include <string>
#include <vector>

#include "agent/gs1/ai_table.hpp"
#include "agent/gs1/dl_keys.hpp"
#include "agent/gs1/parse.hpp"
#include "agent/gs1/text.hpp"
#include "agent/gs1/validate.hpp"

namespace dockgate::gs1 {
namespace {

using detail::printable;

ParseResult fail(std::string message) {
  ParseResult r;
  r.error = std::move(message);
  return r;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = text[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != prefix[i]) return false;
  }
  return true;
}

// RFC 3986 characters that may appear in a URI (unreserved, reserved, '%').
bool uri_char(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t next = text.find(sep, start);
    if (next == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, next - start));
    start = next + 1;
  }
}

// GTIN-8/12/13 are written without leading zeros on some Digital Link labels; the
// element string form is always 14 digits (GTIN format, GS General Specifications 3.3.2 /
// figure 3.3.2-1).
std::string pad_gtin(std::string_view ai, std::string value) {
  if (ai == "01" && detail::all_digits(value) &&
      (value.size() == 8 || value.size() == 12 || value.size() == 13)) {
    value.insert(0, 14 - value.size(), '0');
  }
  return value;
}

// Decodes, pads and validates one AI value, appending it to `result`; false on error.
bool take(ParseResult& result, std::string_view ai, std::string_view raw) {
  const AiInfo* info = lookup_ai(ai);
  if (info == nullptr) {
    result.error = "unknown Application Identifier (" + printable(ai, 8) + ") in URI";
    return false;
  }
  std::string value;
  if (!detail::percent_decode(raw, value)) {
    result.error = detail::ai_prefix(ai) + "invalid percent-encoding in '" + printable(raw) + "'";
    return false;
  }
  value = pad_gtin(ai, std::move(value));
  if (std::string msg = detail::validate_value(ai, *info, value, detail::Source::kDigitalLink);
      !msg.empty()) {
    result.error = std::move(msg);
    return false;
  }
  return detail::append_ai(result, ai, std::move(value));
}

// True when `qualifiers` follow one of the key's allowed sequences in order.
bool qualifiers_allowed(const detail::DlKey& key, const std::vector<std::string_view>& qualifiers) {
  if (qualifiers.empty()) return true;
  return std::any_of(key.paths.begin(), key.paths.end(), [&](const detail::QualifierPath& seq) {
    std::size_t next = 0;  // qualifiers must appear in `seq` order, each at most once
    for (const auto q : qualifiers) {
      while (next < seq.size() && seq[next] != q) ++next;
      if (next == seq.size()) return false;
      ++next;
    }
    return true;
  });
}

std::string allowed_text(const detail::DlKey& key) {
  if (key.paths.empty()) return "none";
  std::string out;
  for (const auto& seq : key.paths) {
    if (!out.empty()) out += " or ";
    for (std::size_t i = 0; i < seq.size(); ++i) out += (i ? "," : "") + std::string(seq[i]);
  }
  return out;
}

// Parses the path after the host into `result`; false with result.error set on failure.
bool parse_path(std::string_view path, ParseResult& result) {
  // path starts after the host: "/prefix/01/09506000134352/21/x" (maybe empty)
  std::vector<std::string_view> segments = split(path.empty() ? path : path.substr(1), '/');
  if (!segments.empty() && segments.back().empty()) segments.pop_back();  // trailing '/'
  // Search backwards for "/AI/value" pairs until a primary key: anything before it is a
  // path prefix of the resolver, which may itself contain AI-like segments.
  std::size_t key_index = segments.size();
  for (std::size_t end = segments.size(); end >= 2; end -= 2) {
    const std::string_view ai = segments[end - 2];
    if (!detail::all_digits(ai) || lookup_ai(ai) == nullptr) break;
    if (detail::dl_key(ai) != nullptr) {
      key_index = end - 2;
      break;
    }
  }
  if (key_index == segments.size()) {
    result.error =
        "no GS1 primary key (such as /01/ or /00/) in the URI path '" + printable(path, 60) + "'";
    return false;
  }
  const detail::DlKey& key = *detail::dl_key(segments[key_index]);
  std::vector<std::string_view> qualifiers;
  for (std::size_t i = key_index; i + 1 < segments.size(); i += 2) {
    if (i > key_index) qualifiers.push_back(segments[i]);
    if (segments[i + 1].empty()) {
      result.error = detail::ai_prefix(segments[i]) + "empty value in URI path";
      return false;
    }
    if (!take(result, segments[i], segments[i + 1])) return false;
  }
  if (!qualifiers_allowed(key, qualifiers)) {
    std::string got;
    for (const auto q : qualifiers) got += (got.empty() ? "" : ",") + std::string(q);
    result.error = "key qualifiers " + got + " not allowed after AI (" + std::string(key.ai) +
                   "); allowed in this order: " + allowed_text(key);
    return false;
  }
  return true;
}

}  // namespace

bool looks_like_uri(std::string_view data) {
  return starts_with_nocase(data, "https://") || starts_with_nocase(data, "http://");
}

ParseResult parse_digital_link(std::string_view uri) {
  if (uri.empty()) return fail("empty input");
  if (!looks_like_uri(uri)) return fail("not an http(s) URI: '" + printable(uri, 20) + "'");
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (!uri_char(uri[i])) {
      return fail("character " + detail::describe_char(uri[i]) +
                  " not allowed in a URI at position " + std::to_string(i));
    }
  }
  std::string_view rest = uri.substr(uri.find("://") + 3);
  rest = rest.substr(0, rest.find('#'));  // the fragment is for the client only
  const std::size_t host_end = rest.find_first_of("/?");
  if (host_end == 0 || rest.empty()) return fail("URI has no host");
  rest = host_end == std::string_view::npos ? std::string_view{} : rest.substr(host_end);
  const std::size_t query_pos = rest.find('?');
  const std::string_view path = rest.substr(0, query_pos);
  const std::string_view query =
      query_pos == std::string_view::npos ? std::string_view{} : rest.substr(query_pos + 1);

  ParseResult result;
  if (!parse_path(path, result)) return fail(std::move(result.error));

  // Query parameters with all-digit keys are AI data attributes; others (linkType, ...)
  // are for the resolver and ignored.
  for (const std::string_view param : split(query, '&')) {
    if (param.empty()) continue;
    const std::size_t eq = param.find('=');
    const std::string_view key = param.substr(0, eq);
    if (!detail::all_digits(key)) continue;
    const std::string_view raw =
        eq == std::string_view::npos ? std::string_view{} : param.substr(eq + 1);
    const AiInfo* info = lookup_ai(key);
    if (info == nullptr) {
      return fail("unknown Application Identifier (" + printable(key, 8) + ") in URI query");
    }
    if (!info->data_attribute()) {
      return fail(detail::ai_prefix(key) + "not permitted as a query data attribute" +
                  (detail::dl_key(key) ? "" : "; key qualifiers belong in the path"));
    }
    if (raw.empty()) return fail(detail::ai_prefix(key) + "empty value in URI query");
    if (!take(result, key, raw)) return fail(std::move(result.error));
  }
  return result;
}

std::string digital_link(std::string_view primary_ai, std::string_view primary_value,
                         const std::vector<AiValue>& qualifiers) {
  std::string uri = "https://id.gs1.org/";
  uri += primary_ai;
  uri += '/';
  uri += detail::percent_encode(pad_gtin(primary_ai, std::string(primary_value)));
  // Canonical order is the key's qualifier sequence (22 before 10 before 21 ...).
  std::vector<const AiValue*> ordered;
  ordered.reserve(qualifiers.size());
  for (const auto& q : qualifiers) ordered.push_back(&q);
  if (const detail::DlKey* key = detail::dl_key(primary_ai)) {
    const auto rank = [&](const AiValue* q) {
      for (const auto& seq : key->paths) {
        const auto it = std::find(seq.begin(), seq.end(), q->ai);
        if (it != seq.end()) return static_cast<std::size_t>(it - seq.begin());
      }
      return std::size_t{99};
    };
    std::stable_sort(ordered.begin(), ordered.end(),
                     [&](const AiValue* a, const AiValue* b) { return rank(a) < rank(b); });
  }
  for (const AiValue* q : ordered) {
    uri += '/';
    uri += detail::percent_encode(q->ai);
    uri += '/';
    uri += detail::percent_encode(q->value);
  }
  return uri;
}

}  // namespace dockgate::gs1

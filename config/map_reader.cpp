// SPDX-License-Identifier: Apache-2.0
#include "config/map_reader.hpp"

#include <charconv>
#include <limits>
#include <type_traits>
#include <utility>

namespace dockgate::config {
namespace {

template <class T>
std::string type_name() {
  if constexpr (std::is_same_v<T, std::string>) return "string";
  if constexpr (std::is_same_v<T, bool>) return "bool";
  if constexpr (std::is_same_v<T, double>) return "number";
  if constexpr (std::is_same_v<T, std::vector<std::string>>) return "list<string>";
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    return std::is_signed_v<T> ? "integer" : "non-negative integer";
  }
  return "value";
}

template <class T>
std::string to_text(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) return v.empty() ? "" : "\"" + v + "\"";
  if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
  if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    std::string s = "[";
    for (const auto& e : v) s += (s.size() > 1 ? ", " : "") + e;
    return s + "]";
  }
  if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) return std::to_string(v);
  return "";
}

// yaml-cpp's as<int>() accepts "1.5"-like input inconsistently; parse the scalar ourselves.
template <class T>
std::optional<T> parse_scalar(const YAML::Node& n) {
  if (!n.IsScalar()) return std::nullopt;
  const std::string& s = n.Scalar();
  if constexpr (std::is_same_v<T, std::string>) {
    return s;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    return std::nullopt;
  } else if constexpr (std::is_same_v<T, double>) {
    try {
      std::size_t used = 0;
      double d = std::stod(s, &used);
      if (used != s.size()) return std::nullopt;
      return d;
    } catch (...) {
      return std::nullopt;
    }
  } else {
    T value{};
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, value);
    if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
    return value;
  }
}

// Defaults as people write them: "30s" rather than "30000ms", "256KB" rather than "262144".
std::string duration_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1'000 == 0) return std::to_string(ms / 1'000) + "s";
  return std::to_string(ms) + "ms";
}

std::string byte_size_text(std::uint64_t bytes) {
  if (bytes != 0 && bytes % (1ULL << 30) == 0) return std::to_string(bytes >> 30) + "GB";
  if (bytes != 0 && bytes % (1ULL << 20) == 0) return std::to_string(bytes >> 20) + "MB";
  if (bytes != 0 && bytes % (1ULL << 10) == 0) return std::to_string(bytes >> 10) + "KB";
  return std::to_string(bytes);
}

}  // namespace

MapReader::MapReader(const YAML::Node& node, std::string path, ReadContext& ctx,
                     std::string doc_path)
    : node_(node),
      path_(std::move(path)),
      doc_path_(doc_path.empty() ? path_ : std::move(doc_path)),
      ctx_(&ctx) {
  if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap()) {
    error_at(node_.Mark(), "", "expected a mapping of keys to values");
    // reset(), not assignment: assigning to a yaml-cpp node writes through to the node it
    // refers to, and an alias shares that node with its anchor: `x: &v 5` + `log: *v` would
    // turn x into an empty mapping without a position (a false error with no line:column).
    node_.reset(YAML::Node(YAML::NodeType::Map));
    absent_ = true;  // one error for the whole mapping, not one per required key in it
  }
}

std::string MapReader::key_path(const std::string& key) const {
  if (key.empty()) return path_;
  return path_.empty() ? key : path_ + "." + key;
}

void MapReader::error_at(const YAML::Mark& mark, const std::string& key,
                         const std::string& message) {
  ConfigError e;
  e.file = ctx_->file;
  if (mark.line >= 0) {
    e.line = mark.line + 1;
    e.column = mark.column + 1;
  }
  e.key_path = key_path(key);
  e.message = message;
  ctx_->errors.add(std::move(e));
}

YAML::Mark MapReader::mark_of(const std::string& key) const {
  if (!node_.IsMap()) return node_.Mark();
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar() || kv.first.Scalar() != key) continue;
    const YAML::Mark k = kv.first.Mark();
    const YAML::Mark v = kv.second.Mark();
    // An alias shares the anchored node, whose mark is where the anchor was defined (always
    // earlier in the file). Point at the key that uses the alias instead; a null mark
    // (a node made by the program) also falls back to the key.
    if (v.line < 0 || v.line < k.line || (v.line == k.line && v.column < k.column)) return k;
    return v;
  }
  return node_.Mark();
}

void MapReader::error(const std::string& key, const std::string& message) {
  if (!key.empty() && node_.IsMap() && node_[key].IsDefined()) {
    error_at(mark_of(key), key, message);
  } else {
    error_at(node_.IsDefined() ? node_.Mark() : YAML::Mark::null_mark(), key, message);
  }
}

void MapReader::document(const char* key, std::string type, std::string def, const char* help,
                         bool req) {
  seen_.insert(key);
  if (ctx_->docs == nullptr) return;
  std::string p = doc_path_.empty() ? key : doc_path_ + "." + key;
  ctx_->docs->push_back(KeyDoc{std::move(p), std::move(type), std::move(def), help, req, {}});
}

void MapReader::missing(const char* key, const char* what) {
  if (absent_) return;
  // `key:` with nothing after it is present but null: point at the key (yaml-cpp places a
  // null value's mark at the next token, often on the following line).
  if (node_.IsMap()) {
    for (const auto& kv : node_) {
      if (kv.first.IsScalar() && kv.first.Scalar() == key) {
        error_at(kv.first.Mark(), key,
                 std::string("required ") + what + " '" + key + "' has no value");
        return;
      }
    }
  }
  error_at(node_.IsDefined() ? node_.Mark() : YAML::Mark::null_mark(), key,
           std::string("missing required ") + what + " '" + key + "'");
}

bool MapReader::has(const char* key) const {
  return node_.IsMap() && node_[key].IsDefined() && !node_[key].IsNull();
}

template <class T>
bool MapReader::read(const char* key, T& out, const char* help, bool is_required) {
  document(key, type_name<T>(), is_required ? "" : to_text(out), help, is_required);
  if (!has(key)) {
    if (is_required) missing(key, "key");
    return false;
  }
  YAML::Node n = node_[key];
  if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (!n.IsSequence()) {
      error_at(mark_of(key), key, "expected a list of strings");
      return false;
    }
    std::vector<std::string> v;
    for (const auto& item : n) {
      if (!item.IsScalar()) {
        error_at(item.Mark(), key, "expected a string list element");
        return false;
      }
      v.push_back(item.Scalar());
    }
    out = std::move(v);
    return true;
  } else {
    auto v = parse_scalar<T>(n);
    if (!v) {
      std::string got =
          n.IsScalar() ? "'" + n.Scalar() + "'" : (n.IsMap() ? "a mapping" : "a list");
      std::string expected = type_name<T>();
      if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        // Say the range: "non-negative integer" for 65536 in a 16-bit key would mislead.
        expected = "an integer " + std::to_string(std::numeric_limits<T>::min()) + ".." +
                   std::to_string(std::numeric_limits<T>::max());
      }
      error_at(mark_of(key), key, "expected " + expected + ", got " + got);
      return false;
    }
    out = *v;
    return true;
  }
}

template <class T>
bool MapReader::required(const char* key, T& out, const char* help) {
  return read(key, out, help, true);
}
template <class T>
bool MapReader::optional(const char* key, T& out, const char* help) {
  return read(key, out, help, false);
}

template <class T>
bool MapReader::integer(const char* key, T& out, T lo, T hi, const char* help, bool is_required) {
  const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
  document(key, "integer " + range, is_required ? "" : std::to_string(out), help, is_required);
  if (!has(key)) {
    if (is_required) missing(key, "key");
    return false;
  }
  const YAML::Node n = node_[key];
  // Parsed wide, so 65536 for a 16-bit key is "out of range", not "not a number".
  std::optional<T> value;
  if (const auto w = parse_scalar<std::int64_t>(n)) {
    if (std::cmp_greater_equal(*w, lo) && std::cmp_less_equal(*w, hi)) value = static_cast<T>(*w);
  } else if (const auto u = parse_scalar<std::uint64_t>(n)) {
    if (std::cmp_greater_equal(*u, lo) && std::cmp_less_equal(*u, hi)) value = static_cast<T>(*u);
  }
  if (!value) {
    std::string got = n.IsScalar() ? "'" + n.Scalar() + "'" : (n.IsMap() ? "a mapping" : "a list");
    error_at(mark_of(key), key, "expected an integer " + range + ", got " + got);
    return false;
  }
  out = *value;
  return true;
}

template bool MapReader::integer<std::uint16_t>(const char*, std::uint16_t&, std::uint16_t,
                                                std::uint16_t, const char*, bool);
template bool MapReader::integer<std::uint32_t>(const char*, std::uint32_t&, std::uint32_t,
                                                std::uint32_t, const char*, bool);
template bool MapReader::integer<std::uint64_t>(const char*, std::uint64_t&, std::uint64_t,
                                                std::uint64_t, const char*, bool);
template bool MapReader::integer<int>(const char*, int&, int, int, const char*, bool);
template bool MapReader::integer<std::int64_t>(const char*, std::int64_t&, std::int64_t,
                                               std::int64_t, const char*, bool);

// T is a type in a template argument list: it cannot take parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define DOCKGATE_INSTANTIATE(T)                                       \
  template bool MapReader::required<T>(const char*, T&, const char*); \
  template bool MapReader::optional<T>(const char*, T&, const char*);
DOCKGATE_INSTANTIATE(std::string)
DOCKGATE_INSTANTIATE(bool)
DOCKGATE_INSTANTIATE(int)
DOCKGATE_INSTANTIATE(std::int64_t)
DOCKGATE_INSTANTIATE(std::uint16_t)
DOCKGATE_INSTANTIATE(std::uint32_t)
DOCKGATE_INSTANTIATE(std::uint64_t)
DOCKGATE_INSTANTIATE(double)
DOCKGATE_INSTANTIATE(std::vector<std::string>)
#undef DOCKGATE_INSTANTIATE
// NOLINTEND(bugprone-macro-parentheses)

bool MapReader::duration(const char* key, std::chrono::milliseconds& out, const char* help,
                         bool is_required) {
  document(key, "duration", is_required ? "" : duration_text(out), help, is_required);
  if (!has(key)) {
    if (is_required) missing(key, "key");
    return false;
  }
  YAML::Node n = node_[key];
  auto d = n.IsScalar() ? parse_duration(n.Scalar()) : std::nullopt;
  if (!d) {
    error_at(mark_of(key), key, "expected a duration such as 500ms, 5s, 2m or an integer in ms");
    return false;
  }
  out = *d;
  return true;
}

bool MapReader::byte_size(const char* key, std::uint64_t& out, const char* help, bool is_required) {
  document(key, "byte size", is_required ? "" : byte_size_text(out), help, is_required);
  if (!has(key)) {
    if (is_required) missing(key, "key");
    return false;
  }
  YAML::Node n = node_[key];
  auto b = n.IsScalar() ? parse_byte_size(n.Scalar()) : std::nullopt;
  if (!b) {
    error_at(mark_of(key), key, "expected a size such as 512MB, 2GB or an integer in bytes");
    return false;
  }
  out = *b;
  return true;
}

bool MapReader::choice(const char* key, std::string& out, const std::vector<std::string>& choices,
                       const char* help, bool is_required) {
  std::string all;
  for (const auto& c : choices) all += (all.empty() ? "" : "|") + c;
  document(key, "one of " + all, is_required ? "" : out, help, is_required);
  if (!has(key)) {
    if (is_required) missing(key, "key");
    return false;
  }
  YAML::Node n = node_[key];
  if (n.IsScalar()) {
    for (const auto& c : choices) {
      if (n.Scalar() == c) {
        out = c;
        return true;
      }
    }
  }
  error_at(mark_of(key), key,
           "expected one of " + all + (n.IsScalar() ? ", got '" + n.Scalar() + "'" : ""));
  return false;
}

MapReader MapReader::child(const char* key, const char* help, bool is_required) {
  document(key, "mapping", "", help, is_required);
  if (!has(key)) {
    if (is_required) missing(key, "section");
    MapReader empty(YAML::Node(YAML::NodeType::Map), key_path(key), *ctx_,
                    doc_path_.empty() ? key : doc_path_ + "." + key);
    empty.absent_ = true;
    return empty;
  }
  if (!node_[key].IsMap()) {
    error_at(mark_of(key), key, "expected a mapping of keys to values");
    MapReader empty(YAML::Node(YAML::NodeType::Map), key_path(key), *ctx_,
                    doc_path_.empty() ? key : doc_path_ + "." + key);
    empty.absent_ = true;
    return empty;
  }
  return MapReader(node_[key], key_path(key), *ctx_,
                   doc_path_.empty() ? key : doc_path_ + "." + key);
}

std::vector<MapReader> MapReader::list(const char* key, const char* help, bool is_required) {
  document(key, "list", "", help, is_required);
  std::vector<MapReader> out;
  if (!has(key)) {
    if (is_required) missing(key, "list");
    return out;
  }
  YAML::Node n = node_[key];
  if (!n.IsSequence()) {
    error_at(mark_of(key), key, "expected a list");
    return out;
  }
  std::string doc = (doc_path_.empty() ? std::string(key) : doc_path_ + "." + key) + "[]";
  for (std::size_t i = 0; i < n.size(); ++i) {
    out.emplace_back(n[i], key_path(key) + "[" + std::to_string(i) + "]", *ctx_, doc);
  }
  return out;
}

void MapReader::finish() {
  if (!node_.IsMap()) return;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) {
      error_at(kv.first.Mark(), "", "keys must be plain strings, not lists or mappings");
      continue;
    }
    const std::string k = kv.first.Scalar();
    if (seen_.count(k) == 0) error_at(kv.first.Mark(), k, "unknown key");
  }
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  std::int64_t value = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin || value < 0) return std::nullopt;
  std::string unit(ptr, end);
  std::int64_t factor = 0;
  if (unit.empty() || unit == "ms")
    factor = 1;
  else if (unit == "s")
    factor = 1000;
  else if (unit == "m" || unit == "min")
    factor = 60'000;
  else if (unit == "h")
    factor = 3'600'000;
  else
    return std::nullopt;
  if (value > std::numeric_limits<std::int64_t>::max() / factor) return std::nullopt;
  return std::chrono::milliseconds(value * factor);
}

std::optional<std::uint64_t> parse_byte_size(const std::string& text) {
  std::uint64_t value = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin) return std::nullopt;
  std::string unit(ptr, end);
  std::uint64_t factor = 0;
  if (unit.empty() || unit == "B")
    factor = 1;
  else if (unit == "KB" || unit == "KiB")
    factor = 1ULL << 10;
  else if (unit == "MB" || unit == "MiB")
    factor = 1ULL << 20;
  else if (unit == "GB" || unit == "GiB")
    factor = 1ULL << 30;
  else
    return std::nullopt;
  if (value > std::numeric_limits<std::uint64_t>::max() / factor) return std::nullopt;
  return value * factor;
}

}  // namespace dockgate::config

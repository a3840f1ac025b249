// SPDX-License-Identifier: Apache-2.0
#include "config/sections.hpp"

namespace dockgate::config::detail {

void report(MapReader& reader, const char* key, const std::string& message) {
  if (!message.empty()) reader.error(key, message);
}

void check_range(MapReader& reader, const char* key, bool was_read, std::uint64_t value,
                 std::uint64_t lo, std::uint64_t hi) {
  if (!was_read || (value >= lo && value <= hi)) return;
  reader.error(key, "expected an integer " + std::to_string(lo) + ".." + std::to_string(hi) +
                        ", got " + std::to_string(value));
}

void check_range(MapReader& reader, const char* key, bool was_read, std::chrono::milliseconds value,
                 std::chrono::milliseconds lo, std::chrono::milliseconds hi) {
  if (!was_read || (value >= lo && value <= hi)) return;
  reader.error(key, "must be from " + format_duration(lo) + " to " + format_duration(hi) +
                        ", got " + format_duration(value));
}

std::string format_duration(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1'000 == 0) return std::to_string(ms / 1'000) + "s";
  return std::to_string(ms) + "ms";
}

std::string resolve_path(const std::filesystem::path& base_dir, const std::string& path) {
  if (path.empty()) return path;
  const std::filesystem::path p(path);
  return (p.is_absolute() ? p : base_dir / p).lexically_normal().string();
}

}  // namespace dockgate::config::detail

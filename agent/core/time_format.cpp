// SPDX-License-Identifier: Apache-2.0
#include "agent/core/time_format.hpp"

#include <cstdio>
#include <ctime>

namespace dockgate {

std::string format_utc_ms(std::int64_t utc_ms) {
  std::int64_t secs = utc_ms / 1000;
  int ms = static_cast<int>(utc_ms % 1000);
  if (ms < 0) {  // floor for times before 1970 (never expected, but keep it well-formed)
    ms += 1000;
    --secs;
  }
  const auto t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string format_tz_offset(int minutes) {
  const char sign = minutes < 0 ? '-' : '+';
  const int m = minutes < 0 ? -minutes : minutes;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, (m / 60) % 100, m % 60);
  return buf;
}

bool parse_tz_offset(const std::string& text, int& minutes) {
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return false;
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(1) || !digit(2) || !digit(4) || !digit(5)) return false;
  const int h = (text[1] - '0') * 10 + (text[2] - '0');
  const int m = (text[4] - '0') * 10 + (text[5] - '0');
  if (h > 23 || m > 59) return false;
  minutes = (h * 60 + m) * (text[0] == '-' ? -1 : 1);
  return true;
}

int local_tz_offset_minutes(std::int64_t utc_ms) {
  const auto t = static_cast<std::time_t>(utc_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  return static_cast<int>(tm.tm_gmtoff / 60);
}

}  // namespace dockgate

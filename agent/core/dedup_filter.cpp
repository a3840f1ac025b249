// SPDX-License-Identifier: Apache-2.0
#include "agent/core/dedup_filter.hpp"

namespace dockgate {

bool DedupFilter::suppress(const std::string& location, const std::string& data,
                           std::int64_t time_ms) {
  if (window_ms_ <= 0) return false;
  purge(time_ms);
  std::string key;
  key.reserve(location.size() + 1 + data.size());
  key += location;
  key += '\0';
  key += data;
  auto [it, inserted] = last_seen_.try_emplace(std::move(key), time_ms);
  if (inserted) return false;
  const std::int64_t age = time_ms - it->second;
  const bool repeat = age < window_ms_ && age > -window_ms_;
  if (time_ms > it->second || !repeat) it->second = time_ms;
  if (!repeat) return false;
  ++suppressed_total_;
  ++by_location_[location];
  return true;
}

void DedupFilter::purge(std::int64_t now_ms) {
  // At most once per window: keeps memory bounded by the codes seen in about two windows.
  if (now_ms - last_purge_ms_ < window_ms_ && now_ms >= last_purge_ms_) return;
  last_purge_ms_ = now_ms;
  for (auto it = last_seen_.begin(); it != last_seen_.end();) {
    if (now_ms - it->second >= window_ms_) {
      it = last_seen_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace dockgate

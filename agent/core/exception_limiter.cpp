// SPDX-License-Identifier: Apache-2.0
#include "agent/core/exception_limiter.hpp"

namespace dockgate {

void ExceptionLimiter::close(Window& w, std::vector<SuppressedSummary>& out) {
  if (w.summary.suppressed > 0) out.push_back(std::move(w.summary));
}

bool ExceptionLimiter::admit(const std::string& driver_id, const std::string& location_id,
                             const std::string& kind, std::int64_t time_ms, const std::string& raw,
                             const std::string& reason) {
  const std::int64_t interval = settings_.interval.count();
  auto [it, fresh] = windows_.try_emplace({driver_id, kind});
  Window& w = it->second;
  if (!fresh && time_ms >= w.summary.window_end_ms) {
    // tick() has not run since the window ended: close it here, tick() hands it out.
    close(w, closed_);
    w = Window{};
    fresh = true;
  }
  if (fresh) {
    w.summary.driver_id = driver_id;
    w.summary.location_id = location_id;
    w.summary.kind = kind;
    w.summary.window_start_ms = time_ms;
    w.summary.window_end_ms = time_ms + interval;
  }
  auto babbling = babbling_.find(driver_id);
  if (babbling != babbling_.end()) babbling->second.last_seen_ms = time_ms;
  if (w.summary.published < settings_.burst) {
    ++w.summary.published;
    return true;
  }
  if (w.summary.suppressed == 0) {
    w.summary.sample = raw;
    w.summary.sample_reason = reason;
  }
  ++w.summary.suppressed;
  if (babbling == babbling_.end()) {
    babbling = babbling_.emplace(driver_id, BabblingState{time_ms, 0, time_ms}).first;
    ++changes_;
  }
  ++babbling->second.suppressed;
  return false;
}

std::vector<SuppressedSummary> ExceptionLimiter::tick(std::int64_t now_ms) {
  std::vector<SuppressedSummary> out = std::move(closed_);
  closed_.clear();
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now_ms >= it->second.summary.window_end_ms) {
      close(it->second, out);
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
  // Quiet for a whole interval and nothing left to summarise: the device has calmed down.
  for (auto it = babbling_.begin(); it != babbling_.end();) {
    bool open_window = false;
    for (const auto& [key, w] : windows_) open_window |= key.first == it->first;
    if (!open_window && now_ms - it->second.last_seen_ms >= settings_.interval.count()) {
      it = babbling_.erase(it);
      ++changes_;
    } else {
      ++it;
    }
  }
  return out;
}

}  // namespace dockgate

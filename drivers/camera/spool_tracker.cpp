// SPDX-License-Identifier: Apache-2.0
#include "drivers/camera/spool_tracker.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace dockgate::drivers {
namespace {

bool ends_with(const std::string& name, const std::string& suffix) {
  if (name.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), name.rbegin(), [](char a, char b) {
    return a == static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
  });
}

}  // namespace

bool SpoolTracker::ignored(const std::string& name) {
  return name.empty() || name.front() == '.' || ends_with(name, ".part") ||
         ends_with(name, ".tmp") || ends_with(name, ".filepart");
}

void SpoolTracker::on_writing(const std::string& name) {
  if (ignored(name)) return;
  auto& entry = files_[name];
  if (entry.state == State::observed) entry.state = State::writing;
}

void SpoolTracker::on_complete(const std::string& name) {
  if (ignored(name)) return;
  auto& entry = files_[name];
  if (entry.state == State::writing || entry.state == State::observed) make_ready(name, entry);
}

void SpoolTracker::on_gone(const std::string& name) {
  auto it = files_.find(name);
  if (it == files_.end() || it->second.state == State::in_flight) return;
  if (it->second.state == State::ready) {
    ready_.erase(std::remove(ready_.begin(), ready_.end(), name), ready_.end());
  }
  files_.erase(it);
}

void SpoolTracker::forget_writers() {
  for (auto& [name, entry] : files_) {
    if (entry.state == State::writing) {
      entry.state = State::observed;
      entry.stable_since = Clock::time_point{};  // re-measured by the next listing
      entry.size = static_cast<std::uintmax_t>(-1);
    }
  }
}

void SpoolTracker::on_listing(const std::vector<SpoolFile>& files, Clock::time_point now) {
  std::set<std::string> present;
  for (const auto& file : files) {
    if (ignored(file.name)) continue;
    present.insert(file.name);
    auto [it, inserted] = files_.try_emplace(file.name);
    Entry& entry = it->second;
    if (entry.state != State::observed) continue;
    if (inserted || entry.size != file.size || entry.mtime != file.mtime) {
      entry.size = file.size;
      entry.mtime = file.mtime;
      entry.stable_since = now;
    } else if (now - entry.stable_since >= settle_) {
      make_ready(file.name, entry);
    }
  }
  for (auto it = files_.begin(); it != files_.end();) {
    if (present.count(it->first) == 0 && it->second.state != State::in_flight) {
      if (it->second.state == State::ready) {
        ready_.erase(std::remove(ready_.begin(), ready_.end(), it->first), ready_.end());
      }
      it = files_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<std::string> SpoolTracker::take_ready(std::size_t max) {
  std::vector<std::string> out;
  while (!ready_.empty() && out.size() < max) {
    out.push_back(ready_.front());
    ready_.pop_front();
    files_[out.back()].state = State::in_flight;
    ++in_flight_;
  }
  return out;
}

void SpoolTracker::done(const std::string& name) {
  auto it = files_.find(name);
  if (it == files_.end() || it->second.state != State::in_flight) return;
  files_.erase(it);
  --in_flight_;
}

void SpoolTracker::hold(const std::string& name) {
  auto it = files_.find(name);
  if (it == files_.end() || it->second.state != State::in_flight) return;
  it->second.state = State::held;
  --in_flight_;
}

bool SpoolTracker::settling() const {
  return std::any_of(files_.begin(), files_.end(),
                     [](const auto& item) { return item.second.state == State::observed; });
}

void SpoolTracker::make_ready(const std::string& name, Entry& entry) {
  entry.state = State::ready;
  ready_.push_back(name);
}

}  // namespace dockgate::drivers

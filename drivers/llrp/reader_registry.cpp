// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/reader_registry.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace dockgate::drivers::llrp {
namespace {

// One shared connection and its subscribers; the link's callbacks fan out from here.
struct SharedReader {
  std::mutex mutex;
  std::map<std::uint64_t, ReaderLinkCallbacks> subscribers;
  std::optional<std::pair<bool, std::string>> last_status;
  std::unique_ptr<ReaderLink> link;

  std::vector<ReaderLinkCallbacks> snapshot() {
    std::lock_guard lock(mutex);
    std::vector<ReaderLinkCallbacks> out;
    out.reserve(subscribers.size());
    for (const auto& [id, cb] : subscribers) out.push_back(cb);
    return out;
  }
};

constexpr std::chrono::milliseconds kSlotSettle{300};

// Links still closing, per key. A reader serves one client: a new link for the same reader
// (a config reload restarts the drivers) connects only after the old one has closed, or the
// reader would refuse it (ConnectionAttemptEvent 2) and raise a false alarm.
struct Closing {
  int links = 0;
  std::vector<std::function<void()>> deferred_starts;
};

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<SharedReader>> readers;
  std::map<std::string, Closing> closing;
  std::uint64_t next_id = 1;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

ReaderLinkCallbacks fan_out(const std::shared_ptr<SharedReader>& shared) {
  std::weak_ptr<SharedReader> weak = shared;
  ReaderLinkCallbacks cb;
  cb.on_tags = [weak](std::vector<TagSighting>&& tags, std::int64_t received_ms) {
    auto s = weak.lock();
    if (!s) return;
    auto subs = s->snapshot();
    std::erase_if(subs, [](const ReaderLinkCallbacks& sub) { return !sub.on_tags; });
    if (subs.empty()) return;
    // Every door but the last gets a copy; the last one takes the report itself.
    for (std::size_t i = 0; i + 1 < subs.size(); ++i)
      subs[i].on_tags(std::vector(tags), received_ms);
    subs.back().on_tags(std::move(tags), received_ms);
  };
  cb.on_error = [weak](const std::string& kind, const std::string& message,
                       const std::string& raw) {
    auto s = weak.lock();
    if (!s) return;
    for (auto& sub : s->snapshot()) {
      if (sub.on_error) sub.on_error(kind, message, raw);
    }
  };
  cb.on_status = [weak](bool up, const std::string& detail) {
    auto s = weak.lock();
    if (!s) return;
    {
      std::lock_guard lock(s->mutex);
      s->last_status.emplace(up, detail);
    }
    for (auto& sub : s->snapshot()) {
      if (sub.on_status) sub.on_status(up, detail);
    }
  };
  return cb;
}

std::string join(const std::vector<std::uint16_t>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : ",") + std::to_string(values[i]);
  }
  return out + "]";
}

}  // namespace

std::string reader_key(const ReaderLinkOptions& options) {
  return options.host + ":" + std::to_string(options.port);
}

std::string options_conflict(const ReaderLinkOptions& a, const ReaderLinkOptions& b) {
  std::vector<std::string> diffs;
  auto differ = [&diffs](const std::string& name, const std::string& x, const std::string& y) {
    if (x != y) diffs.push_back(name + " " + x + " vs " + y);
  };
  auto mode = [](RospecMode m) { return m == RospecMode::configure ? "configure" : "keep"; };
  differ("rospec", mode(a.rospec_mode), mode(b.rospec_mode));
  differ("reset_to_factory", a.reset_to_factory ? "true" : "false",
         b.reset_to_factory ? "true" : "false");
  differ("rospec_id", std::to_string(a.rospec_id), std::to_string(b.rospec_id));
  differ("antennas", join(a.antennas), join(b.antennas));
  differ("report_every_tags", std::to_string(a.report_every_tags),
         std::to_string(b.report_every_tags));
  differ("keepalive", std::to_string(a.keepalive.count()) + " ms",
         std::to_string(b.keepalive.count()) + " ms");
  differ("missed_keepalives", std::to_string(a.missed_keepalives),
         std::to_string(b.missed_keepalives));
  std::string out;
  for (const auto& d : diffs) out += (out.empty() ? "" : ", ") + d;
  return out;
}

ReaderSubscription subscribe_reader(boost::asio::io_context& io, const ReaderLinkOptions& options,
                                    ReaderLinkCallbacks callbacks) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  ReaderSubscription sub{reader_key(options), r.next_id++};
  auto& shared = r.readers[sub.key];
  bool fresh = false;
  if (!shared) {
    shared = std::make_shared<SharedReader>();
    shared->link = std::make_unique<ReaderLink>(io, options, fan_out(shared));
    fresh = true;
  } else if (auto diff = options_conflict(shared->link->options(), options); !diff.empty()) {
    spdlog::warn(
        "llrp {}: an entry with other reader settings ({}) shares the connection; "
        "the settings of the first entry stay in force",
        sub.key, diff);
  }
  std::optional<std::pair<bool, std::string>> status;
  {
    std::lock_guard inner(shared->mutex);
    shared->subscribers.emplace(sub.id, callbacks);
    status = shared->last_status;
  }
  if (fresh) {
    auto c = r.closing.find(sub.key);
    if (c == r.closing.end()) {
      shared->link->start();
    } else {
      std::weak_ptr<SharedReader> weak = shared;
      c->second.deferred_starts.emplace_back([weak, &io] {
        // The reader frees its one client slot when it sees the TCP close, which can reach
        // it after a connection attempt made at once: leave it a moment.
        auto timer = std::make_shared<boost::asio::steady_timer>(io, kSlotSettle);
        timer->async_wait([weak, timer](const boost::system::error_code& /*ec*/) {
          if (auto s = weak.lock()) s->link->start();
        });
      });
      spdlog::debug("llrp {}: connecting once the previous connection has closed", sub.key);
    }
  } else if (status && callbacks.on_status) {
    boost::asio::post(io,
                      [cb = callbacks.on_status, status] { cb(status->first, status->second); });
  }
  return sub;
}

void unsubscribe_reader(const ReaderSubscription& subscription, std::function<void()> done) {
  Registry& r = registry();
  std::shared_ptr<SharedReader> last;
  {
    std::lock_guard lock(r.mutex);
    auto it = r.readers.find(subscription.key);
    if (it != r.readers.end()) {
      std::lock_guard inner(it->second->mutex);
      it->second->subscribers.erase(subscription.id);
      if (it->second->subscribers.empty()) {
        last = it->second;
        r.readers.erase(it);
      }
    }
  }
  if (!last) {
    if (done) done();
    return;
  }
  {
    std::lock_guard lock(r.mutex);
    ++r.closing[subscription.key].links;
  }
  // The link object lives on in the stop handler until the connection is closed.
  last->link->stop([last, key = subscription.key, done = std::move(done)] {
    std::vector<std::function<void()>> starts;
    {
      Registry& reg = registry();
      std::lock_guard lock(reg.mutex);
      auto c = reg.closing.find(key);
      if (c != reg.closing.end() && --c->second.links <= 0) {
        starts = std::move(c->second.deferred_starts);
        reg.closing.erase(c);
      }
    }
    for (auto& start : starts) start();
    if (done) done();
  });
}

std::size_t open_reader_count() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.readers.size();
}

}  // namespace dockgate::drivers::llrp

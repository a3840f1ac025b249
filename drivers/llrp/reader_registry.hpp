// SPDX-License-Identifier: Apache-2.0
// Process-wide table of LLRP reader connections. A reader serves one client at a time
// (LLRP 1.0.1 section 18.1), so every driver entry (one per dock door) naming the same
// host:port shares one ReaderLink: the first subscriber starts it, the last one stops it,
// every subscriber hears every sighting, status and error.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "drivers/llrp/reader_link.hpp"

namespace dockgate::drivers::llrp {

/// "host:port", the key two entries must share to share a connection.
std::string reader_key(const ReaderLinkOptions& options);

/// "" when `b` may share the connection opened with `a`; else which settings differ
/// ("rospec_id 1 vs 2, antennas ..."), for the config layer to report.
std::string options_conflict(const ReaderLinkOptions& a, const ReaderLinkOptions& b);

/// A subscriber's ticket, for unsubscribe().
struct ReaderSubscription {
  std::string key;
  std::uint64_t id = 0;
};

/// Joins the link for reader_key(options), creating and starting it on `io` when none is
/// open. When one is open with other settings, its settings stay and a warning is logged.
/// A late subscriber immediately hears the link's last status (posted on `io`).
/// Thread-safe; callbacks run on the link's io_context thread.
ReaderSubscription subscribe_reader(boost::asio::io_context& io, const ReaderLinkOptions& options,
                                    ReaderLinkCallbacks callbacks);

/// Leaves; no callback reaches this subscriber after it returns (unless one is running on
/// another thread at that moment). The last subscriber stops the link (CLOSE_CONNECTION,
/// <= ~1 s, asynchronous); `done` runs when the link is closed, or at once if others stay.
void unsubscribe_reader(const ReaderSubscription& subscription, std::function<void()> done = {});

/// Number of open reader links (tests, diagnostics).
std::size_t open_reader_count();

}  // namespace dockgate::drivers::llrp

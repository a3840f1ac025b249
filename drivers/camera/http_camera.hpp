// SPDX-License-Identifier: Apache-2.0
// `type: camera` with `snapshot_url`: polls an IP camera's HTTP snapshot and decodes it.
#pragma once

#include <memory>

#include "drivers/camera/camera_options.hpp"
#include "drivers/camera/frame_reads.hpp"
#include "drivers/common/session_driver.hpp"

namespace dockgate::drivers {

/// GETs `snapshot_url` (deadline `timeout`) on a worker thread, decodes the image there, and
/// on the io_context thread reports new codes as ScanReads (consecutive-frame dedup as for the
/// spool source); the next poll starts `interval` after the previous one ended. A failed GET
/// reports the device down once and retries with backoff (reopen_min .. reopen_max); the
/// first good response reports it up. A response that is not an image is ReadError kind
/// "image_unreadable" naming the URL.
class HttpCamera final : public SessionDriver {
 public:
  /// Throws std::invalid_argument for unknown formats or a snapshot_url that is not http://.
  HttpCamera(const DriverContext& context, CameraOptions options);
  // Destroying it: Stops polling without reporting; waits for a running poll (at most `timeout`).
  // stop(): Stops polling; reports down ("stopped") if it was up.

  [[nodiscard]] CameraCounters counters() const;

 private:
  class Session;
};

}  // namespace dockgate::drivers

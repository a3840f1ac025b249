// SPDX-License-Identifier: Apache-2.0
// Settings of a `type: camera` driver (spool-directory image source) and their config keys.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/map_reader.hpp"

namespace dockgate::drivers {

/// What happens to an image file after it was decoded.
enum class AfterDecode { move, remove };

/// One camera (or group of cameras): exactly one of `spool_dir` (snapshots uploaded into a
/// directory) and `snapshot_url` (snapshot polled over HTTP) is set.
struct CameraOptions {
  std::string spool_dir;     ///< directory cameras upload into (FTP/SMB drop folder)
  std::string snapshot_url;  ///< http://host[:port]/path of the camera's JPEG snapshot
  std::chrono::milliseconds interval{1000};             ///< snapshot_url: time between polls
  std::chrono::milliseconds timeout{5000};              ///< snapshot_url: deadline of one GET
  std::uint64_t max_image_bytes = 32ULL * 1024 * 1024;  ///< snapshot_url: larger = error
  std::string done_dir;    ///< decoded images go here (after: move); default <spool_dir>/done
  std::string failed_dir;  ///< unreadable files always go here; default <spool_dir>/failed
  AfterDecode after = AfterDecode::move;
  std::vector<std::string> formats;        ///< ZXing format names; empty = decoder defaults
  std::size_t workers = 1;                 ///< decoding threads, 1..16
  std::size_t queue_limit = 16;            ///< images decoding or waiting for a worker, 1..1024
  std::chrono::milliseconds settle{500};   ///< size+mtime unchanged this long = complete
  std::chrono::milliseconds rescan{2000};  ///< directory rescan period (fallback to inotify)
  std::chrono::milliseconds repeat_window{2000};  ///< same code in consecutive frames = one read
  std::chrono::milliseconds reopen_min{500};      ///< retry delay when spool_dir is missing
  std::chrono::milliseconds reopen_max{30'000};   ///< cap of the doubling retry delay
};

/// Reads the driver's keys (spool_dir or snapshot_url, interval, timeout, max_image_bytes,
/// done_dir, failed_dir, after, formats, workers,
/// queue_limit, settle, rescan, repeat_window, reopen_min, reopen_max) into `out`; errors go
/// to the reader's context. Returns false when any key was missing or invalid.
bool read_camera_options(config::MapReader& keys, CameraOptions& out);

}  // namespace dockgate::drivers

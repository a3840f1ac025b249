// SPDX-License-Identifier: Apache-2.0
// Decides when a file in a spool directory is completely written. Pure state, no I/O: the
// driver feeds it inotify events and directory listings and takes the names that are ready.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dockgate::drivers {

/// One regular file as seen by a directory listing.
struct SpoolFile {
  std::string name;         ///< file name inside the spool directory (no path)
  std::uintmax_t size = 0;  ///< bytes
  std::filesystem::file_time_type mtime{};
};

/// A file is complete when inotify reported IN_CLOSE_WRITE or IN_MOVED_TO for it, or, for
/// files inotify never reported as being written (present at start-up, written over SMB/NFS,
/// inotify unavailable or overflowed), when its size and mtime stayed unchanged for `settle`.
/// A file inotify saw being written (IN_CREATE / IN_MODIFY) waits for its close, however long
/// the writer pauses. Dotfiles, *.part, *.tmp and *.filepart are never candidates.
class SpoolTracker {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SpoolTracker(std::chrono::milliseconds settle) : settle_(settle) {}

  /// True for names that are never decoded (hidden or temporary upload names).
  static bool ignored(const std::string& name);

  void on_writing(const std::string& name);   ///< IN_CREATE / IN_MODIFY
  void on_complete(const std::string& name);  ///< IN_CLOSE_WRITE / IN_MOVED_TO
  void on_gone(const std::string& name);      ///< IN_DELETE / IN_MOVED_FROM
  /// inotify lost events (IN_Q_OVERFLOW) or is unavailable: settle every open file by time.
  void forget_writers();

  /// A full listing of the directory's regular files at `now`: adds new files, settles
  /// unchanged ones, drops vanished ones.
  void on_listing(const std::vector<SpoolFile>& files, Clock::time_point now);

  /// Takes up to `max` complete files, oldest first; they count as in flight until done().
  std::vector<std::string> take_ready(std::size_t max);
  /// The in-flight file was decoded and moved away: forget it.
  void done(const std::string& name);
  /// The in-flight file was decoded but could not be moved or deleted: never decode it again
  /// while it stays in the directory (it would be reported twice).
  void hold(const std::string& name);

  [[nodiscard]] std::size_t in_flight() const { return in_flight_; }
  [[nodiscard]] std::size_t ready() const { return ready_.size(); }
  /// True when some file waits for its settle time (the caller should list again soon).
  [[nodiscard]] bool settling() const;

 private:
  enum class State { writing, observed, ready, in_flight, held };
  struct Entry {
    State state = State::observed;
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime{};
    Clock::time_point stable_since{};
  };
  void make_ready(const std::string& name, Entry& entry);

  std::chrono::milliseconds settle_;
  std::map<std::string, Entry> files_;
  std::deque<std::string> ready_;
  std::size_t in_flight_ = 0;
};

}  // namespace dockgate::drivers

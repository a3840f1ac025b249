// SPDX-License-Identifier: Apache-2.0
// The gatewaySeq high-water mark kept beside the database ("<path>.seq"), so that a
// corrupt database file cannot take the numbering with it: a seq is never reused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace dockgate::buffer {

/// "<db path>.seq": one line "dockgate-seq <N>\n". N is an upper bound of every seq ever
/// assigned. Written atomically (temp file, fsync, rename, fsync of the directory) and ahead
/// of use, in blocks of `block` seqs, so it costs one fsync per block, not per commit.
/// Not thread-safe: the outbox writer thread owns it.
class SeqMark {
 public:
  /// Seqs reserved per write of the file.
  static constexpr std::uint64_t default_block = 10000;

  explicit SeqMark(std::string db_path, std::uint64_t block = default_block);

  /// The mark as stored; nullopt when the file is missing or unreadable (logged).
  std::optional<std::uint64_t> load();
  /// Makes sure the stored mark is >= `seq`, writing `seq + block` when it is not.
  /// Throws OutboxError (path + system message) when the file cannot be written: the caller
  /// must not commit seqs above the stored mark.
  void ensure(std::uint64_t seq);
  /// The mark as last loaded or written (0 = none).
  [[nodiscard]] std::uint64_t value() const noexcept { return mark_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  void store(std::uint64_t mark);

  std::string path_;
  std::uint64_t block_;
  std::uint64_t mark_ = 0;
};

}  // namespace dockgate::buffer

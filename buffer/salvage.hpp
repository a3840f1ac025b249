// SPDX-License-Identifier: Apache-2.0
// Salvage of a corrupt outbox file that was moved aside: every row that can still be read,
// first through SQLite (whatever of the b-tree is intact), then by parsing the file's pages
// and its WAL directly, so a destroyed root or interior page loses no leaf rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buffer/record.hpp"

namespace dockgate::buffer {

/// What salvage() found.
struct SalvageResult {
  std::vector<StoredRecord> rows;  ///< validated rows, unique, in seq order
  std::uint64_t from_btree = 0;    ///< of them: read through SQLite
  std::uint64_t from_pages = 0;    ///< of them: only found by the page scan
  std::uint64_t invalid = 0;       ///< seqs seen only with a payload not matching the seq (dropped)
  std::optional<std::uint64_t> last_seq;  ///< meta.last_seq of the damaged file, if readable
  std::optional<std::uint64_t> pending;   ///< meta.pending_count of the damaged file, if readable
};

/// Reads what can be read from `path` (and "<path>-wal" when present) without changing
/// either file's content. Never throws: unreadable parts are skipped (logged at debug).
SalvageResult salvage(const std::string& path);

/// True when `payload` is a JSON object whose "dg:gatewaySeq" (EPCIS event) or "gatewaySeq"
/// (exception) member equals `seq`: the check a salvaged row must pass to be re-inserted.
bool payload_matches_seq(std::string_view payload, std::uint64_t seq);

}  // namespace dockgate::buffer

// SPDX-License-Identifier: Apache-2.0
// Start-up after a corrupt file was moved aside (or the database is new while a seq mark
// exists): salvage the old rows into the new database and continue numbering above every
// seq the old file may have used.
#pragma once

#include "buffer/open_db.hpp"
#include "buffer/outbox.hpp"
#include "buffer/seq_mark.hpp"

namespace dockgate::buffer {

/// For a database just created by open_writer_db(): when `opened.moved_aside_to` is set,
/// salvages that file, inserts the valid rows with their original seq, channel, created_ms
/// and payload in one transaction, and sets meta.last_seq and the counters; without a moved
/// file but with a loaded `mark` above meta.last_seq (the database was deleted or replaced),
/// numbering continues above the mark. Fills the salvage fields of `report`. Only outbox
/// rows are salvaged, not the old file's `state` and `plans` rows (see recover.cpp). Throws
/// sqlite::Error when the new database cannot be written.
void restore_after_loss(OpenedDb& opened, SeqMark& mark, OpenReport& report);

}  // namespace dockgate::buffer

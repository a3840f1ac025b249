// SPDX-License-Identifier: Apache-2.0
// Page layout references: https://www.sqlite.org/fileformat2.html (sections 1.3 header,
// 1.6 b-tree pages, 2.1 record format, 4 WAL format).
#include "buffer/salvage.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "buffer/sqlite_db.hpp"

namespace dockgate::buffer {

namespace {

using Bytes = std::string;

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}
std::uint16_t be16(const unsigned char* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

// SQLite varint (1-9 bytes, big-endian, high bit = more). Returns bytes used, 0 when it runs
// past `end`.
std::size_t varint(const unsigned char* p, const unsigned char* end, std::uint64_t& out) {
  out = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    if (p + i >= end) return 0;
    if (i == 8) {
      out = (out << 8) | p[i];
      return 9;
    }
    out = (out << 7) | (p[i] & 0x7f);
    if ((p[i] & 0x80) == 0) return i + 1;
  }
  return 0;
}

// Size in bytes of a record value of serial type `t` (fileformat2 2.1).
std::uint64_t serial_size(std::uint64_t t) {
  static constexpr std::uint64_t kInt[] = {0, 1, 2, 3, 4, 6, 8, 8, 0, 0};
  if (t < 10) return kInt[t];
  if (t < 12) return ~std::uint64_t{0};  // reserved: not a valid record
  return (t - 12) / 2;
}

std::int64_t int_value(std::uint64_t t, const unsigned char* p) {
  if (t == 8) return 0;
  if (t == 9) return 1;
  const std::uint64_t n = serial_size(t);
  std::uint64_t v = 0;
  for (std::uint64_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  if (n > 0 && n < 8 && (p[0] & 0x80) != 0) v |= ~std::uint64_t{0} << (n * 8);  // sign
  return static_cast<std::int64_t>(v);
}

bool is_int_type(std::uint64_t t) {
  return (t >= 1 && t <= 6) || t == 8 || t == 9;
}

// The database as its last committed state: main file pages, replaced by the newest
// committed WAL frame of each page.
class PageImage {
 public:
  explicit PageImage(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ >= 0 && ::fstat(fd_, &st) == 0) file_bytes_ = static_cast<std::uint64_t>(st.st_size);
    unsigned char header[100] = {};
    if (fd_ >= 0 && ::pread(fd_, header, sizeof header, 0) == 100 &&
        std::string_view(reinterpret_cast<const char*>(header), 16) ==
            std::string_view("SQLite format 3\0", 16)) {
      const std::uint32_t ps = be16(header + 16);
      page_size_ = ps == 1 ? 65536 : ps;
      reserved_ = header[20];
    }
    read_wal(path + "-wal");
    if (!valid_page_size(page_size_)) page_size_ = 4096;
    if (!valid_page_size(page_size_)) page_size_ = 4096;
    pages_ = std::max<std::uint64_t>(file_bytes_ / page_size_, wal_db_pages_);
    for (const auto& [pgno, off] : wal_frames_) pages_ = std::max<std::uint64_t>(pages_, pgno);
  }
  ~PageImage() {
    if (fd_ >= 0) ::close(fd_);
    if (wal_fd_ >= 0) ::close(wal_fd_);
  }
  PageImage(const PageImage&) = delete;
  PageImage& operator=(const PageImage&) = delete;

  [[nodiscard]] std::uint64_t pages() const { return pages_; }
  [[nodiscard]] std::uint32_t page_size() const { return page_size_; }
  [[nodiscard]] std::uint32_t usable() const { return page_size_ - reserved_; }

  /// Page `pgno` (1-based) into `out`; false when it cannot be read.
  bool read(std::uint64_t pgno, Bytes& out) const {
    out.assign(page_size_, '\0');
    if (auto it = wal_frames_.find(pgno); it != wal_frames_.end()) {
      return ::pread(wal_fd_, out.data(), page_size_, static_cast<off_t>(it->second)) ==
             static_cast<ssize_t>(page_size_);
    }
    if (fd_ < 0 || pgno == 0) return false;
    return ::pread(fd_, out.data(), page_size_, static_cast<off_t>((pgno - 1) * page_size_)) ==
           static_cast<ssize_t>(page_size_);
  }

 private:
  static bool valid_page_size(std::uint32_t ps) {
    return ps >= 512 && ps <= 65536 && (ps & (ps - 1)) == 0;
  }

  // WAL format (fileformat2 section 4): 32-byte header, frames of a 24-byte header and a
  // page. Frames count only up to the last commit frame whose salts match the header.
  void read_wal(const std::string& wal_path) {
    wal_fd_ = ::open(wal_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0) return;
    unsigned char h[32];
    if (::pread(wal_fd_, h, sizeof h, 0) != 32) return;
    const std::uint32_t magic = be32(h);
    if (magic != 0x377f0682 && magic != 0x377f0683) return;
    const std::uint32_t ps = be32(h + 8);
    if (!valid_page_size(ps)) return;
    if (!valid_page_size(page_size_)) page_size_ = ps;
    if (ps != page_size_) return;
    std::map<std::uint64_t, std::uint64_t> pending;
    for (std::uint64_t off = 32;; off += 24 + ps) {
      unsigned char f[24];
      if (::pread(wal_fd_, f, sizeof f, static_cast<off_t>(off)) != 24) break;
      if (be32(f + 8) != be32(h + 16) || be32(f + 12) != be32(h + 20)) break;
      pending[be32(f)] = off + 24;
      if (be32(f + 4) != 0) {  // commit frame: its field is the db size in pages
        for (const auto& [pgno, at] : pending) wal_frames_[pgno] = at;
        pending.clear();
        wal_db_pages_ = be32(f + 4);
      }
    }
  }

  int fd_ = -1;
  int wal_fd_ = -1;
  std::uint64_t file_bytes_ = 0;
  std::uint32_t page_size_ = 0;
  std::uint32_t reserved_ = 0;
  std::uint64_t pages_ = 0;
  std::uint64_t wal_db_pages_ = 0;
  std::map<std::uint64_t, std::uint64_t> wal_frames_;  // pgno -> offset of the page in the WAL
};

class PageScanner {
 public:
  explicit PageScanner(const PageImage& img) : img_(img) {}

  void run(std::map<std::uint64_t, StoredRecord>& found, std::set<std::uint64_t>& invalid,
           std::optional<std::uint64_t>& last_seq, std::optional<std::uint64_t>& pending) {
    mark_free_pages();
    Bytes page;
    for (std::uint64_t pgno = 1; pgno <= img_.pages(); ++pgno) {
      if (free_.contains(pgno) || !img_.read(pgno, page)) continue;
      scan_leaf(pgno, page, found, invalid, last_seq, pending);
    }
  }

 private:
  // Freelist pages keep old rows (secure_delete is off): they must not come back.
  void mark_free_pages() {
    Bytes p1;
    if (!img_.read(1, p1)) return;
    const auto* h = reinterpret_cast<const unsigned char*>(p1.data());
    std::uint64_t trunk = be32(h + 32);
    for (std::uint64_t guard = 0; trunk != 0 && trunk <= img_.pages() && guard < img_.pages();
         ++guard) {
      Bytes t;
      if (!free_.insert(trunk).second || !img_.read(trunk, t)) break;
      const auto* tp = reinterpret_cast<const unsigned char*>(t.data());
      const std::uint32_t n = std::min<std::uint32_t>(be32(tp + 4), (img_.usable() - 8) / 4);
      for (std::uint32_t i = 0; i < n; ++i) free_.insert(be32(tp + 8 + std::size_t{4} * i));
      trunk = be32(tp);
    }
  }

  void scan_leaf(std::uint64_t pgno, const Bytes& page,
                 std::map<std::uint64_t, StoredRecord>& found, std::set<std::uint64_t>& invalid,
                 std::optional<std::uint64_t>& last_seq, std::optional<std::uint64_t>& pending) {
    const auto* base = reinterpret_cast<const unsigned char*>(page.data());
    const std::size_t hdr = pgno == 1 ? 100 : 0;
    const std::uint32_t usable = img_.usable();
    if (base[hdr] != 0x0D) return;  // table b-tree leaf
    const std::uint16_t ncells = be16(base + hdr + 3);
    if (hdr + 8 + 2UL * ncells > usable) return;
    const unsigned char* end = base + usable;
    for (std::uint16_t c = 0; c < ncells; ++c) {
      const std::uint16_t off = be16(base + hdr + 8 + std::size_t{2} * c);
      if (off < hdr + 8 || off >= usable) continue;
      const unsigned char* p = base + off;
      std::uint64_t total = 0;
      std::uint64_t rowid = 0;
      std::size_t n = varint(p, end, total);
      if (n == 0) continue;
      p += n;
      n = varint(p, end, rowid);
      if (n == 0) continue;
      p += n;
      Bytes record;
      if (!payload_of(p, end, total, usable, record)) continue;
      parse_record(rowid, record, found, invalid, last_seq, pending);
    }
  }

  // The cell's payload, following the overflow chain when it spills (fileformat2 1.6).
  bool payload_of(const unsigned char* p, const unsigned char* end, std::uint64_t total,
                  std::uint32_t usable, Bytes& out) const {
    const std::uint64_t x = usable - 35;
    std::uint64_t local = total;
    if (total > x) {
      const std::uint64_t m = ((usable - 12) * 32 / 255) - 23;
      const std::uint64_t k = m + ((total - m) % (usable - 4));
      local = k <= x ? k : m;
    }
    if (total > (1ULL << 30) || p + local > end) return false;
    out.assign(reinterpret_cast<const char*>(p), local);
    if (local == total) return true;
    if (p + local + 4 > end) return false;
    std::uint64_t next = be32(p + local);
    Bytes ov;
    for (std::uint64_t guard = 0; out.size() < total && guard < img_.pages(); ++guard) {
      if (next == 0 || next > img_.pages() || !img_.read(next, ov)) return false;
      const auto* op = reinterpret_cast<const unsigned char*>(ov.data());
      const std::uint64_t take = std::min<std::uint64_t>(usable - 4, total - out.size());
      out.append(ov.data() + 4, take);
      next = be32(op);
    }
    return out.size() == total;
  }

  // outbox rows: (NULL = rowid seq, channel int, created_ms int, payload blob/text);
  // the meta row: rowid 1, (NULL, last_seq, pending_count, pending_bytes, acked, rejected, ms)
  // plus, once written by schema v4, (delivered_count, delivered_bytes): 7 or 9 columns.
  // Other tables never match: `plans` and `delivered` rows have 5 columns, and `state` (WITHOUT
  // ROWID) and the plan_id index live on index pages, which scan_leaf skips. They are not salvaged.
  static void parse_record(std::uint64_t rowid, const Bytes& rec,
                           std::map<std::uint64_t, StoredRecord>& found,
                           std::set<std::uint64_t>& invalid, std::optional<std::uint64_t>& last_seq,
                           std::optional<std::uint64_t>& pending) {
    const auto* p = reinterpret_cast<const unsigned char*>(rec.data());
    const unsigned char* end = p + rec.size();
    std::uint64_t hsize = 0;
    std::size_t n = varint(p, end, hsize);
    if (n == 0 || hsize > rec.size()) return;
    std::vector<std::uint64_t> types;
    for (const unsigned char* q = p + n; q < p + hsize;) {
      std::uint64_t t = 0;
      const std::size_t m = varint(q, p + hsize, t);
      if (m == 0) return;
      types.push_back(t);
      q += m;
    }
    std::vector<const unsigned char*> at;
    const unsigned char* v = p + hsize;
    for (std::uint64_t t : types) {
      const std::uint64_t size = serial_size(t);
      if (size == ~std::uint64_t{0} || v + size > end) return;
      at.push_back(v);
      v += size;
    }
    if ((types.size() == 7 || types.size() == 9) && rowid == 1 && types[0] == 0 &&
        is_int_type(types[1]) && is_int_type(types[2])) {
      const auto ls = static_cast<std::uint64_t>(int_value(types[1], at[1]));
      // Several versions of the meta page may be seen (main file and WAL): the newest
      // numbering is the highest.
      if (!last_seq || ls > *last_seq) {
        last_seq = ls;
        pending = static_cast<std::uint64_t>(int_value(types[2], at[2]));
      }
      return;
    }
    if (types.size() != 4 || types[0] != 0 || !is_int_type(types[1]) || !is_int_type(types[2]) ||
        types[3] < 12 || rowid == 0) {
      return;
    }
    StoredRecord row;
    row.seq = rowid;
    const std::int64_t channel = int_value(types[1], at[1]);
    if (channel != 0 && channel != 1) return;
    row.channel = static_cast<Channel>(channel);
    row.created_ms = int_value(types[2], at[2]);
    row.payload.assign(reinterpret_cast<const char*>(at[3]), serial_size(types[3]));
    if (found.contains(row.seq)) return;
    if (!payload_matches_seq(row.payload, row.seq)) {
      invalid.insert(row.seq);
      return;
    }
    found.emplace(row.seq, std::move(row));
  }

  const PageImage& img_;
  std::set<std::uint64_t> free_;
};

// Whatever SQLite can still read: the meta row and the outbox rows, skipping ahead over
// errors. A destroyed root page fails every query; then the page scan does the work.
void read_btree(const std::string& path, std::map<std::uint64_t, StoredRecord>& found,
                std::set<std::uint64_t>& invalid, std::optional<std::uint64_t>& last_seq,
                std::optional<std::uint64_t>& pending) {
  sqlite::Db db;
  try {
    db = sqlite::Db::open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  } catch (const std::exception& e) {
    spdlog::debug("salvage '{}': cannot open through SQLite: {}", path, e.what());
    return;
  }
  try {
    sqlite::Stmt meta = db.prepare("SELECT last_seq, pending_count FROM meta WHERE id = 1");
    if (meta.step()) {
      last_seq = static_cast<std::uint64_t>(meta.int64(0));
      pending = static_cast<std::uint64_t>(meta.int64(1));
    }
  } catch (const std::exception& e) {
    spdlog::debug("salvage '{}': meta unreadable: {}", path, e.what());
  }
  sqlite::Stmt rows;
  try {
    rows = db.prepare(
        "SELECT seq, channel, created_ms, payload FROM outbox WHERE seq >= ?1 ORDER BY seq");
  } catch (const std::exception& e) {
    spdlog::debug("salvage '{}': outbox unreadable: {}", path, e.what());
    return;
  }
  std::uint64_t from = 1;
  std::uint64_t skip = 1;
  const std::uint64_t limit = last_seq.value_or(0);
  for (int attempts = 0; attempts < 64; ++attempts) {
    rows.bind(1, static_cast<std::int64_t>(from));
    try {
      while (rows.step()) {
        StoredRecord row;
        row.seq = static_cast<std::uint64_t>(rows.int64(0));
        row.channel = rows.int64(1) == 1 ? Channel::exception : Channel::event;
        row.created_ms = rows.int64(2);
        row.payload = rows.bytes(3);
        from = row.seq + 1;
        skip = 1;
        if (found.contains(row.seq)) continue;
        if (!payload_matches_seq(row.payload, row.seq)) {
          invalid.insert(row.seq);
          continue;
        }
        found.emplace(row.seq, std::move(row));
      }
      rows.reset();
      return;
    } catch (const std::exception& e) {
      rows.reset();
      // Skip ahead over the damaged subtree, further each time; the page scan fills in.
      from += skip;
      skip *= 4;
      if (limit != 0 && from > limit) return;
    }
  }
}

}  // namespace

bool payload_matches_seq(std::string_view payload, std::uint64_t seq) {
  const nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return false;
  for (const char* key : {"dg:gatewaySeq", "gatewaySeq"}) {
    auto it = j.find(key);
    if (it != j.end() && it->is_number_unsigned() && it->get<std::uint64_t>() == seq) return true;
  }
  return false;
}

SalvageResult salvage(const std::string& path) {
  SalvageResult result;
  std::map<std::uint64_t, StoredRecord> found;
  std::set<std::uint64_t> invalid;
  read_btree(path, found, invalid, result.last_seq, result.pending);
  result.from_btree = found.size();
  try {
    PageImage image(path);
    PageScanner(image).run(found, invalid, result.last_seq, result.pending);
  } catch (const std::exception& e) {
    spdlog::warn("salvage '{}': page scan stopped: {}", path, e.what());
  }
  result.from_pages = found.size() - result.from_btree;
  for (const auto& [seq, row] : found) invalid.erase(seq);  // a valid copy was found after all
  result.invalid = invalid.size();
  result.rows.reserve(found.size());
  for (auto& [seq, row] : found) result.rows.push_back(std::move(row));
  return result;
}

}  // namespace dockgate::buffer

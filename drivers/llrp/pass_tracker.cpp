// SPDX-License-Identifier: Apache-2.0
#include "drivers/llrp/pass_tracker.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <limits>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace dockgate::drivers::llrp {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

struct Door {
  std::string location_id;
  bool has_outside = false;
  bool has_inside = false;
};

struct Port {
  std::uint16_t antenna_id = 0;
  std::uint16_t door = 0;
  AntennaRole role = AntennaRole::any;
};

/// Decided once per entry (one decode per pass at most, never per sighting).
enum class Verdict { pass, filtered_scheme, filtered_value, unknown, invalid };

struct Entry;
using Map = std::unordered_map<std::string, Entry>;
using Node = Map::value_type;  // stable address: unordered_map nodes do not move on rehash

struct Entry {
  std::uint16_t door = 0;
  Verdict verdict = Verdict::pass;
  std::vector<std::uint8_t> epc;
  std::size_t epc_bits = 0;
  epc::EpcResult decoded;
  bool active = false;      // a pass is in progress
  bool remembered = false;  // a pass of this EPC at this door was emitted (staged-tag rule)
  std::uint64_t pass_id = 0;
  std::int64_t first_rx = 0;  // receive time (tracker clock) of the pass's first sighting
  std::int64_t last_rx = 0;   // receive time of the last sighting
  // The pass so far.
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  std::uint16_t antenna = 0;
  std::optional<int> peak;
  std::uint64_t reads = 0;
  std::optional<std::int64_t> first_outside;
  std::optional<std::int64_t> first_inside;
  std::list<Node*>::iterator pos;  // in State::active or State::idle
};

struct Start {
  std::int64_t first_rx = 0;
  std::uint64_t pass_id = 0;
  std::string key;
};

}  // namespace

struct PassTracker::State {
  PassSettings s;
  std::vector<Door> doors;
  std::vector<Port> ports;
  Map entries;
  std::list<Node*> active;    // passes in progress, least recently seen first
  std::list<Node*> idle;      // remembered EPCs between passes, oldest pass end first
  std::deque<Start> starts;   // pass starts in order, for max_pass (stale items skipped)
  std::vector<Pass> pending;  // ended, not yet returned
  PassCounters c;
  std::string key;  // scratch, reused so a sighting of a known tag allocates nothing
  std::int64_t clock = std::numeric_limits<std::int64_t>::min();
  std::uint64_t next_pass_id = 1;

  std::int64_t tick(std::int64_t t) {
    // Our clock may step back (NTP); inside the tracker time never goes back.
    clock = std::max(clock, t);
    return clock;
  }

  const Port* port_of(std::uint16_t antenna_id) const {
    for (const Port& p : ports) {
      if (p.antenna_id == antenna_id) return &p;
    }
    return nullptr;
  }

  Verdict judge(const epc::EpcResult& r) const {
    if (!r.ok()) return Verdict::invalid;
    if (r.scheme == "raw" && s.unknown_epc == UnknownEpc::reject) return Verdict::unknown;
    if (!s.schemes.empty() &&
        std::find(s.schemes.begin(), s.schemes.end(), r.scheme) == s.schemes.end()) {
      return Verdict::filtered_scheme;
    }
    // Raw EPCs have no filter value (-1): only the scheme filter applies to them.
    if (!s.filter_values.empty() && r.filter >= 0 &&
        std::find(s.filter_values.begin(), s.filter_values.end(), r.filter) ==
            s.filter_values.end()) {
      return Verdict::filtered_value;
    }
    return Verdict::pass;
  }

  Direction direction(const Entry& e) const {
    const Door& d = doors[e.door];
    if (!d.has_outside || !d.has_inside || !e.first_outside || !e.first_inside) {
      return Direction::none;
    }
    if (*e.first_outside < *e.first_inside) return Direction::inbound;
    if (*e.first_inside < *e.first_outside) return Direction::outbound;
    return Direction::none;  // same instant: no order to read a direction from
  }

  Pass make_pass(const Entry& e, Direction dir) const {
    Pass p;
    if (e.verdict == Verdict::invalid) {
      p.status = PassStatus::invalid_epc;
      p.error = e.decoded.error;
    } else if (e.verdict == Verdict::unknown) {
      p.status = PassStatus::unknown_scheme;
      char header[8];
      std::snprintf(header, sizeof header, "0x%02X", e.epc.empty() ? 0U : e.epc[0]);
      p.error = std::string("unknown EPC header ") + header + " (" + e.decoded.tag_uri + ")";
    }
    p.location_id = doors[e.door].location_id;
    p.epc = e.epc;
    p.epc_bits = e.epc_bits;
    p.decoded = e.decoded;
    p.first_seen_ms = e.first_seen;
    p.last_seen_ms = e.last_seen;
    p.antenna_id = e.antenna;
    p.peak_rssi_dbm = e.peak;
    p.read_count = e.reads;
    p.direction = dir;
    return p;
  }

  /// Erases by iterator: erase(key) would be handed a reference into the node it frees.
  void erase(Node& n) { entries.erase(entries.find(n.first)); }

  /// Ends the pass of `n` under rules 1-2; `forget` erases the entry (eviction).
  void end_pass(Node& n, bool forget) {
    Entry& e = n.second;
    active.erase(e.pos);
    e.active = false;
    const Direction dir = direction(e);
    bool keep = !forget;
    if (e.verdict == Verdict::filtered_scheme) {
      ++c.filtered_scheme;
      keep = false;  // not remembered: nothing was emitted for it
    } else if (e.verdict == Verdict::filtered_value) {
      ++c.filtered_value;
      keep = false;
    } else if (e.remembered && dir == Direction::none) {
      ++c.staged;
    } else {
      pending.push_back(make_pass(e, dir));
      ++c.emitted;
      if (e.verdict != Verdict::pass) ++c.rejected;
      e.remembered = true;
    }
    if (keep && s.stage_hold_ms > 0) {
      idle.push_back(&n);
      e.pos = std::prev(idle.end());
    } else {
      erase(n);
    }
  }

  void start_pass(Node& n, std::int64_t rx) {
    Entry& e = n.second;
    if (e.remembered) {
      idle.erase(e.pos);
      // Unseen at this door for stage_hold: forgotten, even if advance() has not run yet.
      if (rx - e.last_rx >= s.stage_hold_ms) e.remembered = false;
    }
    e.active = true;
    e.pass_id = next_pass_id++;
    e.first_rx = rx;
    e.last_rx = rx;
    e.reads = 0;
    e.peak.reset();
    e.first_outside.reset();
    e.first_inside.reset();
    active.push_back(&n);
    e.pos = std::prev(active.end());
    if (s.max_pass_ms > 0) starts.push_back({rx, e.pass_id, n.first});
  }

  void evict_oldest() {
    Node* a = active.empty() ? nullptr : active.front();
    Node* i = idle.empty() ? nullptr : idle.front();
    if (a == nullptr && i == nullptr) return;
    ++c.evicted;
    if (i != nullptr && (a == nullptr || i->second.last_rx <= a->second.last_rx)) {
      idle.pop_front();
      erase(*i);
    } else {
      end_pass(*a, /*forget=*/true);  // what was read is still emitted
    }
  }

  Node& entry_for(const TagSighting& t, std::uint16_t door) {
    // Key: door (2 bytes), bit count (2 bytes, LLRP EPCData length is 16 bits), EPC bytes.
    key.clear();
    key.push_back(static_cast<char>(door >> 8));
    key.push_back(static_cast<char>(door & 0xFF));
    key.push_back(static_cast<char>((t.epc_bits >> 8) & 0xFF));
    key.push_back(static_cast<char>(t.epc_bits & 0xFF));
    key.append(reinterpret_cast<const char*>(t.epc.data()), t.epc.size());
    auto it = entries.find(key);
    if (it != entries.end()) return *it;
    if (entries.size() >= s.max_tags) evict_oldest();
    Node& n = *entries.try_emplace(key).first;
    Entry& e = n.second;
    e.door = door;
    e.epc = t.epc;
    e.epc_bits = t.epc_bits;
    e.decoded = epc::decode_epc(t.epc, t.epc_bits);
    e.verdict = judge(e.decoded);
    return n;
  }

  std::vector<Pass> take_pending() {
    std::vector<Pass> out = std::move(pending);
    pending.clear();
    std::stable_sort(out.begin(), out.end(), [](const Pass& x, const Pass& y) {
      return x.first_seen_ms < y.first_seen_ms;
    });
    return out;
  }
};

PassTracker::PassTracker(PassSettings settings) : state_(std::make_unique<State>()) {
  if (std::string err = validate(settings); !err.empty()) throw std::invalid_argument(err);
  State& st = *state_;
  st.s = std::move(settings);
  if (st.s.antennas.empty()) st.doors.push_back({st.s.default_location});
  for (const AntennaPlace& a : st.s.antennas) {
    auto d = std::find_if(st.doors.begin(), st.doors.end(),
                          [&](const Door& x) { return x.location_id == a.location_id; });
    if (d == st.doors.end()) d = st.doors.insert(st.doors.end(), Door{a.location_id});
    d->has_outside |= a.role == AntennaRole::outside;
    d->has_inside |= a.role == AntennaRole::inside;
    st.ports.push_back({a.antenna_id, static_cast<std::uint16_t>(d - st.doors.begin()), a.role});
  }
}

PassTracker::~PassTracker() = default;

void PassTracker::on_sighting(const TagSighting& t, std::int64_t received_ms) {
  State& st = *state_;
  const std::int64_t rx = st.tick(received_ms);
  Port any_port;  // empty map: every antenna at the default location (door 0), role any
  const Port* port = &any_port;
  if (!st.ports.empty()) {
    port = st.port_of(t.antenna_id);
    if (port == nullptr) {
      ++st.c.ignored_antenna;
      return;
    }
  }
  // A sighting without PeakRSSI cannot be judged against the floor: it is kept.
  if (st.s.rssi_min_dbm && t.peak_rssi_dbm && *t.peak_rssi_dbm < *st.s.rssi_min_dbm) {
    ++st.c.below_rssi;
    return;
  }
  Node* n = &st.entry_for(t, port->door);
  if (n->second.active && (rx - n->second.last_rx >= st.s.pass_gap_ms ||
                           (st.s.max_pass_ms > 0 && rx - n->second.first_rx >= st.s.max_pass_ms))) {
    // advance() was late: end the old pass here so gaps and max_pass stay exact.
    st.end_pass(*n, false);
    n = &st.entry_for(t, port->door);  // end_pass may have erased it
  }
  Entry& e = n->second;
  if (!e.active) {
    st.start_pass(*n, rx);
    e.antenna = t.antenna_id;
  }
  const std::int64_t first = t.first_seen_ms != 0 ? t.first_seen_ms : received_ms;
  const std::int64_t last = std::max(first, t.last_seen_ms != 0 ? t.last_seen_ms : first);
  if (e.reads == 0) {
    e.first_seen = first;
    e.last_seen = last;
  } else {
    e.first_seen = std::min(e.first_seen, first);
    e.last_seen = std::max(e.last_seen, last);
  }
  if (t.peak_rssi_dbm && (!e.peak || *t.peak_rssi_dbm > *e.peak)) {
    e.peak = t.peak_rssi_dbm;
    e.antenna = t.antenna_id;
  }
  e.reads += std::max<std::uint32_t>(t.seen_count, 1);
  if (port->role == AntennaRole::outside) {
    e.first_outside = std::min(e.first_outside.value_or(first), first);
  } else if (port->role == AntennaRole::inside) {
    e.first_inside = std::min(e.first_inside.value_or(first), first);
  }
  e.last_rx = rx;
  st.active.splice(st.active.end(), st.active, e.pos);
}

std::vector<Pass> PassTracker::advance(std::int64_t now_ms) {
  State& st = *state_;
  const std::int64_t now = st.tick(now_ms);
  while (!st.active.empty() && now - st.active.front()->second.last_rx >= st.s.pass_gap_ms) {
    st.end_pass(*st.active.front(), false);
  }
  while (!st.starts.empty() && now - st.starts.front().first_rx >= st.s.max_pass_ms) {
    const Start start = std::move(st.starts.front());
    st.starts.pop_front();
    auto it = st.entries.find(start.key);
    if (it != st.entries.end() && it->second.active && it->second.pass_id == start.pass_id) {
      st.end_pass(*it, false);
    }
  }
  // Starts of passes that ended by their gap are stale: drop them from the front so
  // next_deadline() does not wake the driver for nothing.
  while (!st.starts.empty()) {
    auto it = st.entries.find(st.starts.front().key);
    if (it != st.entries.end() && it->second.active &&
        it->second.pass_id == st.starts.front().pass_id) {
      break;
    }
    st.starts.pop_front();
  }
  while (!st.idle.empty() && now - st.idle.front()->second.last_rx >= st.s.stage_hold_ms) {
    Node* n = st.idle.front();
    st.idle.pop_front();
    st.erase(*n);
  }
  return st.take_pending();
}

std::vector<Pass> PassTracker::flush() {
  State& st = *state_;
  while (!st.active.empty()) st.end_pass(*st.active.front(), false);
  st.starts.clear();
  return st.take_pending();
}

std::int64_t PassTracker::next_deadline() const {
  const State& st = *state_;
  if (!st.pending.empty()) return st.clock;  // passes ended by eviction wait to be taken
  std::int64_t d = kNever;
  if (!st.active.empty()) d = st.active.front()->second.last_rx + st.s.pass_gap_ms;
  if (!st.starts.empty()) d = std::min(d, st.starts.front().first_rx + st.s.max_pass_ms);
  if (!st.idle.empty()) d = std::min(d, st.idle.front()->second.last_rx + st.s.stage_hold_ms);
  return d;
}

PassCounters PassTracker::counters() const {
  return state_->c;
}

std::size_t PassTracker::tracked() const {
  return state_->entries.size();
}

}  // namespace dockgate::drivers::llrp

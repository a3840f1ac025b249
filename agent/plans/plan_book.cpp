// SPDX-License-Identifier: Apache-2.0
#include "agent/plans/plan_book.hpp"

#include <algorithm>
#include <utility>

namespace dockgate::plans {
namespace {

template <typename Map>
void drop_from(Map& map, const std::string& key, const HeldPlan* plan) {
  auto it = map.find(key);
  if (it == map.end()) return;
  std::erase(it->second, plan);
  if (it->second.empty()) map.erase(it);
}

}  // namespace

std::optional<std::uint64_t> sscc_number(std::string_view sscc) {
  if (sscc.size() != 18) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : sscc) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

std::string sscc_text(std::uint64_t number) {
  std::string s(18, '0');
  for (std::size_t i = 18; i-- > 0 && number != 0; number /= 10) {
    s[i] = static_cast<char>('0' + number % 10);
  }
  return s;
}

PlanBook::Put PlanBook::put(DockPlan plan, std::string source, std::int64_t received_ms) {
  auto it = plans_.find(plan.plan_id);
  Put result = Put::added;
  if (it != plans_.end()) {
    if (plan.revision <= it->second.plan.revision) return Put::stale;
    index_remove(it->second);
    plans_.erase(it);
    result = Put::replaced;
  }
  HeldPlan held;
  held.ssccs.reserve(plan.ssccs.size());
  for (const auto& s : plan.ssccs) {
    if (auto n = sscc_number(s)) held.ssccs.push_back(*n);
  }
  std::sort(held.ssccs.begin(), held.ssccs.end());
  plan.ssccs.clear();
  plan.ssccs.shrink_to_fit();
  held.plan = std::move(plan);
  held.source = std::move(source);
  held.received_ms = received_ms;
  const std::string id = held.plan.plan_id;
  auto [pos, inserted] = plans_.emplace(id, std::move(held));
  index_add(pos->second);
  return result;
}

bool PlanBook::cancel(const std::string& plan_id, std::uint32_t revision) {
  auto it = plans_.find(plan_id);
  if (it == plans_.end() || revision < it->second.plan.revision) return false;
  erase(plan_id);
  return true;
}

void PlanBook::erase(const std::string& plan_id) {
  auto it = plans_.find(plan_id);
  if (it == plans_.end()) return;
  index_remove(it->second);
  plans_.erase(it);
}

const HeldPlan* PlanBook::find(const std::string& plan_id) const {
  auto it = plans_.find(plan_id);
  return it == plans_.end() ? nullptr : &it->second;
}

void PlanBook::sort_index() const {
  if (!unsorted_) return;
  std::sort(sscc_index_.begin(), sscc_index_.end(),
            [](const SsccEntry& a, const SsccEntry& b) { return a.sscc < b.sscc; });
  unsorted_ = false;
}

std::vector<const HeldPlan*> PlanBook::with_sscc(std::uint64_t sscc) const {
  sort_index();
  std::vector<const HeldPlan*> out;
  auto it = std::lower_bound(sscc_index_.begin(), sscc_index_.end(), sscc,
                             [](const SsccEntry& e, std::uint64_t v) { return e.sscc < v; });
  for (; it != sscc_index_.end() && it->sscc == sscc; ++it) out.push_back(it->plan);
  return out;
}

std::vector<const HeldPlan*> PlanBook::with_gtin(const std::string& gtin) const {
  auto it = by_gtin_.find(gtin);
  return it == by_gtin_.end() ? std::vector<const HeldPlan*>{} : it->second;
}

std::vector<const HeldPlan*> PlanBook::at_door(const std::string& door) const {
  auto it = by_door_.find(door);
  return it == by_door_.end() ? std::vector<const HeldPlan*>{} : it->second;
}

void PlanBook::index_add(const HeldPlan& held) {
  for (std::uint64_t s : held.ssccs) sscc_index_.push_back({s, &held});
  if (!held.ssccs.empty()) unsorted_ = true;
  for (const auto& line : held.plan.lines) by_gtin_[line.gtin].push_back(&held);
  gtin_count_ += held.plan.lines.size();
  for (const auto& door : held.plan.doors) by_door_[door].push_back(&held);
}

void PlanBook::index_remove(const HeldPlan& held) {
  std::erase_if(sscc_index_, [&](const SsccEntry& e) { return e.plan == &held; });
  for (const auto& line : held.plan.lines) drop_from(by_gtin_, line.gtin, &held);
  gtin_count_ -= held.plan.lines.size();
  for (const auto& door : held.plan.doors) drop_from(by_door_, door, &held);
}

}  // namespace dockgate::plans

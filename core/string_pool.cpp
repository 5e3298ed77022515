#include "string_pool.h"

#include <functional>

namespace hfrec {

uint64_t StringPool::hash(std::string_view s) {
  uint64_t h = std::hash<std::string_view>{}(s);
  return h ^ (h >> 29);  // the low bits pick the slot: mix the high ones in
}

void StringPool::grow() {
  size_t cap = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(cap, 0);
  const size_t mask = cap - 1;
  for (uint32_t id = 0; id < strings_.size(); ++id) {
    size_t i = hashes_[id] & mask;
    while (slots_[i]) i = (i + 1) & mask;
    slots_[i] = id + 1;
  }
}

uint32_t StringPool::find(std::string_view s) const {
  if (slots_.empty()) return kMissing;
  const uint64_t h = hash(s);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask; slots_[i]; i = (i + 1) & mask) {
    uint32_t id = slots_[i] - 1;
    if (hashes_[id] == h && strings_[id] == s) return id;
  }
  return kMissing;
}

uint32_t StringPool::intern(std::string_view s) { return intern(s, nullptr); }

uint32_t StringPool::intern(std::string_view s, bool* added) {
  if (added) *added = false;
  if ((strings_.size() + 1) * 2 > slots_.size()) grow();
  const uint64_t h = hash(s);
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (; slots_[i]; i = (i + 1) & mask) {
    uint32_t id = slots_[i] - 1;
    if (hashes_[id] == h && strings_[id] == s) return id;
  }
  auto id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  hashes_.push_back(h);
  slots_[i] = id + 1;
  if (added) *added = true;
  return id;
}

}  // namespace hfrec

// StringPool: chunked storage and a flat open-addressing table from bytes to dense ids
// (string_pool.h).
#include "string_pool.h"

#include <cstring>

#include "text.h"

namespace hfrec {

void StringPool::grow() {
  size_t cap = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(cap, 0);
  const size_t mask = cap - 1;
  for (uint32_t id = 0; id < ptr_.size(); ++id) {
    size_t i = hashes_[id] & mask;
    while (slots_[i]) i = (i + 1) & mask;
    slots_[i] = id + 1;
  }
}

const char* StringPool::store(std::string_view s) {
  constexpr size_t kChunk = 1 << 20;
  if (s.size() > chunk_left_) {
    if (s.size() >= kChunk / 4) {  // a long string gets a chunk of its own
      chunks_.push_back(std::make_unique<char[]>(s.size() + 1));
      std::memcpy(chunks_.back().get(), s.data(), s.size());
      return chunks_.back().get();
    }
    chunks_.push_back(std::make_unique<char[]>(kChunk));
    chunk_at_ = chunks_.back().get();
    chunk_left_ = kChunk;
  }
  char* p = chunk_at_;
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  chunk_at_ += s.size();
  chunk_left_ -= s.size();
  return p;
}

void StringPool::reserve(size_t n) {
  ptr_.reserve(n);
  len_.reserve(n);
  hashes_.reserve(n);
  while ((n + 1) * 2 > slots_.size()) grow();
}

uint32_t StringPool::find_bytes(const char* p, size_t n) const {
  const std::string_view s(p, n);
  if (slots_.empty()) return kMissing;
  const uint64_t h = hash_text(s);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask; slots_[i]; i = (i + 1) & mask) {
    uint32_t id = slots_[i] - 1;
    if (hashes_[id] == h && len_[id] == n && bytes_equal(ptr_[id], p, n)) return id;
  }
  return kMissing;
}

uint32_t StringPool::intern_bytes(const char* p, size_t n, bool* added) {
  const std::string_view s(p, n);
  if (added) *added = false;
  if ((ptr_.size() + 1) * 2 > slots_.size()) grow();
  const uint64_t h = hash_text(s);
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (; slots_[i]; i = (i + 1) & mask) {
    uint32_t id = slots_[i] - 1;
    if (hashes_[id] == h && len_[id] == n && bytes_equal(ptr_[id], p, n)) return id;
  }
  auto id = static_cast<uint32_t>(ptr_.size());
  ptr_.push_back(store(s));
  len_.push_back(static_cast<uint32_t>(s.size()));
  hashes_.push_back(h);
  slots_[i] = id + 1;
  if (added) *added = true;
  return id;
}

}  // namespace hfrec

// StringPool: chunked storage and a flat open-addressing table from bytes to dense ids
// (string_pool.h).
#include "string_pool.h"

#include <cstring>

#include "text.h"

namespace hfrec {

namespace {

// The slot of an id whose hash is h in a table of mask + 1 slots: the hash's top bits over id + 1.
uint32_t slot_of(uint64_t h, uint32_t id, size_t mask) {
  return (static_cast<uint32_t>(h >> 32) & ~static_cast<uint32_t>(mask)) | (id + 1);
}

// Whether a full slot may hold the id of a string whose hash is h: its hash bits agree.
bool tag_matches(uint32_t slot, uint64_t h, size_t mask) {
  return ((slot ^ static_cast<uint32_t>(h >> 32)) & ~static_cast<uint32_t>(mask)) == 0;
}

}  // namespace

void StringPool::place(std::vector<uint32_t>& t, uint64_t h, uint32_t id) {
  const size_t mask = t.size() - 1;
  size_t i = h & mask;
  while (t[i]) i = (i + 1) & mask;
  t[i] = slot_of(h, id, mask);
}

void StringPool::rehash(size_t cap) {
  std::vector<uint32_t>().swap(next_);
  move_.reset();
  slots_.assign(cap, 0);
  for (uint32_t id = 0; id < size(); ++id) place(slots_, hash_text(str(id)), id);
}

void StringPool::grow_piece() {
  move_.piece([&](size_t n) { return zero_piece(next_, 2 * slots_.size(), n); }, size(), 16,
              [&](size_t id) { place(next_, hash_text(str(static_cast<uint32_t>(id))), static_cast<uint32_t>(id)); },
              [&] {
                slots_.swap(next_);
                std::vector<uint32_t>().swap(next_);
              });
}

const char* StringPool::store(std::string_view s) {
  constexpr size_t kChunk = 1 << 20;
  if (s.size() > chunk_left_) {
    if (s.size() >= kChunk / 4) {  // a long string gets a chunk of its own
      chunks_.emplace_back(new char[s.size() + 1]);
      std::memcpy(chunks_.back().get(), s.data(), s.size());
      return chunks_.back().get();
    }
    // Not make_unique, which zeroes the megabyte first (new char[] leaves it as it is).
    chunks_.emplace_back(new char[kChunk]);
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
  bytes_.reserve(n);
  const size_t cap = TableMove::slots_for(n, slots_.empty() ? 1024 : slots_.size());
  if (cap != slots_.size()) rehash(cap);
}

uint32_t StringPool::find_bytes(const char* p, size_t n) const {
  const std::string_view s(p, n);
  if (slots_.empty()) return kMissing;
  const uint64_t h = hash_text(s);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask; slots_[i]; i = (i + 1) & mask) {
    if (!tag_matches(slots_[i], h, mask)) continue;
    const uint32_t id = (slots_[i] & static_cast<uint32_t>(mask)) - 1;
    const Bytes& b = bytes_[id];
    if (b.n == n && bytes_equal(b.p, p, n)) return id;
  }
  return kMissing;
}

uint32_t StringPool::intern_bytes(const char* p, size_t n, bool* added) {
  const std::string_view s(p, n);
  if (added) *added = false;
  if (slots_.empty()) rehash(1024);
  const uint64_t h = hash_text(s);
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (; slots_[i]; i = (i + 1) & mask) {
    if (!tag_matches(slots_[i], h, mask)) continue;
    const uint32_t id = (slots_[i] & static_cast<uint32_t>(mask)) - 1;
    const Bytes& b = bytes_[id];
    if (b.n == n && bytes_equal(b.p, p, n)) return id;
  }
  auto id = static_cast<uint32_t>(size());
  bytes_.push_back({store(s), static_cast<uint32_t>(s.size())});
  slots_[i] = slot_of(h, id, mask);
  if (move_.moving()) place(next_, h, id);  // past the move's end: it goes in by hand
  if (added) *added = true;
  TableMove::added(size(), slots_, [&] { grow_piece(); });
  return id;
}

}  // namespace hfrec

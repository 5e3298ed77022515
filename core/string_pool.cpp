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
  moving_ = false;
  move_end_ = moved_ = 0;
  slots_.assign(cap, 0);
  for (uint32_t id = 0; id < ptr_.size(); ++id) place(slots_, hash_text(str(id)), id);
}

// From 3/8 full to 1/2 a table of c slots takes c / 8 new ids. Zeroing the next table's 2c slots
// 64 at a time takes c / 32 of them, placing the ids then there (about 13c / 32) 16 at a time
// another 13c / 512: the move ends a little before halfway. Should it not end by 1/2, it ends at
// once there (slots_ must never fill further).
void StringPool::grow_piece() {
  constexpr size_t kZeroPiece = 64, kMovePiece = 16;
  if (!moving_) {
    const size_t target = 2 * slots_.size();
    next_.reserve(target);
    next_.resize(std::min(target, next_.size() + kZeroPiece), 0);
    if (next_.size() < target) return;
    moving_ = true;
    move_end_ = static_cast<uint32_t>(ptr_.size());
    moved_ = 0;
  }
  const uint32_t end = std::min<uint32_t>(move_end_, moved_ + kMovePiece);
  for (; moved_ < end; ++moved_) place(next_, hash_text(str(moved_)), moved_);
  if (moved_ < move_end_) return;
  slots_.swap(next_);
  std::vector<uint32_t>().swap(next_);
  moving_ = false;
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
  size_t cap = slots_.empty() ? 1024 : slots_.size();
  while ((n + 1) * 2 > cap) cap *= 2;
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
    if (len_[id] == n && bytes_equal(ptr_[id], p, n)) return id;
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
    if (len_[id] == n && bytes_equal(ptr_[id], p, n)) return id;
  }
  auto id = static_cast<uint32_t>(ptr_.size());
  ptr_.push_back(store(s));
  len_.push_back(static_cast<uint32_t>(s.size()));
  slots_[i] = slot_of(h, id, mask);
  if (moving_) place(next_, h, id);
  if (added) *added = true;
  // Past 3/8 full the next table is built a piece at a time; at 1/2 it must be done.
  if (ptr_.size() * 8 >= slots_.size() * 3) {
    grow_piece();
    while (ptr_.size() * 2 >= slots_.size()) grow_piece();
  }
  return id;
}

}  // namespace hfrec

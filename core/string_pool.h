// StringPool: interns strings into dense ids; a flat open-addressing table keeps lookups to one or
// two cache misses, which matters when a million model ids and tags are interned while loading.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "table_move.h"

namespace hfrec {

inline constexpr uint32_t kMissing = 0xFFFFFFFFu;

// An array that grows a block of 4,096 elements at a time and never moves them: a vector of a few
// million ids grows by copying itself whole, in one step (2M ids: 75 ms of the hybrid model's build
// at 1M rows).
template <class T>
class BlockArray {
 public:
  const T& operator[](size_t i) const { return blocks_[i >> kBits][i & kMask]; }
  size_t size() const { return size_; }
  void push_back(const T& v) {
    if ((size_ >> kBits) == blocks_.size()) blocks_.emplace_back(new T[kMask + 1]);
    blocks_[size_ >> kBits][size_ & kMask] = v;
    ++size_;
  }
  void reserve(size_t n) { blocks_.reserve((n >> kBits) + 1); }

 private:
  static constexpr unsigned kBits = 12;
  static constexpr size_t kMask = (size_t(1) << kBits) - 1;
  std::vector<std::unique_ptr<T[]>> blocks_;
  size_t size_ = 0;
};

class StringPool {
 public:
  // The id of s, adding it when new; ids are dense from 0 in order of first intern.
  uint32_t intern(std::string_view s) { return intern_bytes(s.data(), s.size(), nullptr); }
  // The same; *added tells whether s was new.
  uint32_t intern(std::string_view s, bool* added) { return intern_bytes(s.data(), s.size(), added); }
  // The id of s, or kMissing when it was never interned.
  uint32_t find(std::string_view s) const { return find_bytes(s.data(), s.size()); }
  // The string of an id; the view stays valid while the pool lives (its bytes never move).
  std::string_view str(uint32_t id) const {
    const Bytes& b = bytes_[id];
    return std::string_view(b.p, b.n);
  }
  size_t size() const { return bytes_.size(); }
  // Room for n ids without regrowing (a load that can estimate its rows from the file's size).
  void reserve(size_t n);

 private:
  // Pointer and length, not a string_view: WebAssembly passes a string_view argument through
  // memory (see text.h), and these run for every cell of a load.
  uint32_t intern_bytes(const char* p, size_t n, bool* added);
  uint32_t find_bytes(const char* p, size_t n) const;
  void rehash(size_t cap);
  // Places id (its hash h) in the table t; the caller knows it is not there.
  static void place(std::vector<uint32_t>& t, uint64_t h, uint32_t id);
  // A piece of the move to the next table (next_; table_move.h).
  void grow_piece();
  // The bytes live in chunks that are never reallocated, so views stay valid; no heap block per
  // string (a million model ids are a million fewer allocations, which WebAssembly feels most).
  const char* store(std::string_view s);
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_left_ = 0;
  char* chunk_at_ = nullptr;
  struct Bytes {
    const char* p;
    uint32_t n;
  };
  BlockArray<Bytes> bytes_;  // per id: one look-up finds both
  // Power-of-two size, at most half full. A slot is 0 when empty, else id + 1 in its low bits
  // (id + 1 stays below the size) and, above them, the top bits of the id's hash: they turn away
  // almost every other string without reading it. No hash is kept per id (8 bytes, 16 MB at 2M
  // ids): a move to a larger table computes them again from the strings.
  std::vector<uint32_t> slots_;
  // The next table, twice the size, built a piece at each new id while slots_ fills from 3/8 to
  // 1/2 (table_move.h): the ids below the move's end are placed in it from their strings, and ids
  // added while it runs go into both tables.
  std::vector<uint32_t> next_;
  TableMove move_;
};

}  // namespace hfrec

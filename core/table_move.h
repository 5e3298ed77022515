// TableMove: how an open-addressing hash table (StringPool's ids, the hybrid builder's short keys)
// moves into one twice its size without a long step. From 3/8 full, each new entry does a piece of
// the move: first the next table is zeroed, 64 slots a piece, then the entries are placed in it, a
// few a piece; lookups use the old table until the next one replaces it, and entries added while
// the move runs go where the table says (see moving() and moved()). Should the move not be done at
// 1/2 full, it ends at once there: the table must never fill further. Moved all at once, 4M ids
// into 8M slots took one 215 ms step of the hybrid model's build at 1M rows.
//
// From 3/8 full to 1/2, a table of c slots takes c / 8 new entries. Zeroing the next table's 2c
// slots takes c / 32 of them and placing m items k a piece m / k more, so the move ends in time
// when m / k < 3c / 32: StringPool places its ids (about 13c / 32) 16 a piece, c ids / 39; the
// short-key table goes over its c slots 32 a piece, c / 32.
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

namespace hfrec {

class TableMove {
 public:
  static constexpr size_t kZeroPiece = 64;

  // The fewest slots, a power of two from `slots`, that hold n entries below 3/8 full (where a
  // move would start).
  static size_t slots_for(size_t n, size_t slots) {
    while ((n + 1) * 8 > slots * 3) slots *= 2;
    return slots;
  }

  // After an entry was added to `table` (a vector of slots), now holding `entries`: the pieces of
  // the move that are due (piece() runs one; see TableMove::piece).
  template <class Table, class Piece>
  static void added(size_t entries, const Table& table, Piece&& piece) {
    if (entries * 8 < table.size() * 3) return;
    piece();
    while (entries * 2 >= table.size()) piece();
  }

  // One piece of the move: zero(n) zeroes up to n more slots of the next table and tells whether
  // it is whole; then place(i) places item i of [0, items) in it (items: the entries, or the old
  // table's slots, as the zeroing ends), per_piece at a time; last swap() makes it the table.
  template <class Zero, class Place, class Swap>
  void piece(Zero&& zero, size_t items, size_t per_piece, Place&& place, Swap&& swap) {
    if (!moving_) {
      if (!zero(kZeroPiece)) return;
      moving_ = true;
      end_ = items;
      moved_ = 0;
    }
    for (const size_t e = std::min(end_, moved_ + per_piece); moved_ < e; ++moved_) place(moved_);
    if (moved_ < end_) return;
    swap();
    moving_ = false;
  }

  // Whether the next table is zeroed and items are being placed in it; items below moved() are.
  bool moving() const { return moving_; }
  size_t moved() const { return moved_; }
  void reset() { *this = TableMove(); }

 private:
  size_t end_ = 0, moved_ = 0;
  bool moving_ = false;
};

// Zeroes up to n more slots of next, a table growing to `target` slots; true once it has them all.
template <class T>
bool zero_piece(std::vector<T>& next, size_t target, size_t n) {
  next.reserve(target);
  next.resize(std::min(target, next.size() + n), T{});
  return next.size() == target;
}

}  // namespace hfrec

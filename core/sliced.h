// Building blocks of work done in slices (the feature-space builders): batch loops that look at the
// clock between batches, a merge sort that stops and resumes anywhere, a refinement of a sort of
// strings by their next bytes, the phase loop the builders share, and the definitions of
// SlicedBuilder's forwarding (job.h). Included by core .cpp files only.
//
// [SECTION] Batches and growth: Batch, batches(), release(), room_for(), extend_in_pieces(), grow(), trim()
// [SECTION] SlicedSort: a merge sort in slices
// [SECTION] SlicedRefine: strings sorted by a part at a time
// [SECTION] Builders: finish(), build_in_tie_order(), run_phases(), progress, SlicedBuilder's forwarding
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "job.h"

namespace hfrec {

// [SECTION] Batches and growth

// Work between two looks at the clock: small enough for a slice well under a frame (a million
// rows take a few hundred batches), large enough that reading the clock costs nothing. Work units
// (SliceTimer): a row is one, a flat array element a 16th, so a batch of either is 1024 units.
struct Batch {
  uint64_t size;      // elements per batch
  uint64_t per_unit;  // elements per work unit
};
inline constexpr Batch kRowBatch{1024, 1};     // catalogue rows, groups or terms
inline constexpr Batch kFlatBatch{16384, 16};  // flat array elements

inline uint64_t units(uint64_t elements, uint64_t per_unit) { return (elements + per_unit - 1) / per_unit; }

// Runs body(begin, end) over [pos, n) in batches until done or the timer expires; true when done
// with time left (a last batch that ran the timer out reports done at the next call, so the caller
// does no more work in this step).
template <class F>
bool batches(uint64_t& pos, uint64_t n, Batch batch, const SliceTimer& timer, F&& body) {
  while (pos < n) {
    const uint64_t end = std::min(n, pos + batch.size);
    body(pos, end);
    timer.charge(units(end - pos, batch.per_unit));
    pos = end;
    if (timer.expired()) return false;
  }
  return true;
}

// Frees vectors' memory now (clear() keeps the capacity).
template <class... T>
void release(std::vector<T>&... v) {
  (std::vector<T>().swap(v), ...);
}

// The capacity to give a vector of `size` elements (capacity `cap`) that needs room for `more`,
// filled as rows [0, total) are read, `done` of them so far. Doubling would leave up to half of
// a large array unused and hold both copies while it moves; a quarter at a time moves the array
// about four times over, each time into fresh pages (at 2M rows that was half of the soup's
// tokenizing). So: twice the capacity for the first kEstimateRows rows; then the room for all
// rows estimated from those read, a fifth over (estimated again should it run out); at least a
// quarter more.
inline constexpr uint64_t kEstimateRows = 4096;
inline uint64_t room_for(uint64_t size, uint64_t cap, uint64_t more, uint64_t done, uint64_t total) {
  const uint64_t need = size + more;
  if (need <= cap) return cap;
  if (done < kEstimateRows) return std::max(need, 2 * cap);
  const uint64_t est = size / done * total + size % done * total / done;  // size * total / done
  return std::max({need, cap + cap / 4, est + est / 5});
}

// Gives the vector v room_for `more` elements at its end.
template <class Vector>
void reserve_room(Vector& v, uint64_t more, uint64_t done, uint64_t total) {
  v.reserve(room_for(v.size(), v.capacity(), more, done, total));
}

// Extends v to n elements in pieces, each by extend(v, to) (v to `to` elements); true when done
// with time left, as batches(). An element is a 256th of a work unit. A piece writes at most 1 MB:
// first touches of fresh pages cost about 4 ms a MB on this project's machines (262,144 of the
// fuzzy union's 24-byte entries, the earlier piece, took 23-28 ms), and at most 262,144 elements
// (1,024 work units: a piece of bytes).
// v: a vector or a string.
template <class C, class Extend>
bool extend_in_pieces(C& v, uint64_t n, const SliceTimer& timer, Extend&& extend) {
  using T = typename C::value_type;
  constexpr uint64_t kPiece = std::clamp<uint64_t>((uint64_t(1) << 20) / sizeof(T), 1, uint64_t(1) << 18);
  if (v.capacity() < n) v.reserve(n);
  while (v.size() < n) {
    const uint64_t from = v.size(), to = std::min<uint64_t>(n, from + kPiece);
    extend(v, to);
    timer.charge(units(to - from, 256));
    if (timer.expired()) return false;
  }
  return true;
}

// Grows v to n elements of `value` in slices (a large value-initialisation touches many fresh
// pages and would be one long step); true when done with time left.
template <class C>
bool grow(C& v, uint64_t n, const typename C::value_type& value, const SliceTimer& timer) {
  return extend_in_pieces(v, n, timer, [&](C& w, uint64_t to) { w.resize(to, value); });
}

// Trims v's spare capacity as shrink_to_fit does (a copy into an array of its size), in slices,
// through `copy` (empty at first; kept between calls); true when done with time left.
template <class T>
bool trim(std::vector<T>& v, std::vector<T>& copy, const SliceTimer& timer) {
  if (v.capacity() == v.size()) return true;
  if (!extend_in_pieces(copy, v.size(), timer, [&](std::vector<T>& c, uint64_t to) {
        c.insert(c.end(), v.begin() + static_cast<std::ptrdiff_t>(c.size()),
                 v.begin() + static_cast<std::ptrdiff_t>(to));
      }))
    return false;
  v.swap(copy);
  release(copy);
  return true;
}

// [SECTION] SlicedSort

// Bottom-up merge sort in slices: runs of kRun sorted with std::sort, then passes of stable
// merges that stop and resume anywhere inside a merge (Knuth, TAOCP vol. 3, 5.2.4, "straight
// two-way merge"). With a strict total order (unique keys) the result equals std::sort's; with
// ties, equal items keep no particular order (the runs are sorted unstably).
template <class Less, class T = uint32_t, uint64_t Run = 512>
class SlicedSort {
 public:
  SlicedSort(std::vector<T> items, Less less) : a_(std::move(items)), less_(less), n_(a_.size()) {
    for (uint64_t w = kRun; w < n_; w *= 2) ++passes_;
  }
  // Sorts until the timer expires; true when sorted.
  bool step(const SliceTimer& timer) {
    while (run_lo_ < n_) {
      const uint64_t hi = std::min(n_, run_lo_ + kRun);
      std::sort(a_.begin() + static_cast<long>(run_lo_), a_.begin() + static_cast<long>(hi), less_);
      timer.charge(units((hi - run_lo_) * kRunLevels, kFlatBatch.per_unit));  // log2(kRun) compares per element
      run_lo_ = hi;
      if (timer.expired()) return done();
    }
    while (width_ < n_) {
      if (!grow(b_, n_, T{}, timer)) return false;
      const uint64_t mid = std::min(n_, lo_ + width_), hi = std::min(n_, lo_ + 2 * width_);
      if (!in_merge_) {
        i_ = lo_;
        j_ = mid;
        out_ = lo_;
        in_merge_ = true;
      }
      const uint64_t limit = std::min(hi, out_ + kFlatBatch.size);
      uint64_t i = i_, j = j_, out = out_;
      while (out < limit) {
        if (i < mid && (j >= hi || !less_(a_[j], a_[i]))) b_[out++] = a_[i++];
        else b_[out++] = a_[j++];
      }
      timer.charge(units(out - out_, kFlatBatch.per_unit));
      i_ = i;
      j_ = j;
      out_ = out;
      if (out == hi) {
        in_merge_ = false;
        lo_ = hi;
        if (lo_ >= n_) {  // pass complete
          a_.swap(b_);
          width_ *= 2;
          lo_ = out_ = 0;
          ++passes_done_;
        }
      }
      if (timer.expired()) return done();
    }
    return done();
  }
  // Fraction done in [0, 1], monotone.
  double progress() const {
    if (n_ == 0 || done()) return 1.0;
    const double sorted = static_cast<double>(run_lo_) / static_cast<double>(n_);
    if (passes_ == 0) return sorted;
    const double merged = (static_cast<double>(passes_done_) + static_cast<double>(out_) / static_cast<double>(n_)) /
                          static_cast<double>(passes_);
    // Sorting runs of 512 costs about 9 of ~20 merge levels (a million items): the runs' share.
    constexpr double runs = kRunLevels / 22.0;
    return runs * sorted + (1 - runs) * merged;
  }
  // The sorted items (once, after step() returned true).
  std::vector<T> take() {
    release(b_);
    return std::move(a_);
  }

  static constexpr uint64_t kRun = Run;  // items per run sorted by std::sort (a power of two)
  static constexpr uint64_t kRunLevels = std::bit_width(Run) - 1;

 private:
  bool done() const { return run_lo_ >= n_ && width_ >= n_; }
  std::vector<T> a_, b_;
  Less less_;
  uint64_t n_;
  uint64_t passes_ = 0, passes_done_ = 0;
  uint64_t run_lo_ = 0;  // runs before this are sorted
  uint64_t width_ = kRun, lo_ = 0, i_ = 0, j_ = 0, out_ = 0;
  bool in_merge_ = false;
};

// [SECTION] SlicedRefine

// Sorting strings by a part of them at a time, in slices (multikey sorting's idea: Bentley and
// Sedgewick, "Fast algorithms for sorting and searching strings", 1997). The items come sorted by
// Ops's order, whose key holds only a part of each string (kPart bytes at some depth, as integers
// that compare as the bytes do, zero-padded), then the string's length: no comparison reads text.
// Every run of items tied on that part whose longest string (its last item) goes past it is given
// the next part (Ops::rekey) and sorted again, and so on. Each level reads each such string once,
// where a comparison sort falling back to whole strings read two per comparison (a cache miss each
// at a million rows).
// - The first level's runs are found a batch at a time. Runs of up to kInline items are sorted
//   whole, as many in a piece as kInline items; a longer run is re-keyed and copied in batches and
//   sorted by a SlicedSort.
// - Runs of up to kDirect items are sorted by their strings from the run's depth (Ops::text), with
//   no further levels: each string is read into the cache by its first comparison, as re-keying
//   would. Equal strings fall to Ops's order (their parts and lengths are equal: its tie-break).
// - progress() follows the first level's scan only.
// Ops: operator()(a, b) the order; tied(a, b) equal in all but the part's length and what follows;
// length(a) the string's bytes (from the key: no text read); rekey(a, depth) the part at depth;
// text(a) the string; kPart the part's bytes.
template <class T, class Ops, uint64_t Run>
class SlicedRefine {
 public:
  // items: sorted by ops at depth 0; refined in place (it must outlive this).
  SlicedRefine(std::vector<T>& items, Ops ops) : a_(items), ops_(ops) { scan_.end = a_.size(); }
  // Refines until the timer expires; true when done.
  bool step(const SliceTimer& timer) {
    for (;;) {
      if (scan_.at < scan_.end) {  // a scan for tied runs
        const uint64_t end = std::min(scan_.end, scan_.at + kFlatBatch.size);
        for (uint64_t i = scan_.at; i < end; ++i)
          if (i > scan_.open && !ops_.tied(a_[i - 1], a_[i])) {
            queue(scan_.open, i, scan_.depth);
            scan_.open = i;
          }
        timer.charge(units(end - scan_.at, kFlatBatch.per_unit));
        scan_.at = end;
        if (scan_.depth == 0) first_scanned_ = end;
        if (end == scan_.end) queue(scan_.open, end, scan_.depth);
        if (timer.expired()) return false;
        continue;
      }
      if (long_.hi) {
        if (!long_step(timer)) return false;
        continue;
      }
      if (runs_.empty()) return true;
      // Short runs, as many as kInline units hold (most runs are a few items: one look at the
      // clock each would cost more than the run), each re-keyed, sorted and scanned at once.
      uint64_t work = 0;
      while (!runs_.empty()) {
        const Span r = runs_.back();
        if (r.hi - r.lo > kInline) {
          runs_.pop_back();
          long_ = r;
          stage_ = 0;
          at_ = r.lo;
          break;
        }
        if (work + (r.hi - r.lo) > kInline) break;
        runs_.pop_back();
        work += r.hi - r.lo;           // a row each: its string read, a few comparisons
        if (r.hi - r.lo <= kDirect) {  // a few strings: compared whole, each read once into the cache
          std::sort(it(r.lo), it(r.hi), [&](const T& x, const T& y) { return less_from(x, y, r.depth); });
          continue;
        }
        for (uint64_t i = r.lo; i < r.hi; ++i) ops_.rekey(a_[i], r.depth);
        std::sort(it(r.lo), it(r.hi), ops_);
        for (uint64_t i = r.lo + 1, open = r.lo; i <= r.hi; ++i)
          if (i == r.hi || !ops_.tied(a_[i - 1], a_[i])) {
            queue(open, i, r.depth);
            open = i;
          }
      }
      timer.charge(work);
      if (timer.expired()) return false;
    }
  }
  // Fraction done in [0, 1], monotone: the first level's scan.
  double progress() const {
    return a_.empty() ? 1.0 : static_cast<double>(first_scanned_) / static_cast<double>(a_.size());
  }

  static constexpr uint64_t kInline = 1024;  // items of a run sorted in one piece, at most
  static constexpr uint64_t kDirect = 16;    // items of a run sorted by whole strings, at most

 private:
  struct Span {
    uint64_t lo = 0, hi = 0;  // items tied in their bytes before depth
    uint32_t depth = 0;
  };
  struct Scan {
    uint64_t at = 0, open = 0, end = 0;  // next item, the open run's first, the end
    uint32_t depth = 0;
  };
  typename std::vector<T>::iterator it(uint64_t i) { return a_.begin() + static_cast<std::ptrdiff_t>(i); }
  // The order of two items whose strings are equal before depth.
  bool less_from(const T& x, const T& y, uint32_t depth) const {
    const std::string_view a = ops_.text(x), b = ops_.text(y);
    const size_t from = std::min<size_t>({depth, a.size(), b.size()});
    const int c = a.substr(from).compare(b.substr(from));
    return c < 0 || (c == 0 && ops_(x, y));
  }
  // Items [lo, hi), sorted at depth and tied there: to sort again when they go on past the part.
  void queue(uint64_t lo, uint64_t hi, uint32_t depth) {
    if (hi - lo > 1 && ops_.length(a_[hi - 1]) > depth + Ops::kPart) runs_.push_back({lo, hi, depth + Ops::kPart});
  }
  // The long run: re-keyed, copied out, sorted, copied back, then scanned. True when sorted.
  bool long_step(const SliceTimer& timer) {
    const uint64_t lo = long_.lo, hi = long_.hi;
    switch (stage_) {
      case 0:
        if (!batches(at_, hi, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
              for (uint64_t i = b; i < e; ++i) ops_.rekey(a_[i], long_.depth);
            }))
          return false;
        at_ = lo;
        copy_.reserve(hi - lo);
        stage_ = 1;
        [[fallthrough]];
      case 1:
        if (!batches(at_, hi, kFlatBatch, timer,
                     [&](uint64_t b, uint64_t e) { copy_.insert(copy_.end(), it(b), it(e)); }))
          return false;
        sort_ = std::make_unique<SlicedSort<Ops, T, Run>>(std::move(copy_), ops_);
        stage_ = 2;
        [[fallthrough]];
      case 2:
        if (!sort_->step(timer)) return false;
        copy_ = sort_->take();
        sort_.reset();
        at_ = lo;
        stage_ = 3;
        [[fallthrough]];
      default:
        if (!batches(at_, hi, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
              std::copy(copy_.begin() + static_cast<std::ptrdiff_t>(b - lo),
                        copy_.begin() + static_cast<std::ptrdiff_t>(e - lo), it(b));
            }))
          return false;
        release(copy_);
        scan_ = {lo, lo, hi, long_.depth};
        long_ = {};
        return true;
    }
  }
  std::vector<T>& a_;
  Ops ops_;
  Scan scan_;
  uint64_t first_scanned_ = 0;
  std::vector<Span> runs_;  // to sort again
  Span long_;               // a run longer than kInline, in hand
  int stage_ = 0;
  uint64_t at_ = 0;
  std::vector<T> copy_;
  std::unique_ptr<SlicedSort<Ops, T, Run>> sort_;
};

// [SECTION] Builders

// Runs a builder with step(timer) to the end.
template <class B>
void finish(B& b) {
  const SliceTimer forever(1e9);
  while (!b.step(forever)) {}
}

// A feature-space builder B(cat, order) run to the end over the rows in tie order: `order` when
// given, else tie_order(cat) (row_groups.h, found when this is instantiated).
template <class B, class Cat>
auto build_in_tie_order(const Cat& cat, const std::vector<uint32_t>* order) {
  std::vector<uint32_t> own;
  if (!order) own = tie_order(cat);
  B b(cat, order ? *order : own);
  finish(b);
  return b.take();
}

// The phase loop the resumable builders share: enter() once as each phase starts (it may allocate
// or free what the phase needs), run(timer) until that phase is done, then the next phase; stops
// when the timer expires. enter() runs once more for kDone, to free what only the build needed.
// Impl has `int phase`, `uint64_t pos`, `bool entered` and an enumerator kDone. True when every
// phase is done.
template <class Impl>
bool run_phases(Impl& im, const SliceTimer& timer) {
  while (im.phase != Impl::kDone) {
    if (!im.entered) {
      im.enter();
      im.entered = true;
    }
    if (!im.run(timer)) return false;
    ++im.phase;
    im.pos = 0;
    im.entered = false;
    if (im.phase == Impl::kDone) im.enter();
    if (timer.expired()) break;
  }
  return im.phase == Impl::kDone;
}

// Progress of phased work: (weights of the phases done + weight of this one * fraction) / total.
inline double phased_progress(const double* weights, int phases, int phase, double fraction) {
  double total = 0, done = 0;
  for (int p = 0; p < phases; ++p) {
    total += weights[p];
    if (p < phase) done += weights[p];
  }
  if (phase >= phases) return 1.0;
  return std::min(1.0, (done + weights[phase] * std::clamp(fraction, 0.0, 1.0)) / total);
}

// pos / n, and 1 for nothing to do.
inline double frac(uint64_t pos, uint64_t n) {
  return n == 0 ? 1.0 : static_cast<double>(pos) / static_cast<double>(n);
}

// SlicedBuilder's forwarding (job.h), instantiated by each builder's .cpp once Impl is complete.
template <class Impl, class Out>
SlicedBuilder<Impl, Out>::SlicedBuilder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
template <class Impl, class Out>
SlicedBuilder<Impl, Out>::~SlicedBuilder() = default;
template <class Impl, class Out>
bool SlicedBuilder<Impl, Out>::step(const SliceTimer& timer) {
  return impl_->step(timer);
}
template <class Impl, class Out>
double SlicedBuilder<Impl, Out>::progress() const {
  return impl_->progress();
}
template <class Impl, class Out>
const char* SlicedBuilder<Impl, Out>::stage() const {
  return impl_->stage();
}
template <class Impl, class Out>
Out SlicedBuilder<Impl, Out>::take() {
  return impl_->take();
}

}  // namespace hfrec

// NN-descent: the approximate kNN graph of a SimilaritySpace's groups by local joins, in slices
// (nn_descent.h).
// [SECTION] Scoring pairs with the similarity's bits
// [SECTION] Neighbour lists
// [SECTION] The phases: start, samples, reverse samples, local join, final lists
#include "nn_descent.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "kmeans.h"
#include "sliced.h"

namespace hfrec {

struct NnDescentRun::Impl {
  enum Phase { kStart, kSample, kReverse, kJoin, kFinal, kDone };
  const SimilaritySpace& s;
  const CsrMatrix& m;
  int k;
  NnDescentParams p;
  uint32_t G;
  uint32_t K;        // pool: list length per group
  uint32_t cap_new;  // rho · K
  bool symmetric;    // similarity(a, b) has the bits of similarity(b, a)
  ClusterRng rng;
  int phase = kStart;
  uint32_t pos = 0;
  int iter = 0;
  uint64_t changed = 0, scored = 0, skipped = 0;

  // [SECTION] Scoring pairs with the similarity's bits
  // Per column (by slot): the scattered row a's value (0 where a has none; zero between scatters:
  // unscatter() clears what scatter() set) beside the column's weight, so a lookup reads one cache
  // line; a term forms value · weight from them as SimilaritySpace::similarity does.
  struct Column {
    double val = 0, w = 0;
  };
  std::vector<Column> col;  // by slot
  // The matrix's entries that can be a term of a pair's dot, by row (the others add ±0: a column
  // only one group holds, or of weight 0): their columns' slots in col and their values (fval
  // or cval, as the matrix holds them; none when binary). On a generated 100k hybrid 3.3% of the
  // entries, the rarest columns' (cache misses) most of them.
  std::vector<uint64_t> ptr;
  std::vector<uint32_t> slot;
  std::vector<float> fval;
  std::vector<uint8_t> cval;
  uint64_t nnz_of(uint32_t g) const { return ptr[g + 1] - ptr[g]; }
  template <class V>
  const V* vals() const {
    if constexpr (std::is_same_v<V, uint8_t>) return cval.data();
    else return fval.data();
  }
  double value_at(uint64_t e) const { return !fval.empty() ? fval[e] : !cval.empty() ? cval[e] : 1.0; }
  std::vector<uint32_t> by_bias;  // groups by bias desc, then id (the exact graph's fill order)

  uint32_t scattered_row = 0;  // the row scatter() set
  void scatter(uint32_t a) {
    scattered_row = a;
    for (uint64_t e = ptr[a], end = ptr[a + 1]; e < end; ++e) col[slot[e]].val = value_at(e);
  }
  void unscatter(uint32_t a) {
    for (uint64_t e = ptr[a], end = ptr[a + 1]; e < end; ++e) col[slot[e]].val = 0;
  }
  // The dot part of similarity(a, b) and of similarity(b, a), one value (its terms are
  // (value_lo · weight) · value_hi, the lower id first), with a scattered. Every entry of b adds
  // its term, a column a lacks (or a zero weight) adding ±0, which leaves a finite sum's bits as
  // they are: so the sum of the common columns' terms in ascending order, each formed as
  // SimilaritySpace::similarity forms it, with its bits, and no branch.
  // - kLowFirst: b's id is below a's, so the terms are (b's value · weight) · a's value; else
  //   (a's value · weight) · b's value (always so when the similarity is symmetric). A call forms
  //   one of the two, so its N rows are all on one side of a.
  // - N rows b at once, each its own sum, in lockstep over their first entries: the sums are
  //   chains of dependent additions (their order fixes the bits), so interleaving independent
  //   ones keeps the adder busy; each row's sum is formed exactly as alone.
  template <bool kBinary, class V, bool kLowFirst, int N>
  uint64_t dots_of(const uint32_t* b, double* dot) const {
    const uint32_t* idx = slot.data();
    const V* val = vals<V>();
    const Column* c = col.data();
    uint64_t lo[N], len[N], both = ~uint64_t(0);
    for (int r = 0; r < N; ++r) {
      lo[r] = ptr[b[r]];
      len[r] = ptr[b[r] + 1] - lo[r];
      both = std::min(both, len[r]);
    }
    double x[N];
    for (int r = 0; r < N; ++r) x[r] = 0;
    auto add = [&](int r, uint64_t e) {
      const Column& ce = c[idx[e]];
      // Every value 1 when binary (1 · w is w).
      if (kLowFirst) x[r] += (kBinary ? ce.w : double(val[e]) * ce.w) * ce.val;  // (value · weight) · a's value
      else if (kBinary) x[r] += ce.val * ce.w;
      else x[r] += (ce.val * ce.w) * double(val[e]);  // (a's value · weight) · value
    };
    for (uint64_t i = 0; i < both; ++i)
      for (int r = 0; r < N; ++r) add(r, lo[r] + i);
    for (int r = 0; r < N; ++r)
      for (uint64_t i = both; i < len[r]; ++i) add(r, lo[r] + i);
    uint64_t read = 0;
    for (int r = 0; r < N; ++r) dot[r] = x[r], read += len[r];
    return read;
  }
  template <int N, bool kLowFirst>
  uint64_t dots_side(const uint32_t* b, double* dot) const {
    if (fval.empty() && cval.empty()) return dots_of<true, float, kLowFirst, N>(b, dot);
    if (cval.empty()) return dots_of<false, float, kLowFirst, N>(b, dot);
    return dots_of<false, uint8_t, kLowFirst, N>(b, dot);
  }
  // Whether b's terms come first in its pair with the scattered row.
  bool low_first(uint32_t b) const { return !symmetric && b < scattered_row; }
  // N rows, all on one side of the scattered row.
  template <int N>
  uint64_t dots_n(const uint32_t* b, double* dot) const {
    return low_first(b[0]) ? dots_side<N, true>(b, dot) : dots_side<N, false>(b, dot);
  }
  // The last n < kBatch rows of a side: four, two and one at a time, each group in lockstep (a
  // loop for each n up to seven was 42 functions, 61 KB of the WebAssembly module's code).
  uint64_t rest(const uint32_t* b, size_t n, double* dot) const {
    static_assert(kBatch == 8, "the rest is at most 4 + 2 + 1 rows");
    uint64_t read = 0;
    size_t t = 0;
    if (n - t >= 4) read += dots_n<4>(b + t, dot + t), t += 4;
    if (n - t >= 2) read += dots_n<2>(b + t, dot + t), t += 2;
    if (n - t >= 1) read += dots_n<1>(b + t, dot + t);
    return read;
  }
  // The dots of rows b[0..n) into dot[0..n), and the entries read: the rows on each side of the
  // scattered row kBatch at a time, the last fewer in lockstep too (a row's pairs are a few dozen
  // at most).
  static constexpr size_t kBatch = 8;
  std::vector<uint32_t> side_rows[2], side_pos[2];
  uint64_t dots_many(const uint32_t* b, size_t n, double* dot) {
    uint64_t read = 0;
    for (int sd = 0; sd < 2; ++sd) side_rows[sd].clear(), side_pos[sd].clear();
    for (size_t j = 0; j < n; ++j) {
      const int sd = low_first(b[j]);
      side_rows[sd].push_back(b[j]);
      side_pos[sd].push_back(uint32_t(j));
    }
    for (int sd = 0; sd < 2; ++sd) {
      const std::vector<uint32_t>& rows = side_rows[sd];
      const std::vector<uint32_t>& pos = side_pos[sd];
      double d[kBatch];
      size_t t = 0;
      for (; t + kBatch <= rows.size(); t += kBatch) {
        read += dots_n<kBatch>(rows.data() + t, d);
        for (size_t r = 0; r < kBatch; ++r) dot[pos[t + r]] = d[r];
      }
      const size_t left = rows.size() - t;
      read += rest(rows.data() + t, left, d);
      for (size_t r = 0; r < left; ++r) dot[pos[t + r]] = d[r];
    }
    return read;
  }

  // [SECTION] Neighbour lists
  // Group g's list: [g · K, g · K + len[g]), ascending by (distance, id).
  std::vector<uint32_t> nb;
  std::vector<double> nd;
  std::vector<uint8_t> is_new;
  std::vector<uint32_t> len;

  // Offers x to g's list at distance d; true when it went in.
  bool offer(uint32_t g, uint32_t x, double d) {
    if (x == g) return false;
    const size_t base = size_t(g) * K;
    uint32_t n = len[g];
    if (n == K && !(d < nd[base + n - 1] || (d == nd[base + n - 1] && x < nb[base + n - 1]))) return false;
    for (uint32_t i = 0; i < n; ++i)
      if (nb[base + i] == x) return false;
    if (n == K) --n;  // the last one drops out
    uint32_t i = n;
    while (i > 0 && (d < nd[base + i - 1] || (d == nd[base + i - 1] && x < nb[base + i - 1]))) {
      nb[base + i] = nb[base + i - 1];
      nd[base + i] = nd[base + i - 1];
      is_new[base + i] = is_new[base + i - 1];
      --i;
    }
    nb[base + i] = x;
    nd[base + i] = d;
    is_new[base + i] = 1;
    len[g] = n + 1;
    return true;
  }
  // Whether x is in g's list.
  bool listed(uint32_t g, uint32_t x) const {
    const uint32_t* l = &nb[size_t(g) * K];
    bool in = false;
    for (uint32_t i = 0, n = len[g]; i < n; ++i) in |= l[i] == x;
    return in;
  }
  // Reads a line of each thing the pairs among `groups` read of a group (its list's length, ids
  // and last distance, its row's bounds and first entries, its norm, scale and bias) before any
  // pair is scored: random groups' lines, each most likely a cache miss, all requested at once
  // here instead of waited for one at a time as the pairs reach them.
  uint64_t touched = 0;
  void touch(const std::vector<uint32_t>& groups) {
    if (slot.empty()) return;
    uint64_t u = 0;
    double t = 0;
    const uint64_t last = slot.size() - 1;
    for (const uint32_t x : groups) {
      const size_t base = size_t(x) * K;
      const uint64_t lo = std::min(ptr[x], last);
      u += len[x] + nb[base] + nb[base + K - 1] + slot[lo];
      t += nd[base + K - 1] + s.norm_sq[x];
    }
    if (!s.query_scale.empty())
      for (const uint32_t x : groups) t += s.query_scale[x];
    if (!s.bias.empty())
      for (const uint32_t x : groups) t += s.bias[x];
    touched += u + (t > 0);
  }
  // Offers a and b to each other's lists from the dot part of their similarities.
  void offer_both(uint32_t a, uint32_t b, double dot) {
    scored += symmetric ? 1 : 2;
    changed += offer(a, b, 1.0 - s.from_dot(a, b, dot));
    changed += offer(b, a, 1.0 - s.from_dot(b, a, dot));
  }
  // Scores a (scattered) against each of b[from..n) but a itself and offers each to the other's
  // list; the entries read. A pair already in both lists is not scored: both offers would be
  // refused. The pairs are chosen before any is offered, then scored together (a dot does not
  // depend on the lists) and offered in order: a pair in both lists now stays refused by both offers
  // whatever the pairs before it change (they offer to a's list and their own only, and one that
  // pushes b out of a's list is nearer than b), so the lists are those of scoring and offering one
  // pair at a time. `skip` (the start of a sorted range of b) leaves out those of b[0..skip) too.
  uint64_t score_and_offer(uint32_t a, const uint32_t* b, size_t n, size_t from, size_t skip) {
    uint64_t read = 0;
    todo.clear();
    for (size_t j = from; j < n; ++j) {
      const uint32_t x = b[j];
      if (x != a && !(skip > 0 && j >= skip && std::binary_search(b, b + skip, x))) todo.push_back(x);
    }
    // Whether each is in both lists, without a branch: the other's list is a random group's, most
    // likely a cache miss, and independent loads overlap (a branch on each waited for its own).
    size_t kept = 0;
    for (const uint32_t x : todo) {
      const unsigned both = unsigned(listed(a, x)) & unsigned(listed(x, a));  // both evaluated
      todo[kept] = x;
      kept += 1 - both;
      skipped += both;
    }
    todo.resize(kept);
    todo_dot.resize(todo.size());
    read += dots_many(todo.data(), todo.size(), todo_dot.data());
    for (size_t t = 0; t < todo.size(); ++t) offer_both(a, todo[t], todo_dot[t]);
    return read;
  }
  // The start's and the final lists' pairs: a with each of b[0..n).
  uint64_t score_all(uint32_t a, const uint32_t* b, size_t n) { return score_and_offer(a, b, n, 0, 0); }
  // A local join's pairs of cand[i], new: the later new ones and the old ones not also new (cand
  // holds the n_new new ones sorted, then the old ones).
  uint64_t score_later(size_t i, size_t n_new) {
    return score_and_offer(cand[i], cand.data(), cand.size(), i + 1, n_new);
  }

  // Per-iteration samples, each a fixed-capacity slot per group.
  std::vector<uint32_t> fwd_new, fwd_old, rev_new, rev_old;  // K slots (fwd_old) or cap_new
  std::vector<uint32_t> n_fwd_new, n_fwd_old, n_rev_new, n_rev_old, seen_new, seen_old;
  std::vector<uint32_t> cand;  // one group's join candidates: new ones first
  std::vector<uint32_t> todo;  // the pairs with one of them to score
  std::vector<double> todo_dot;
  std::vector<std::pair<double, uint32_t>> fin;
  std::vector<uint64_t> terms;  // start(): (groups holding the column) << 32 | column
  KnnGraph out;

  Impl(const SimilaritySpace& space, int kk, const NnDescentParams& params)
      : s(space), m(space.matrix()), k(std::max(1, kk)), p(params), G(uint32_t(space.size())), rng(params.seed) {
    // The local joins' pairs grow with the square of the pool: past k = 10 it is k + 5 only up to
    // 15 (at the layout's k = 15 a pool of 15 instead of 20 scored 43% fewer pairs on a generated
    // 100k hybrid, recall@10 0.983 -> 0.979); a smaller pool than 15 lost recall (k = 10, pool 10:
    // hybrid 0.950 on the real 10k, against 0.988).
    const uint32_t pool = p.pool > 0 ? uint32_t(p.pool) : uint32_t(std::max(k, std::min(k + 5, 15)));
    K = G > 1 ? std::min(pool, G - 1) : 0;
    cap_new = std::max<uint32_t>(1, uint32_t(std::lround(p.rho * K)));
    symmetric = s.column_weight.empty() && s.query_scale.empty() && s.bias.empty();
    // The columns' order and the groups' bias order are sorted in the first steps (setup()).
    col.resize(m.n_cols);
    len.assign(G, 0);
    out.k = k;
    out.approximate = true;
    if (K == 0) phase = kFinal;
  }

  // [SECTION] The phases: start, samples, reverse samples, local join, final lists
  // Start: g's candidates from its rarest columns, random groups and the first in bias order.
  uint64_t start(uint32_t g) {
    // g's columns held by other groups too (and of non-zero weight), as (groups holding it, column):
    // taken rarest first, ties by column, each the least of those left when it is reached (a pass
    // usually takes its candidates from the first few of a row's dozens of columns).
    terms.clear();
    for (uint64_t e = m.indptr[g]; e < m.indptr[g + 1]; ++e) {
      const uint32_t t = m.indices[e];
      const uint64_t df = s.col_ptr[t + 1] - s.col_ptr[t];
      if (df > 1 && double(m.value(e)) * s.weight_of_column(t) != 0) terms.push_back(df << 32 | t);
    }
    size_t ordered = 0;
    auto term = [&](size_t i) {
      for (; ordered <= i; ++ordered)
        std::iter_swap(terms.begin() + long(ordered), std::min_element(terms.begin() + long(ordered), terms.end()));
      return uint32_t(terms[i]);
    };
    cand.clear();
    const uint32_t want = p.index_candidates > 0 ? uint32_t(p.index_candidates) : p.index_candidates < 0 ? 0 : K;
    // Rarest first, at most a quarter of the wanted from one column, several passes.
    const uint32_t per = std::max<uint32_t>(1, want / 4);
    for (int pass = 0; pass < 4 && cand.size() < want; ++pass)
      for (size_t i = 0; i < terms.size(); ++i) {
        const uint32_t t = term(i);
        const uint64_t lo = s.col_ptr[t], df = s.col_ptr[t + 1] - lo;
        for (uint32_t j = 0; j < per && cand.size() < want; ++j) {
          const uint32_t x = s.col_groups[lo + rng.below(df)];
          if (x != g) cand.push_back(x);
        }
        if (cand.size() >= want) break;
      }
    for (int i = 0; i < p.random_candidates; ++i) cand.push_back(uint32_t(rng.below(G)));
    if (!s.bias.empty())
      for (uint32_t i = 0; i < std::min<uint32_t>(4, G); ++i) cand.push_back(by_bias[i]);
    while (len[g] + cand.size() < K) cand.push_back(uint32_t(rng.below(G)));  // small or empty rows
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    touch(cand);
    scatter(g);
    uint64_t read = nnz_of(g) + score_all(g, cand.data(), cand.size());
    unscatter(g);
    return read;
  }

  // Samples: g's old neighbours, and up to cap_new of its new ones (then marked old).
  void sample(uint32_t g) {
    const size_t base = size_t(g) * K;
    uint32_t* fo = &fwd_old[base];
    uint32_t* fn = &fwd_new[size_t(g) * cap_new];
    uint32_t no = 0, nn = 0, seen = 0;
    for (uint32_t i = 0; i < len[g]; ++i) {
      if (!is_new[base + i]) {
        fo[no++] = uint32_t(base + i);  // entry positions until the flags are settled
        continue;
      }
      ++seen;  // reservoir sampling of the new ones
      if (nn < cap_new) {
        fn[nn++] = uint32_t(base + i);
      } else {
        const uint64_t j = rng.below(seen);
        if (j < cap_new) fn[j] = uint32_t(base + i);
      }
    }
    for (uint32_t i = 0; i < nn; ++i) {
      is_new[fn[i]] = 0;
      fn[i] = nb[fn[i]];
    }
    for (uint32_t i = 0; i < no; ++i) fo[i] = nb[fo[i]];
    n_fwd_new[g] = nn;
    n_fwd_old[g] = no;
  }

  // Reverse samples: g is offered to the reverse lists of its sampled neighbours (reservoirs).
  void reverse_of(uint32_t g) {
    auto put = [&](std::vector<uint32_t>& slots, std::vector<uint32_t>& n, std::vector<uint32_t>& seen, uint32_t u) {
      const uint32_t c = ++seen[u];
      uint32_t* r = &slots[size_t(u) * cap_new];
      if (n[u] < cap_new) {
        r[n[u]++] = g;
      } else {
        const uint64_t j = rng.below(c);
        if (j < cap_new) r[j] = g;
      }
    };
    for (uint32_t i = 0; i < n_fwd_new[g]; ++i) put(rev_new, n_rev_new, seen_new, fwd_new[size_t(g) * cap_new + i]);
    for (uint32_t i = 0; i < n_fwd_old[g]; ++i) put(rev_old, n_rev_old, seen_old, fwd_old[size_t(g) * K + i]);
  }

  // The local join around v: new with new, new with old.
  uint64_t local_join(uint32_t v) {
    cand.clear();
    for (uint32_t i = 0; i < n_fwd_new[v]; ++i) cand.push_back(fwd_new[size_t(v) * cap_new + i]);
    for (uint32_t i = 0; i < n_rev_new[v]; ++i) cand.push_back(rev_new[size_t(v) * cap_new + i]);
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    const size_t n_new = cand.size();
    const size_t old_from = cand.size();
    for (uint32_t i = 0; i < n_fwd_old[v]; ++i) cand.push_back(fwd_old[size_t(v) * K + i]);
    for (uint32_t i = 0; i < n_rev_old[v]; ++i) cand.push_back(rev_old[size_t(v) * cap_new + i]);
    std::sort(cand.begin() + long(old_from), cand.end());
    cand.erase(std::unique(cand.begin() + long(old_from), cand.end()), cand.end());
    touch(cand);
    uint64_t read = 0;
    for (size_t i = 0; i < n_new; ++i) {
      const uint32_t a = cand[i];
      scatter(a);
      read += nnz_of(a) + score_later(i, n_new);
      unscatter(a);
    }
    return read;
  }

  // The final list of g: its pool and the first groups in bias order up to k rows, cut to k rows.
  uint64_t finish(uint32_t g) {
    fin.clear();
    const size_t base = size_t(g) * K;
    for (uint32_t i = 0; i < len[g]; ++i) fin.emplace_back(nd[base + i], nb[base + i]);
    uint64_t rows = 0, read = 0;
    todo.clear();
    for (uint32_t i = 0; i < G && rows < uint64_t(k); ++i) {
      const uint32_t x = by_bias[i];
      if (x == g || listed(g, x)) continue;
      todo.push_back(x);
      read += nnz_of(x);
      rows += s.groups->weight(x);
    }
    if (!todo.empty()) {
      scatter(g);
      read += nnz_of(g);
      todo_dot.resize(todo.size());
      dots_many(todo.data(), todo.size(), todo_dot.data());
      for (size_t t = 0; t < todo.size(); ++t) fin.emplace_back(1.0 - s.from_dot(g, todo[t], todo_dot[t]), todo[t]);
      unscatter(g);
    }
    std::sort(fin.begin(), fin.end());
    rows = 0;
    for (size_t i = 0; i < fin.size() && rows < uint64_t(k); ++i) {
      out.neighbour.push_back(fin[i].second);
      out.dist.push_back(fin[i].first);
      rows += s.groups->weight(fin[i].second);
    }
    out.ptr.push_back(out.neighbour.size());
    return read;
  }

  void enter(int ph) {
    switch (ph) {
      case kSample:
        changed = 0;
        fwd_new.resize(size_t(G) * cap_new);
        fwd_old.resize(size_t(G) * K);
        n_fwd_new.assign(G, 0);
        n_fwd_old.assign(G, 0);
        break;
      case kReverse:
        rev_new.resize(size_t(G) * cap_new);
        rev_old.resize(size_t(G) * cap_new);
        n_rev_new.assign(G, 0);
        n_rev_old.assign(G, 0);
        seen_new.assign(G, 0);
        seen_old.assign(G, 0);
        break;
      case kFinal:
        release(fwd_new, fwd_old, rev_new, rev_old, n_fwd_new, n_fwd_old, n_rev_new, n_rev_old, seen_new, seen_old);
        release(is_new);
        // Address space only (pages are touched as finish() writes them): grown by push_back, the
        // lists moved at each doubling, at 100k hybrid groups one 9 MB copy in a step (32 ms).
        out.ptr.reserve(size_t(G) + 1);
        out.neighbour.reserve(size_t(G) * size_t(k));
        out.dist.reserve(size_t(G) * size_t(k));
        break;
      default: break;
    }
  }

  // After a join: another iteration, or the final lists.
  int after_join() {
    ++iter;
    const bool converged = double(changed) < p.delta * double(G) * double(K);
    return converged || iter >= p.max_iters ? kFinal : kSample;
  }

  // The columns' slots, the entries' slots and values and the lists, written in slices on the first steps: at 100k
  // generated rows they are tens of MB of fresh pages (about 4 ms a MB on this project's machines),
  // which the constructor wrote in one piece.
  std::vector<uint32_t> rank;  // a column's slot (until set up)
  int setup_stage = -2;
  uint64_t setup_pos = 0;
  // Columns by rows holding them, most first, ties by id (the slots of the commonest columns,
  // which most pairs read, share a few cache lines); groups by bias, largest first, ties by id.
  // Strict orders, so the sliced merge sort gives std::stable_sort's order; at 100k hybrid groups
  // the two sorts took 35 ms in one step.
  struct ColumnLess {
    const std::vector<uint64_t>* ptr;
    bool operator()(uint32_t x, uint32_t y) const {
      const uint64_t dx = (*ptr)[x + 1] - (*ptr)[x], dy = (*ptr)[y + 1] - (*ptr)[y];
      return dx != dy ? dx > dy : x < y;
    }
  };
  struct BiasLess {
    const SimilaritySpace* space;
    bool operator()(uint32_t a, uint32_t b) const { return space->bias_before(a, b); }
  };
  std::unique_ptr<SlicedSort<ColumnLess>> column_sort;
  std::unique_ptr<SlicedSort<BiasLess>> bias_sort;
  bool setup(const SliceTimer& timer) {
    switch (setup_stage) {
      case -2: {
        if (!column_sort) {
          std::vector<uint32_t> order(m.n_cols);
          for (uint32_t t = 0; t < m.n_cols; ++t) order[t] = t;
          column_sort = std::make_unique<SlicedSort<ColumnLess>>(std::move(order), ColumnLess{&s.col_ptr});
        }
        if (!column_sort->step(timer)) return false;
        const std::vector<uint32_t> order = column_sort->take();
        column_sort.reset();
        rank.resize(m.n_cols);
        for (uint32_t r = 0; r < m.n_cols; ++r) {
          rank[order[r]] = r;
          col[r].w = s.weight_of_column(order[r]);
        }
        setup_stage = -1;
        [[fallthrough]];
      }
      case -1: {
        if (!bias_sort) {
          std::vector<uint32_t> groups(G);
          for (uint32_t g = 0; g < G; ++g) groups[g] = g;
          if (s.bias.empty()) {
            by_bias = std::move(groups);
            setup_stage = 0;
            return setup(timer);
          }
          bias_sort = std::make_unique<SlicedSort<BiasLess>>(std::move(groups), BiasLess{&s});
        }
        if (!bias_sort->step(timer)) return false;
        by_bias = bias_sort->take();
        bias_sort.reset();
        setup_stage = 0;
        [[fallthrough]];
      }
      case 0:
        // Reserved, not written: pages are touched as the batches write them.
        ptr.reserve(size_t(G) + 1);
        ptr.push_back(0);
        slot.reserve(m.nnz());
        if (!m.binary()) (m.counts.empty() ? fval.reserve(m.nnz()) : cval.reserve(m.nnz()));
        setup_stage = 1;
        [[fallthrough]];
      case 1:
        if (!batches(setup_pos, m.nnz(), kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
              for (uint64_t x = b; x < e; ++x) {
                while (m.indptr[ptr.size()] <= x) ptr.push_back(slot.size());  // the rows ended before x
                const uint32_t t = m.indices[x];
                const float v = m.value(x);
                if (s.col_ptr[t + 1] - s.col_ptr[t] < 2 || s.weight_of_column(t) == 0 || v == 0) continue;
                slot.push_back(rank[t]);
                if (!m.binary()) (m.counts.empty() ? fval.push_back(v) : cval.push_back(uint8_t(v)));
              }
            }))
          return false;
        while (ptr.size() <= G) ptr.push_back(slot.size());
        release(rank);
        setup_stage = 2;
        [[fallthrough]];
      case 2:
        // The samples' slots too (enter() sizes them as the same, so it writes nothing).
        if (!grow(nb, uint64_t(G) * K, uint32_t(0), timer) || !grow(nd, uint64_t(G) * K, 0.0, timer) ||
            !grow(is_new, uint64_t(G) * K, uint8_t(0), timer) ||
            !grow(fwd_new, uint64_t(G) * cap_new, uint32_t(0), timer) ||
            !grow(fwd_old, uint64_t(G) * K, uint32_t(0), timer) ||
            !grow(rev_new, uint64_t(G) * cap_new, uint32_t(0), timer) ||
            !grow(rev_old, uint64_t(G) * cap_new, uint32_t(0), timer))
          return false;
        setup_stage = 3;
        [[fallthrough]];
      default: return true;
    }
  }

  bool step(const SliceTimer& timer) {
    if (setup_stage < 3 && !setup(timer)) return false;
    while (phase != kDone) {
      if (pos >= G) {
        const int nextp = phase == kStart ? kSample : phase == kJoin ? after_join() : phase + 1;
        phase = nextp;
        pos = 0;
        if (phase == kDone) {
          release(nb, nd, len);
          release(col);
          release(ptr, slot, fval, cval);
          break;
        }
        enter(phase);
        continue;
      }
      const uint32_t g = pos++;
      uint64_t read = 0;
      switch (phase) {
        case kStart: read = start(g); break;
        case kSample: sample(g); break;
        case kReverse: reverse_of(g); break;
        case kJoin: read = local_join(g); break;
        case kFinal: read = finish(g); break;
        default: break;
      }
      timer.charge(1 + units(read, kFlatBatch.per_unit));
      if (timer.expired()) return phase == kDone;
    }
    return true;
  }

  double progress() const {
    if (phase == kDone) return 1.0;
    // Start 1, each iteration 1 (of an expected 10, then half the rest), the final lists 1.
    const double f = frac(pos, G);
    if (phase == kFinal) return (11.0 + f) / 12.0;
    if (phase == kStart) return f / 12.0;
    const double in_iter = phase == kSample ? f * 0.05 : phase == kReverse ? 0.05 + f * 0.05 : 0.1 + 0.9 * f;
    double done_iters = 0, width = 1;
    for (int i = 0; i < iter; ++i) {
      done_iters += width;
      if (i >= 9) width /= 2;
    }
    return (1.0 + done_iters + width * in_iter) / 12.0;
  }
};

NnDescentRun::NnDescentRun(const SimilaritySpace& space, int k, const NnDescentParams& params)
    : impl_(std::make_unique<Impl>(space, k, params)) {}
NnDescentRun::~NnDescentRun() = default;
bool NnDescentRun::step(const SliceTimer& timer) { return impl_->step(timer); }
bool NnDescentRun::done() const { return impl_->phase == Impl::kDone; }
double NnDescentRun::progress() const { return impl_->progress(); }
int NnDescentRun::iterations() const { return impl_->iter; }
uint64_t NnDescentRun::pairs() const { return impl_->scored; }
KnnGraph NnDescentRun::take() { return std::move(impl_->out); }

KnnGraph nn_descent(const SimilaritySpace& space, int k, const NnDescentParams& params) {
  NnDescentRun run(space, k, params);
  finish(run);
  return run.take();
}

}  // namespace hfrec

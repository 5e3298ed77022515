// Type-ahead search: sorted lower-cased ids for prefixes, word starts and substrings, a fuzzy
// subsequence pass, ranked by match kind then downloads (search.h).
#include "search.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "sliced.h"
#include "text.h"

namespace hfrec {

namespace {

bool is_separator(char c) { return c == '/' || c == '-' || c == '_' || c == '.' || c == ' '; }

// True when the characters of q (spaces ignored) occur in t in order.
bool subsequence(std::string_view q, std::string_view t) {
  size_t j = 0;
  for (char c : q) {
    if (c == ' ') continue;
    j = t.find(c, j);
    if (j == std::string_view::npos) return false;
    ++j;
  }
  return true;
}

// Each byte's class among 64: one class each for a-z, 0-9, space and - _ . / (what ids are made
// of, so for these a class means that byte), the rest share the remaining classes.
constexpr int kExactClasses = 26 + 10 + 5;
constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = static_cast<uint8_t>(kExactClasses + c % (64 - kExactClasses));
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<uint8_t>(c - 'a');
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(26 + c - '0');
  const char seps[] = {' ', '-', '_', '.', '/'};
  for (int k = 0; k < 5; ++k) t[static_cast<unsigned char>(seps[k])] = static_cast<uint8_t>(36 + k);
  return t;
}();

// Each byte's class as its bit: a load and an OR a byte, not a shift as well.
constexpr std::array<uint64_t, 256> kClassBit = [] {
  std::array<uint64_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = uint64_t{1} << kByteClass[c];
  return t;
}();

constexpr uint64_t kTabBit = kClassBit['\t'];  // the author separator's class

// The byte set of d[0, n) (byte_set), and in slash one past its last '/' (0 when it has none). Two
// accumulators, so consecutive bytes do not wait on each other's OR.
uint64_t byte_set_and_slash(const char* d, size_t n, size_t& slash) {
  uint64_t a = 0, b = 0;
  size_t last = 0, j = 0;
  for (; j + 2 <= n; j += 2) {
    const auto x = static_cast<unsigned char>(d[j]), y = static_cast<unsigned char>(d[j + 1]);
    a |= kClassBit[x];
    b |= kClassBit[y];
    last = x == '/' ? j + 1 : last;
    last = y == '/' ? j + 2 : last;
  }
  if (j < n) {
    const auto x = static_cast<unsigned char>(d[j]);
    a |= kClassBit[x];
    last = x == '/' ? j + 1 : last;
  }
  slash = last;
  return a | b;
}

// The set of byte classes in s: a row whose set lacks one of the query's classes cannot match it
// as a substring or a subsequence, and is skipped without a scan.
uint64_t byte_set(std::string_view s) {
  size_t slash = 0;
  return byte_set_and_slash(s.data(), s.size(), slash);
}

// The classes that tabs and line feeds fall in (shared with a few other bytes): a set without
// them has neither, so the common case never looks for them byte by byte.
constexpr uint64_t kBreakBits = kClassBit['\t'] | kClassBit['\n'];

// The query as it is matched: lower-cased, control characters dropped, outer spaces trimmed.
std::string normalise(std::string_view query) {
  std::string q;
  for (char c : query)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) q += c;
  size_t a = q.find_first_not_of(' ');
  if (a == std::string::npos) return {};
  size_t b = q.find_last_not_of(' ');
  return lower(std::string_view(q).substr(a, b - a + 1));
}

}  // namespace

const char* match_kind_name(MatchKind k) {
  switch (k) {
    case MatchKind::exact: return "exact";
    case MatchKind::prefix: return "prefix";
    case MatchKind::word_prefix: return "word prefix";
    case MatchKind::substring: return "substring";
    case MatchKind::fuzzy: return "fuzzy";
  }
  return "?";
}

// Gotchas:
// - One buffer for every row, written in place: no string per row. At a million
//   rows this, and the keyed sort below, is what keeps the search index from freezing the page.
// - The sort reads no text: a key holds 16 bytes of its id as two big-endian integers (the same
//   order as the bytes), then its length and row; keys tied there whose ids go on are sorted again
//   by the next 16 bytes (SlicedRefine, sliced.h). The order is the bytes' (unsigned), then the
//   row: std::sort's of whole ids. (Comparisons that fell back to whole ids read two ids each, a
//   cache miss apiece at a million rows: about a quarter of the search index's time at 2M.)
// - Built in slices (SearchIndexBuilder): at 1M rows, built at once, it was one 0.7-1 s step at the
//   end of every load.
struct detail::SearchState {
  enum Phase { kSize, kWrite, kSort, kRefine, kOut, kDone };
  static constexpr int kPhases = kDone;
  struct Key {
    uint64_t a, b;      // the id's 16 bytes at the key's depth, big-endian, zero-padded
    uint32_t row, len;  // len: of lower(id) (it fills what would be padding)
  };
  // The keys' order, and their refinement's operations (SlicedRefine).
  struct KeyOps {
    static constexpr uint32_t kPart = 16;
    const SearchIndex* idx;
    bool operator()(const Key& x, const Key& y) const {
      if (x.a != y.a) return x.a < y.a;
      if (x.b != y.b) return x.b < y.b;
      if (x.len != y.len) return x.len < y.len;  // equal bytes to the shorter's end: it comes first
      return x.row < y.row;
    }
    static bool tied(const Key& x, const Key& y) { return x.a == y.a && x.b == y.b; }
    static uint32_t length(const Key& k) { return k.len; }
    std::string_view text(const Key& k) const { return {idx->buf_.data() + idx->offsets_[k.row], k.len}; }
    void rekey(Key& k, uint32_t depth) const {
      const std::string_view id = text(k);
      k.a = load_be64(id, depth);
      k.b = load_be64(id, depth + 8);
    }
  };

  // Runs of 32,768 keys sorted at once (about 3 ms natively), so 5 merge passes at 1M rows, not 11.
  static constexpr uint64_t kSortRun = 32768;

  const Catalogue& cat;
  std::unique_ptr<SearchIndex> idx = std::make_unique<SearchIndex>();  // its address is KeyOps's
  int phase = kSize;
  uint64_t pos = 0;
  bool entered = false;
  size_t bytes = 0, at = 0;
  std::string wide;  // a non-ASCII tail, lowered
  std::vector<Key> keys;
  std::unique_ptr<SlicedSort<KeyOps, Key, kSortRun>> sorter;
  std::unique_ptr<SlicedRefine<Key, KeyOps, kSortRun>> refiner;

  explicit SearchState(const Catalogue& c) : cat(c) { idx->cat_ = &c; }

  void room(size_t extra) {
    std::string& buf = idx->buf_;
    if (at + extra > buf.size()) buf.resize(std::max(buf.size() * 2, at + extra));
  }
  // Writes lower(s) at the cursor with tabs and line feeds as spaces (they separate the parts);
  // returns the byte set of what it wrote. *slash (when asked): one past the last '/' written,
  // counted from the start of s's bytes, or 0 when there is none.
  uint64_t put_lower(std::string_view s, size_t* slash = nullptr) {
    room(s.size());
    char* d = idx->buf_.data() + at;
    // The ASCII prefix lowered (lower_ascii_prefix), then its byte set and last '/' in one pass.
    const size_t i = lower_ascii_prefix(s, d);
    size_t last = 0;
    uint64_t set = byte_set_and_slash(d, i, last);
    if (set & kBreakBits) {  // rare: a tab or line feed, or another byte of their classes
      for (size_t j = 0; j < i; ++j)
        if (d[j] == '\t' || d[j] == '\n') d[j] = ' ';
      set = byte_set_and_slash(d, i, last);
    }
    at += i;
    if (i < s.size()) {
      wide.clear();
      append_lower(wide, s.substr(i));  // i is at a code point: the rest lowers on its own
      room(wide.size());
      for (size_t j = 0; j < wide.size(); ++j) {
        char& c = wide[j];
        if (c == '\t' || c == '\n') c = ' ';
        if (c == '/') last = i + j + 1;
        set |= kClassBit[static_cast<unsigned char>(c)];
      }
      std::memcpy(idx->buf_.data() + at, wide.data(), wide.size());
      at += wide.size();
    }
    if (slash) *slash = last;
    return set;
  }

  // A row's text: lower(id), then a tab and lower(author) unless the id starts with "author/",
  // then a line feed. Its sort key is made here, while the id is at hand.
  void write_row(uint32_t r) {
    SearchIndex& x = *idx;
    const size_t id_at = at;
    size_t slash = 0;
    uint64_t row_bytes = put_lower(cat.id(r), &slash);
    const size_t id_size = at - id_at;
    const size_t name = id_size - slash;  // bytes after the id's last '/'
    x.name_len_.push_back(slash == 0 ? SearchIndex::kNoSlash
                                     : static_cast<uint8_t>(std::min<size_t>(name, SearchIndex::kLongName)));
    {
      const std::string_view id(x.buf_.data() + id_at, id_size);
      keys.push_back({load_be64(id, 0), load_be64(id, 8), r, static_cast<uint32_t>(id_size)});
    }
    std::string_view author_raw = cat.value(cat.author[r]);
    if (!author_raw.empty()) {
      // The author is searched too when the id does not already start with "author/".
      room(1);
      x.buf_[at++] = '\t';
      const size_t author_at = at;
      const uint64_t author_bytes = put_lower(author_raw);
      std::string_view id(x.buf_.data() + id_at, id_size), author(x.buf_.data() + author_at, at - author_at);
      if (id.size() > author.size() && id[author.size()] == '/' && id.compare(0, author.size(), author) == 0)
        at = author_at - 1;
      else row_bytes |= author_bytes | kTabBit;
    }
    room(1);
    x.buf_[at++] = '\n';
    x.offsets_.push_back(static_cast<uint32_t>(at));
    x.bytes_.push_back(row_bytes);
  }

  void enter() {
    SearchIndex& x = *idx;
    const size_t n = cat.size();
    switch (phase) {
      case kWrite:
        // buf_ is sized once (in pieces, in run()) and written through a cursor: std::string's
        // resize/push_back per row are out-of-line library calls (costly under WebAssembly).
        // Lowering can lengthen a few non-ASCII characters, so it grows when needed (rarely: past
        // 64 bytes of such growth in all).
        // The keys (made as rows are written) first: reserved after the buffer, their 48 MB at 2M
        // rows found no free block below the heap's top and grew it by 31 MB (hfrec_memprobe).
        keys.reserve(n);
        x.buf_.reserve(bytes + 64);
        x.offsets_.reserve(n + 1);
        x.name_len_.reserve(n);
        x.bytes_.reserve(n);
        x.offsets_.push_back(0);
        break;
      case kSort:
        x.buf_.resize(at);
        // Cut to size only when the estimate missed by much (authors in another case, lowering
        // that grew): the cut is a copy of the whole buffer.
        if (x.buf_.capacity() - x.buf_.size() > x.buf_.size() / 64) x.buf_.shrink_to_fit();
        sorter = std::make_unique<SlicedSort<KeyOps, Key, kSortRun>>(std::move(keys), KeyOps{idx.get()});
        break;
      case kRefine: refiner = std::make_unique<SlicedRefine<Key, KeyOps, kSortRun>>(keys, KeyOps{idx.get()}); break;
      case kOut:
        x.sorted_.reserve(n);
        x.sorted_downloads_.reserve(n);
        break;
      case kDone: release(keys); break;
      default: break;
    }
  }

  bool run(const SliceTimer& timer) {
    SearchIndex& x = *idx;
    const uint64_t n = cat.size();
    switch (phase) {
      case kSize:
        // The bytes written below, exactly when ids and authors are ASCII and an author that starts
        // its id has the same case there (as on the Hub); an author starting its id is not written.
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r) {
            std::string_view id = cat.id(r), author = cat.value(cat.author[r]);
            const bool starts_id = id.size() > author.size() && id.starts_with(author) && id[author.size()] == '/';
            bytes += id.size() + (author.empty() || starts_id ? 0 : author.size() + 1) + 1;
          }
        });
      case kWrite:
        // The buffer's fresh pages touched in pieces.
        if (!grow(x.buf_, bytes + 64, '\0', timer)) return false;
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r) write_row(r);
        });
      case kSort:
        if (!sorter->step(timer)) return false;
        keys = sorter->take();
        sorter.reset();
        return true;
      case kRefine:
        if (!refiner->step(timer)) return false;
        refiner.reset();
        return true;
      case kOut:
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t i = b; i < e; ++i) {
            x.sorted_.push_back(keys[i].row);
            const int64_t d = cat.downloads[keys[i].row];
            x.sorted_downloads_.push_back(d >= 0 && d < SearchIndex::kBigDownloads ? static_cast<uint32_t>(d)
                                                                                   : SearchIndex::kBigDownloads);
          }
        });
      default: return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    static constexpr double w[kPhases] = {1, 5, 6, 1, 1};
    const double f = phase == kSort     ? (sorter ? sorter->progress() : 0.0)
                     : phase == kRefine ? (refiner ? refiner->progress() : 0.0)
                                        : frac(pos, cat.size());
    return phased_progress(w, kPhases, phase, f);
  }

  const char* stage() const { return phase < kSort ? "search: lower-casing ids" : "search: sorting ids"; }

  SearchIndex take() { return std::move(*idx); }
};

template class SlicedBuilder<detail::SearchState, SearchIndex>;

SearchIndexBuilder::SearchIndexBuilder(const Catalogue& cat)
    : SlicedBuilder(std::make_unique<detail::SearchState>(cat)) {}

SearchIndex::SearchIndex(const Catalogue& cat) {
  SearchIndexBuilder b(cat);
  finish(b);
  *this = b.take();
}

int64_t SearchIndex::sorted_downloads(size_t i) const {
  const uint32_t d = sorted_downloads_[i];
  return d != kBigDownloads ? d : cat_->downloads[sorted_[i]];
}

MatchKind SearchIndex::classify(uint32_t row, std::string_view q) const {
  std::string_view id = id_part(row);
  if (id == q) return MatchKind::exact;
  size_t slash = id.rfind('/');
  if (slash != std::string_view::npos && id.substr(slash + 1) == q) return MatchKind::exact;
  if (id.substr(0, q.size()) == q) return MatchKind::prefix;
  bool sub = false;
  for (size_t p = find_text(id, q); p != std::string_view::npos; p = find_text(id, q, p + 1)) {
    sub = true;
    if (p > 0 && is_separator(id[p - 1])) return MatchKind::word_prefix;
  }
  std::string_view t = text(row);
  if (t.size() > id.size()) {
    std::string_view author = t.substr(id.size() + 1);
    if (author.substr(0, q.size()) == q) return MatchKind::word_prefix;
    if (find_text(author, q) != std::string_view::npos) sub = true;
  }
  return sub ? MatchKind::substring : MatchKind::fuzzy;
}

SearchResult SearchIndex::search(std::string_view query, const SearchParams& p) const {
  SearchResult res;
  if (!cat_ || size() == 0) return res;
  const std::string q = normalise(query);
  if (q.empty()) {
    last_query_.clear();
    last_fuzzy_valid_ = false;
    return res;
  }
  const Catalogue& cat = *cat_;

  // 1. Substring candidates. A one-byte query whose class is that byte alone is answered by the
  // rows' byte sets, without reading text. Otherwise, while typing, the previous matches are
  // rescanned (each skipped unless its byte set holds the query's); when they are many, one pass
  // over the whole buffer reads less memory than row by row.
  std::vector<uint32_t> sub;
  const uint64_t q_bytes = byte_set(q), q_letters = q_bytes & ~byte_set(" ");
  auto may_hold = [&](uint32_t r, uint64_t need) { return (bytes_[r] & need) == need; };
  const bool extends = !last_query_.empty() && q.find(last_query_) != std::string::npos;
  if (q.size() == 1 && kByteClass[static_cast<unsigned char>(q[0])] < kExactClasses) {
    const uint32_t n = extends ? static_cast<uint32_t>(last_sub_.size()) : static_cast<uint32_t>(size());
    for (uint32_t k = 0; k < n; ++k) {
      const uint32_t r = extends ? last_sub_[k] : k;
      if (may_hold(r, q_bytes)) sub.push_back(r);
    }
  } else if (extends && last_sub_.size() < size() / 8) {
    for (uint32_t r : last_sub_)
      if (may_hold(r, q_bytes) && find_text(text(r), q) != std::string_view::npos) sub.push_back(r);
  } else {
    // Matches come in buffer order, so the row is found by walking forward: O(rows) in all.
    std::string_view b(buf_);
    const size_t n_rows = size();
    uint32_t r = 0;
    for (size_t pos = find_text(b, q); pos != std::string_view::npos; pos = find_text(b, q, offsets_[r + 1])) {
      // Bounded by n_rows although pos always lies before the last offset: written unbounded,
      // this loop made clang 14 at -O2 drop the npos test of the loop around it.
      while (r + 1 < n_rows && offsets_[r + 1] <= pos) ++r;
      sub.push_back(r);
    }
  }

  // 2. Fuzzy (subsequence) matches, only when the stronger kinds leave room.
  std::vector<uint32_t> subseq;
  bool fuzzy_now = p.fuzzy && q.size() >= 2 && sub.size() < p.limit;
  if (fuzzy_now) {
    bool fuzzy_extends = last_fuzzy_valid_ && q.compare(0, last_query_.size(), last_query_) == 0;
    if (fuzzy_extends) {
      for (uint32_t r : last_fuzzy_)
        if (may_hold(r, q_letters) && subsequence(q, text(r))) subseq.push_back(r);
    } else {
      for (uint32_t r = 0; r < size(); ++r)
        if (may_hold(r, q_letters) && subsequence(q, text(r))) subseq.push_back(r);
    }
  }

  // 3. Rank. When the prefix matches (a contiguous range of the sorted ids) fill the page, only
  // they need ranking; otherwise every candidate is classified.
  auto lo = std::lower_bound(sorted_.begin(), sorted_.end(), q,
                             [&](uint32_t r, const std::string& v) { return id_part(r) < v; });
  auto hi = std::partition_point(lo, sorted_.end(), [&](uint32_t r) { return id_part(r).substr(0, q.size()) == q; });
  // Whether an id is exactly q, or its name after the last '/' is (then q holds no '/').
  const bool q_has_slash = q.find('/') != std::string::npos;
  // name_len_ answers most rows without touching their text.
  auto names_exactly = [&](uint32_t r) {
    std::string_view id = id_part(r);
    if (id.size() == q.size()) return id == q;
    const uint8_t name = name_len_[r];
    if (q_has_slash || name == kNoSlash || (name < kLongName && name != q.size()) || id.size() <= q.size())
      return false;
    return id[id.size() - q.size() - 1] == '/' && id.substr(id.size() - q.size()) == q;
  };
  // Candidates carry their downloads, so ranking reads no row data but ids on ties.
  struct Ranked {
    int64_t downloads;
    uint32_t row;
    MatchKind kind;
  };
  std::vector<Ranked> hits;
  auto add = [&](uint32_t r, MatchKind k) { hits.push_back({cat.downloads[r], r, k}); };
  size_t n_prefix = static_cast<size_t>(hi - lo);
  if (n_prefix >= p.limit) {
    hits.reserve(n_prefix + 8);
    // Every id here starts with q: it is exact or a prefix. Walked in id order, with the
    // downloads kept in that order too; only an id equal to q (these sort first) or a name of
    // q's length needs its text.
    const size_t first = static_cast<size_t>(lo - sorted_.begin());
    const auto want = static_cast<uint8_t>(std::min<size_t>(q.size(), kLongName));
    bool equal_run = true;  // ids equal to q come first in the range
    for (size_t i = first; i < first + n_prefix; ++i) {
      const uint32_t r = sorted_[i];
      equal_run = equal_run && id_part(r).size() == q.size();
      const bool exact = equal_run;
      const bool maybe_name = !q_has_slash && name_len_[r] == want;
      hits.push_back(
          {sorted_downloads(i), r, exact || (maybe_name && names_exactly(r)) ? MatchKind::exact : MatchKind::prefix});
    }
    // Exact names ("gpt2" -> "openai-community/gpt2") rank above prefixes too. Only rows whose
    // name has q's length can be one: found by scanning the name lengths, not the texts.
    size_t slash_hits = 0;
    if (!q_has_slash) {
      const uint8_t* lens = name_len_.data();
      const size_t n = name_len_.size();
      for (const void* p = std::memchr(lens, want, n); p && slash_hits <= 64;) {
        const auto r = static_cast<uint32_t>(static_cast<const uint8_t*>(p) - lens);
        if (id_part(r).size() > q.size() && names_exactly(r) && id_part(r).substr(0, q.size()) != q) {
          add(r, MatchKind::exact);
          ++slash_hits;
        }
        p = r + 1 < n ? std::memchr(lens + r + 1, want, n - r - 1) : nullptr;
      }
    }
  } else {
    hits.reserve(sub.size());
    for (uint32_t r : sub) add(r, classify(r, q));
  }
  res.count = sub.size();
  if (fuzzy_now) {
    res.fuzzy_searched = true;
    std::vector<uint32_t> sorted_sub = sub;
    std::sort(sorted_sub.begin(), sorted_sub.end());
    for (uint32_t r : subseq)
      if (!std::binary_search(sorted_sub.begin(), sorted_sub.end(), r)) {
        add(r, MatchKind::fuzzy);
        ++res.count;
      }
  }
  auto cmp = [&](const Ranked& a, const Ranked& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.downloads != b.downloads) return a.downloads > b.downloads;
    return cat.id(a.row) < cat.id(b.row);
  };
  size_t keep = std::min(p.limit, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<long>(keep), hits.end(), cmp);
  res.hits.reserve(keep);
  for (size_t i = 0; i < keep; ++i) res.hits.push_back({hits[i].row, hits[i].kind});

  last_query_ = q;
  last_sub_ = std::move(sub);
  last_fuzzy_valid_ = fuzzy_now;
  last_fuzzy_ = std::move(subseq);
  return res;
}

}  // namespace hfrec

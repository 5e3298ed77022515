// Soup space: the notebook's bag of words (CountVectorizer counts, TfidfVectorizer's smooth idf),
// built in phases (tokenizing and grouping, vocabulary sort, counts, idf, collapse, norms) that each
// resume in slices (soup.h). Identical rows are grouped as they are tokenized, so no per-row matrix
// (and no per-row token list) is ever held: at 2M rows that was the load's high-water mark.
//
// Index of this file:
// [SECTION] soup_tokens: the tokens of one row, the reference the builder must match
// [SECTION] SoupBuilder: the phases
// [SECTION] build_soup
#include "soup.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "sliced.h"
#include "string_pool.h"
#include "text.h"

namespace hfrec {

namespace {

// Sorts a[0, n): by insertion up to 32 items (a group's 20-40 terms), where std::sort's setup
// costs more than the sort, else std::sort.
template <class T>
void sort_small(T* a, size_t n) {
  if (n > 32) {
    std::sort(a, a + n);
    return;
  }
  for (size_t i = 1; i < n; ++i) {
    const T x = a[i];
    size_t j = i;
    for (; j > 0 && x < a[j - 1]; --j) a[j] = a[j - 1];
    a[j] = x;
  }
}

// Terms by text.
struct TermLess {
  const std::vector<std::string>* terms;
  bool operator()(uint32_t a, uint32_t b) const { return (*terms)[a] < (*terms)[b]; }
};

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] soup_tokens: the tokens of one row, the reference the builder must match
//-----------------------------------------------------------------------------

void soup_tokens(const Catalogue& cat, uint32_t row, std::vector<std::string>& out) {
  auto add_text = [&](std::string_view text) {
    std::string low = lower(text);
    for_each_token(low, [&](std::string_view t) { out.emplace_back(t); });
  };
  auto add_list = [&](const ListColumn& col) {
    if (col.missing[row]) {
      out.emplace_back("nan");
      return;
    }
    for (const uint32_t* p = col.begin(row); p != col.end(row); ++p)
      add_text(delete_ascii_punctuation(cat.pool.str(*p)));
  };
  auto add_value = [&](uint32_t v) {
    if (v == kMissing) out.emplace_back("nan");
    else add_text(cat.pool.str(v));
  };
  if (cat.has_column("tags")) add_list(cat.tags);
  if (cat.has_column("pipeline_tag")) add_value(cat.pipeline_tag[row]);
  if (cat.has_column("author")) add_value(cat.author[row]);
  if (cat.has_column("architectures")) add_list(cat.architectures);
  if (cat.has_column("model_type")) add_value(cat.model_type[row]);
  if (cat.has_column("library_name")) add_value(cat.library_name[row]);
}

//-----------------------------------------------------------------------------
// [SECTION] SoupBuilder: the phases
//-----------------------------------------------------------------------------

// SoupBuilder's state: the phases of build_soup().
struct detail::SoupState {
  enum Phase { kTokenize, kFree, kVocabSort, kTerms, kCounts, kCompact, kIdf, kCollapse, kNorms, kDone };
  static constexpr int kPhases = kDone;
  const Catalogue& cat;
  const std::vector<uint32_t>& order;
  SoupSpace s;  // s.groups.rows: each group's counts, by provisional term until kCounts
  int phase = kTokenize;
  uint64_t pos = 0;
  bool entered = false;
  const bool has_tags, has_task, has_author, has_arch, has_type, has_lib;

  // Tokenizing: provisional term ids in order of appearance. Values repeat across rows (tags,
  // libraries), so each pool string is tokenized once per mode and the token ids are cached.
  static constexpr uint32_t kNanTerm = 0;
  StringPool prov;  // term -> provisional id (its order of first appearance)
  std::vector<std::string> prov_terms;
  uint32_t mark = 0;  // the row being tokenized, + 1 (see seen)
  // cache[mode][pool id] -> range in cache_toks; mode 0: list item (punctuation deleted), 1: value.
  std::vector<uint32_t> cache_begin[2], cache_end[2];
  std::vector<uint32_t> cache_toks;
  bool nan_used = false;
  // Grouping as rows are tokenized: a row's (term, count) pairs by provisional term, hashed into
  // open addressing over the groups (as CollapseBuilder does), the first row of each kept as its
  // group's row. Rows are identical by provisional terms exactly when they are by final terms.
  size_t cap = 1024;
  std::vector<uint32_t> slots;  // group id
  std::vector<uint64_t> group_hash;
  std::vector<uint32_t> weight;  // rows per group (for df)
  std::vector<uint32_t> row_terms;
  // Per provisional term: the last row (+ 1) that had it, and its count in that row.
  std::vector<uint32_t> seen, count;
  // Vocabulary.
  std::unique_ptr<SlicedSort<TermLess>> sorter;
  std::vector<uint32_t> sorted;  // provisional ids in vocabulary order
  std::vector<uint32_t> remap;   // provisional id -> term
  // Counts.
  std::vector<std::pair<uint32_t, float>> row;
  std::vector<uint32_t> df;
  std::unique_ptr<CollapseBuilder> collapse;
  std::unique_ptr<CsrCompactor> compactor;

  SoupState(const Catalogue& c, const std::vector<uint32_t>& o)
      : cat(c),
        order(o),
        has_tags(c.has_column("tags")),
        has_task(c.has_column("pipeline_tag")),
        has_author(c.has_column("author")),
        has_arch(c.has_column("architectures")),
        has_type(c.has_column("model_type")),
        has_lib(c.has_column("library_name")) {}

  void tokens_of(uint32_t v, int mode) {
    if (cache_begin[mode][v] == kMissing) {
      cache_begin[mode][v] = static_cast<uint32_t>(cache_toks.size());
      const std::string_view text = cat.pool.str(v);
      std::string low = mode == 0 ? lower(delete_ascii_punctuation(text)) : lower(text);
      for_each_token(low, [&](std::string_view t) {
        bool added = false;
        cache_toks.push_back(prov.intern(t, &added));
        if (added) {
          prov_terms.emplace_back(t);
          seen.push_back(0);
          count.push_back(0);
        }
      });
      cache_end[mode][v] = static_cast<uint32_t>(cache_toks.size());
    }
    for (uint32_t k = cache_begin[mode][v]; k < cache_end[mode][v]; ++k) add_token(cache_toks[k]);
  }
  // Counts a token of the row being tokenized (mark): its first in the row joins row_terms.
  void add_token(uint32_t t) {
    if (seen[t] != mark) {
      seen[t] = mark;
      count[t] = 1;
      row_terms.push_back(t);
    } else {
      ++count[t];
    }
  }
  void add_list(const ListColumn& col, uint32_t r) {
    if (col.missing[r]) {
      add_token(kNanTerm);
      return;
    }
    for (const uint32_t* p = col.begin(r); p != col.end(r); ++p) tokens_of(*p, 0);
  }
  void add_value(uint32_t v) {
    if (v == kMissing) add_token(kNanTerm);
    else tokens_of(v, 1);
  }

  uint64_t length() const {
    switch (phase) {
      case kTokenize: return cat.size();
      case kCounts: return s.groups.rows.rows();
      case kTerms: return sorted.size();
      case kIdf: return s.terms.size();
      case kNorms: return s.groups.size();
      default: return 0;
    }
  }

  // The row just tokenized: its (term, count) pairs, in order of first appearance (row_terms and
  // count, by add_token), into its group (a new one when no earlier row matches).
  // Counted without sorting, hashed as a sum over the pairs, so the order does not matter; kCounts
  // sorts each group's row by term. (Sorting each row's 20-40 tokens was the largest part of the
  // soup at 2M rows.)
  void group_row() {
    uint64_t sum = 0;
    for (const uint32_t t : row_terms) sum += mix64((uint64_t{t} << 32) | count[t]);
    const uint64_t h = mix64(sum + row_terms.size());
    nan_used |= seen[kNanTerm] == mark;
    CsrMatrix& gm = s.groups.rows;
    size_t i = (h ^ (h >> 31)) & (cap - 1);
    for (; slots[i] != kMissing; i = (i + 1) & (cap - 1)) {
      const uint32_t x = slots[i];
      if (group_hash[x] != h || gm.row_nnz(x) != row_terms.size()) continue;
      // The same size and each of x's pairs in this row: the same pairs (terms are distinct).
      uint64_t q = gm.indptr[x];
      const uint64_t end = gm.indptr[x + 1];
      for (; q < end; ++q) {
        const uint32_t t = gm.indices[q];
        if (seen[t] != mark || static_cast<float>(count[t]) != gm.values[q]) break;
      }
      if (q == end) break;
    }
    if (slots[i] == kMissing) {
      slots[i] = static_cast<uint32_t>(group_hash.size());
      const uint64_t done = s.groups.group_of.size(), total = cat.size();
      reserve_room(gm.indices, row_terms.size(), done, total);
      reserve_room(gm.values, row_terms.size(), done, total);
      gm.indices.insert(gm.indices.end(), row_terms.begin(), row_terms.end());
      for (const uint32_t t : row_terms) gm.values.push_back(static_cast<float>(count[t]));
      reserve_room(gm.indptr, 1, done, total);
      gm.indptr.push_back(gm.indices.size());
      reserve_room(group_hash, 1, done, total);
      group_hash.push_back(h);
      reserve_room(weight, 1, done, total);
      weight.push_back(0);
    }
    ++weight[slots[i]];
    s.groups.group_of.push_back(slots[i]);
  }
  static constexpr uint32_t kFirstRows = 4096;

  void enter() {
    switch (phase) {
      case kTokenize:
        prov.intern("nan");  // kNanTerm
        prov_terms.push_back("nan");
        seen.assign(1, 0);
        count.assign(1, 0);
        while (cap < cat.size() * 2) cap *= 2;
        s.groups.group_of.reserve(cat.size());
        // Not a guess for all rows up front: under WebAssembly reserved bytes are heap (its size
        // counts them, up to the 4 GB limit), touched or not. Past this, a quarter more at a time.
        s.groups.rows.indices.reserve(std::min<size_t>(cat.size(), kFirstRows) * 16);
        s.groups.rows.values.reserve(std::min<size_t>(cat.size(), kFirstRows) * 16);
        s.groups.rows.indptr.reserve(std::min<size_t>(cat.size(), kFirstRows) + 1);
        group_hash.reserve(std::min<size_t>(cat.size(), kFirstRows));
        weight.reserve(std::min<size_t>(cat.size(), kFirstRows));
        break;
      case kFree:
        for (int mode = 0; mode < 2; ++mode) {
          release(cache_begin[mode]);
          release(cache_end[mode]);
        }
        release(cache_toks, slots, row_terms);
        release(seen, count);
        release(group_hash);
        prov = StringPool();
        break;
      case kVocabSort: {
        // "nan" is only a term when some cell was missing.
        std::vector<uint32_t> ids(prov_terms.size() - (nan_used ? 0 : 1));
        std::iota(ids.begin(), ids.end(), nan_used ? 0u : 1u);
        sorter = std::make_unique<SlicedSort<TermLess>>(std::move(ids), TermLess{&prov_terms});
        break;
      }
      case kTerms:
        remap.assign(prov_terms.size(), kMissing);
        s.terms.resize(sorted.size());
        break;
      case kCounts:
        release(prov_terms);
        release(sorted);
        s.groups.rows.n_cols = static_cast<uint32_t>(s.terms.size());
        df.assign(s.terms.size(), 0);
        break;
      case kCompact:
        release(remap, weight);
        release(row);
        // The group rows grew a quarter at a time: the unused end goes (a copy, while this stage's
        // memory is well under the norms' that follow). The counts take a byte each from here on
        // (a 4-byte float before), and so do the postings built from them.
        compactor = std::make_unique<CsrCompactor>(s.groups.rows);
        break;
      case kCollapse:
        release(df);
        collapse = std::make_unique<CollapseBuilder>(std::move(s.groups), order);
        break;
      default: break;
    }
  }

  bool run(const SliceTimer& timer) {
    const uint64_t n = length();
    switch (phase) {
      case kTokenize:
        for (int mode = 0; mode < 2; ++mode) {
          if (!grow(cache_begin[mode], cat.pool.size(), kMissing, timer)) return false;
          if (!grow(cache_end[mode], cat.pool.size(), 0u, timer)) return false;
        }
        if (!grow(slots, cap, kMissing, timer)) return false;
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r) {  // the same fields, in the same order, as soup_tokens()
            mark = r + 1;
            row_terms.clear();
            if (has_tags) add_list(cat.tags, r);
            if (has_task) add_value(cat.pipeline_tag[r]);
            if (has_author) add_value(cat.author[r]);
            if (has_arch) add_list(cat.architectures, r);
            if (has_type) add_value(cat.model_type[r]);
            if (has_lib) add_value(cat.library_name[r]);
            group_row();
          }
        });
      case kFree: return true;  // all freed as it began
      case kVocabSort:          // sorted vocabulary, as CountVectorizer orders it
        if (!sorter->step(timer)) return false;
        sorted = sorter->take();
        sorter.reset();
        return true;
      case kTerms:
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e; ++k) {
            remap[sorted[k]] = static_cast<uint32_t>(k);
            s.terms[k] = std::move(prov_terms[sorted[k]]);
          }
        });
      case kCounts:  // each group's terms from provisional ids to the vocabulary's, in order
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          CsrMatrix& gm = s.groups.rows;
          for (uint64_t g = b; g < e; ++g) {
            row.clear();
            for (uint64_t k = gm.indptr[g]; k < gm.indptr[g + 1]; ++k)
              row.emplace_back(remap[gm.indices[k]], gm.values[k]);
            sort_small(row.data(), row.size());
            uint64_t k = gm.indptr[g];
            for (const auto& [t, c] : row) {
              gm.indices[k] = t;
              gm.values[k++] = c;
              df[t] += weight[g];
            }
          }
        });
      case kCompact:
        if (!compactor->step(timer)) return false;
        compactor.reset();
        return true;
      case kIdf: {
        if (!grow(s.idf, s.terms.size(), 0.0, timer)) return false;
        const double rows = static_cast<double>(cat.size());
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t t = b; t < e; ++t) s.idf[t] = std::log((1.0 + rows) / (1.0 + df[t])) + 1.0;
        });
      }
      case kCollapse:
        if (!collapse->step(timer)) return false;
        s.groups = collapse->take();
        collapse.reset();
        return true;
      case kNorms:
        if (!grow(s.group_count_sq, s.groups.size(), 0.0, timer) ||
            !grow(s.group_tfidf_sq, s.groups.size(), 0.0, timer))
          return false;
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          const CsrMatrix& gm = s.groups.rows;
          for (uint64_t g = b; g < e; ++g)
            for (uint64_t k = gm.indptr[g]; k < gm.indptr[g + 1]; ++k) {
              double c = gm.value(k);
              double w = c * s.idf[gm.indices[k]];
              s.group_count_sq[g] += c * c;
              s.group_tfidf_sq[g] += w * w;
            }
        });
      default: return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    static constexpr double w[kPhases] = {20, 0.3, 1, 0.5, 2, 0.5, 0.1, 4, 1};
    double f = 0;
    switch (phase) {
      case kVocabSort: f = sorter ? sorter->progress() : 0.0; break;
      case kCollapse: f = collapse ? collapse->progress() : 0.0; break;
      case kCompact: f = compactor ? compactor->progress() : 0.0; break;
      default: f = frac(pos, length());
    }
    return phased_progress(w, kPhases, phase, f);
  }

  const char* stage() const {
    switch (phase) {
      case kTokenize: return "soup: tokenizing";
      case kFree:
      case kVocabSort:
      case kTerms: return "soup: sorting the vocabulary";
      case kCounts: return "soup: counting terms";
      case kCompact: return "soup: packing the counts";
      case kIdf: return "soup: idf";
      case kCollapse: return "soup: grouping identical rows";
      case kNorms: return "soup: norms";
      default: return "soup: done";
    }
  }

  SoupSpace take() { return std::move(s); }
};

template class SlicedBuilder<detail::SoupState, SoupSpace>;

SoupBuilder::SoupBuilder(const Catalogue& cat, const std::vector<uint32_t>& order)
    : SlicedBuilder(std::make_unique<detail::SoupState>(cat, order)) {}

//-----------------------------------------------------------------------------
// [SECTION] build_soup
//-----------------------------------------------------------------------------

SoupSpace build_soup(const Catalogue& cat, const std::vector<uint32_t>* row_order) {
  return build_in_tie_order<SoupBuilder>(cat, row_order);
}

}  // namespace hfrec

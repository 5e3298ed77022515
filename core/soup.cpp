// Soup space: the notebook's bag of words (CountVectorizer counts, TfidfVectorizer's smooth idf),
// built in phases (tokenizing, vocabulary sort, counts, idf, collapse, norms) that each resume in
// slices (soup.h).
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
#include "text.h"

namespace hfrec {

namespace {

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
  enum Phase { kTokenize, kFreeMap, kVocabSort, kTerms, kCounts, kIdf, kCollapse, kNorms, kDone };
  static constexpr int kPhases = kDone;
  const Catalogue& cat;
  const std::vector<uint32_t>& order;
  SoupSpace s;
  CsrMatrix counts;  // one row per catalogue row, until the rows are grouped
  int phase = kTokenize;
  uint64_t pos = 0;
  bool entered = false;
  const bool has_tags, has_task, has_author, has_arch, has_type, has_lib;

  // Tokenizing: provisional term ids in order of appearance. Values repeat across rows (tags,
  // libraries), so each pool string is tokenized once per mode and the token ids are cached.
  static constexpr uint32_t kNanTerm = 0;
  std::unordered_map<std::string, uint32_t> prov;
  std::vector<std::string> prov_terms;
  std::vector<uint64_t> indptr{0};
  std::vector<uint32_t> toks;
  // cache[mode][pool id] -> range in cache_toks; mode 0: list item (punctuation deleted), 1: value.
  std::vector<uint32_t> cache_begin[2], cache_end[2];
  std::vector<uint32_t> cache_toks;
  std::vector<uint32_t> last_row;  // per provisional term: the last row holding it (distinct count)
  uint64_t nnz = 0;                // distinct terms summed over rows (the counts' nnz)
  bool nan_used = false;
  uint64_t map_size = 0;
  // Vocabulary.
  std::unique_ptr<SlicedSort<TermLess>> sorter;
  std::vector<uint32_t> sorted;  // provisional ids in vocabulary order
  std::vector<uint32_t> remap;   // provisional id -> term
  // Counts.
  std::vector<uint32_t> row, df;
  std::unique_ptr<CollapseBuilder> collapse;

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
        auto [it, ins] = prov.emplace(std::string(t), static_cast<uint32_t>(prov_terms.size()));
        if (ins) prov_terms.emplace_back(t);
        cache_toks.push_back(it->second);
      });
      cache_end[mode][v] = static_cast<uint32_t>(cache_toks.size());
    }
    toks.insert(toks.end(), cache_toks.begin() + cache_begin[mode][v], cache_toks.begin() + cache_end[mode][v]);
  }
  void add_list(const ListColumn& col, uint32_t r) {
    if (col.missing[r]) {
      toks.push_back(kNanTerm);
      return;
    }
    for (const uint32_t* p = col.begin(r); p != col.end(r); ++p) tokens_of(*p, 0);
  }
  void add_value(uint32_t v) {
    if (v == kMissing) toks.push_back(kNanTerm);
    else tokens_of(v, 1);
  }

  uint64_t length() const {
    switch (phase) {
      case kTokenize:
      case kCounts: return cat.size();
      case kFreeMap: return map_size;
      case kTerms: return sorted.size();
      case kIdf: return s.terms.size();
      case kNorms: return s.groups.size();
      default: return 0;
    }
  }

  // Room for the tokens of all rows, estimated once the first 4,096 are read, a fifth over (as the
  // hybrid's rows' terms); past it, a quarter more when a row might not fit (doubling would leave
  // up to half unused and hold both copies while it moves).
  void reserve_toks(uint32_t r) {
    const uint64_t cap = toks.capacity();
    if (r == kEstimateRows) {
      const uint64_t est = toks.size() * cat.size() / r;
      toks.reserve(std::max<uint64_t>(toks.size() + 256, est + est / 5));
    } else if (r > kEstimateRows && cap - toks.size() < 256) {
      toks.reserve(cap + cap / 4);
    }
  }
  static constexpr uint32_t kEstimateRows = 4096;

  void enter() {
    switch (phase) {
      case kTokenize:
        prov.emplace("nan", kNanTerm);
        prov_terms.push_back("nan");
        indptr.reserve(cat.size() + 1);
        // Not 24 a row up front: under WebAssembly reserved bytes are heap (its size counts them, up
        // to the 4 GB limit), touched or not. The first rows size it (reserve_toks).
        toks.reserve(std::min<size_t>(cat.size(), kEstimateRows) * 24);
        break;
      case kFreeMap:
        for (int mode = 0; mode < 2; ++mode) {
          release(cache_begin[mode]);
          release(cache_end[mode]);
        }
        release(cache_toks);
        release(last_row);
        map_size = prov.size();
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
        s.index.reserve(sorted.size());
        break;
      case kCounts:
        release(prov_terms);
        release(sorted);
        counts.n_cols = static_cast<uint32_t>(s.terms.size());
        counts.indptr.reserve(cat.size() + 1);
        counts.indices.reserve(nnz);
        counts.values.reserve(nnz);
        df.assign(s.terms.size(), 0);
        break;
      case kIdf:
        release(toks);
        release(indptr);
        release(remap);
        release(row);
        s.idf.resize(s.terms.size());
        break;
      case kCollapse:
        release(df);
        collapse = std::make_unique<CollapseBuilder>(counts, order);
        break;
      case kNorms:
        s.group_count_sq.assign(s.groups.size(), 0.0);
        s.group_tfidf_sq.assign(s.groups.size(), 0.0);
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
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r) {  // the same fields, in the same order, as soup_tokens()
            reserve_toks(r);
            const size_t begin = toks.size();
            if (has_tags) add_list(cat.tags, r);
            if (has_task) add_value(cat.pipeline_tag[r]);
            if (has_author) add_value(cat.author[r]);
            if (has_arch) add_list(cat.architectures, r);
            if (has_type) add_value(cat.model_type[r]);
            if (has_lib) add_value(cat.library_name[r]);
            indptr.push_back(toks.size());
            if (last_row.size() < prov_terms.size()) last_row.resize(prov_terms.size(), kMissing);
            for (size_t k = begin; k < toks.size(); ++k) {
              const uint32_t t = toks[k];
              nan_used |= t == kNanTerm;
              if (last_row[t] != r) {
                last_row[t] = r;
                ++nnz;
              }
            }
          }
        });
      case kFreeMap:  // a map of a million terms takes a while to free: erase in batches
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e && !prov.empty(); ++k) prov.erase(prov.begin());
          if (e >= n) prov = {};
        });
      case kVocabSort:  // sorted vocabulary, as CountVectorizer orders it
        if (!sorter->step(timer)) return false;
        sorted = sorter->take();
        sorter.reset();
        return true;
      case kTerms:
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e; ++k) {
            remap[sorted[k]] = static_cast<uint32_t>(k);
            s.terms[k] = std::move(prov_terms[sorted[k]]);
            s.index.emplace(s.terms[k], static_cast<uint32_t>(k));
          }
        });
      case kCounts:
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t r = b; r < e; ++r) {
            row.clear();
            for (uint64_t k = indptr[r]; k < indptr[r + 1]; ++k) row.push_back(remap[toks[k]]);
            std::sort(row.begin(), row.end());
            for (size_t k = 0; k < row.size();) {
              size_t end = k;
              while (end < row.size() && row[end] == row[k]) ++end;
              counts.indices.push_back(row[k]);
              counts.values.push_back(static_cast<float>(end - k));
              ++df[row[k]];
              k = end;
            }
            counts.indptr.push_back(counts.indices.size());
          }
        });
      case kIdf: {
        const double rows = static_cast<double>(cat.size());
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t t = b; t < e; ++t) s.idf[t] = std::log((1.0 + rows) / (1.0 + df[t])) + 1.0;
        });
      }
      case kCollapse:
        if (!collapse->step(timer)) return false;
        s.groups = collapse->take();
        collapse.reset();
        release(counts.indptr, counts.indices, counts.values);  // the groups hold every row's counts now
        return true;
      case kNorms:
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          const CsrMatrix& gm = s.groups.rows;
          for (uint64_t g = b; g < e; ++g)
            for (uint64_t k = gm.indptr[g]; k < gm.indptr[g + 1]; ++k) {
              double c = gm.values[k];
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
    static constexpr double w[kPhases] = {12, 0.3, 1, 0.5, 8, 0.1, 12, 1};
    double f = 0;
    switch (phase) {
      case kVocabSort: f = sorter ? sorter->progress() : 0.0; break;
      case kCollapse: f = collapse ? collapse->progress() : 0.0; break;
      default: f = frac(pos, length());
    }
    return phased_progress(w, kPhases, phase, f);
  }

  const char* stage() const {
    switch (phase) {
      case kTokenize: return "soup: tokenizing";
      case kFreeMap:
      case kVocabSort:
      case kTerms: return "soup: sorting the vocabulary";
      case kCounts: return "soup: counting terms";
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

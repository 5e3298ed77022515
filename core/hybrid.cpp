// The hybrid recommender: per-field TF-IDF vectors of every row, the query's keys over the
// postings, and the terms that explain a score (hybrid.h).
#include "hybrid.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "memory.h"
#include "sliced.h"
#include "table_move.h"
#include "text.h"

namespace hfrec {

const char* hybrid_field_name(HybridField f) {
  switch (f) {
    case HybridField::name: return "name";
    case HybridField::author: return "author";
    case HybridField::tag: return "tag";
    case HybridField::license: return "license";
    case HybridField::paper: return "paper";
    case HybridField::dataset: return "dataset";
    case HybridField::architecture: return "architecture";
    case HybridField::model_type: return "model_type";
    case HybridField::library: return "library";
    case HybridField::task: return "task";
    case HybridField::head: return "head";
    case HybridField::ngram: return "ngram";
    case HybridField::base: return "base";
  }
  return "?";
}

std::string architecture_head(std::string_view a, std::string_view model_type) {
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  for (size_t i = a.size(); i-- > 1;)
    if (a.substr(i - 1).size() > 3 && a.substr(i - 1, 3) == "For" && upper(a[i + 2]))
      return std::string(a.substr(i - 1));
  // Strip the model type, compared without case and punctuation ("xlm-roberta" ~ "XLMRoberta").
  size_t i = 0, j = 0;
  auto alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto low = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  while (i < a.size() && j < model_type.size()) {
    if (!alnum(model_type[j])) {
      ++j;
      continue;
    }
    if (low(a[i]) != low(model_type[j])) break;
    ++i, ++j;
  }
  if (!model_type.empty() && j == model_type.size() && i < a.size()) return std::string(a.substr(i));
  size_t k = a.size();
  while (k > 0 && !upper(a[k - 1])) --k;
  return std::string(a.substr(k > 0 ? k - 1 : 0));
}

namespace {

// The vocabulary's key of a term: "<field letter>\x1f<token>", written into `k` (reused).
void key_of(HybridField f, std::string_view token, std::string& k) {
  k.clear();
  k += static_cast<char>('a' + static_cast<int>(f));
  k += '\x1f';
  k += token;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// A row's sorted, distinct terms as gaps from the previous term (the first from 0), LEB128: seven
// bits a byte, the high bit set on all but a number's last byte.
void encode_terms(const std::vector<uint32_t>& terms, std::vector<uint8_t>& out) {
  out.clear();
  uint32_t prev = 0;
  for (uint32_t t : terms) {
    uint32_t v = t - prev;
    prev = t;
    for (; v >= 0x80; v >>= 7) out.push_back(static_cast<uint8_t>(v | 0x80));
    out.push_back(static_cast<uint8_t>(v));
  }
}

// Calls f(term) for each term coded in [p, end), in order.
template <class F>
void decode_terms(const uint8_t* p, const uint8_t* end, F&& f) {
  uint32_t t = 0;
  while (p != end) {
    uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
      const uint8_t b = *p++;
      v |= static_cast<uint32_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) break;
    }
    t += v;
    f(t);
  }
}

// The (field, token) pairs of one tag, lower-cased: license, paper, or a free tag with the
// 4-grams of its words (so "mozilla-foundation/common_voice_6_0" meets the name "cv-common-voice").
template <class Emit>
void tag_fields(std::string_view tag, Emit&& emit) {
  std::string t = lower(tag);
  if (starts_with(t, "license:")) return emit(HybridField::license, std::string_view(t).substr(8));
  if (starts_with(t, "dataset:")) return emit(HybridField::dataset, std::string_view(t).substr(8));
  if (starts_with(t, "arxiv:") || starts_with(t, "doi:")) return emit(HybridField::paper, std::string_view(t));
  emit(HybridField::tag, std::string_view(t));
  for (const std::string& w : id_tokens(t))
    for_each_char_4gram(w, [&](std::string_view g) { emit(HybridField::ngram, g); });
}

// The (field, token) pairs of one row's name, author and single-valued fields, lower-cased;
// duplicates allowed (removed by the caller). A pooled value goes to pooled(field, pool id), which
// emits lower(value) as `emit` would (the builder looks its term up by pool id). Tags, datasets
// and architectures go through the per-pool-string cache of the constructor.
template <class Emit, class Pooled>
void row_own_fields(const Catalogue& cat, uint32_t row, Emit&& emit, Pooled&& pooled) {
  const std::string_view id = cat.id(row);
  const size_t slash = id.rfind('/');
  std::string_view name = slash == std::string::npos ? std::string_view(id) : std::string_view(id).substr(slash + 1);
  for (const std::string& t : id_tokens(name)) {
    emit(HybridField::name, t);
    for_each_char_4gram(t, [&](std::string_view g) { emit(HybridField::ngram, g); });
  }
  if (cat.author[row] != kMissing) pooled(HybridField::author, cat.author[row]);
  else if (slash != std::string::npos) emit(HybridField::author, lower(std::string_view(id).substr(0, id.find('/'))));
  if (cat.model_type[row] != kMissing) pooled(HybridField::model_type, cat.model_type[row]);
  if (cat.library_name[row] != kMissing) pooled(HybridField::library, cat.library_name[row]);
  if (cat.pipeline_tag[row] != kMissing) pooled(HybridField::task, cat.pipeline_tag[row]);
}

}  // namespace

template <class F>
void HybridModel::for_each_row_term(uint32_t row, F&& f) const {
  decode_terms(row_bytes_.data() + row_ptr_[row], row_bytes_.data() + row_ptr_[row + 1], f);
}

// Short keys (never 0) to terms: open addressing, at most half full. Past 3/8 full it moves to a
// table twice its size a piece at each new key, as StringPool does (table_move.h): moved at
// once, 2M slots into 4M took one 100 ms step of the build at 1M rows. Lookups use the current
// table until the next replaces it.
class ShortKeyTable {
 public:
  // Where key k is (holds(at)), or the empty slot where it would go.
  size_t slot(uint64_t k) const {
    const size_t mask = keys_.size() - 1;
    size_t i = hash(k, mask);
    while (keys_[i] && keys_[i] != k) i = (i + 1) & mask;
    return i;
  }
  bool holds(size_t at) const { return keys_[at] != 0; }
  uint32_t term(size_t at) const { return terms_[at]; }
  // Enters k, not there, at its slot(k) with term t.
  void add(size_t at, uint64_t k, uint32_t t) {
    keys_[at] = k;
    terms_[at] = t;
    ++size_;
    if (move_.moving() && at < move_.moved()) place(next_keys_, next_terms_, k, t);  // the move is past its slot
    TableMove::added(size_, keys_, [&] { grow_piece(); });
  }
  void clear() {
    release(keys_, next_keys_);
    release(terms_, next_terms_);
  }

 private:
  static size_t hash(uint64_t k, size_t mask) { return (k * 0x9E3779B97F4A7C15ull >> 32) & mask; }
  static void place(std::vector<uint64_t>& keys, std::vector<uint32_t>& terms, uint64_t k, uint32_t t) {
    const size_t mask = keys.size() - 1;
    size_t i = hash(k, mask);
    while (keys[i]) i = (i + 1) & mask;
    keys[i] = k;
    terms[i] = t;
  }
  // A piece of the move to the next table (table_move.h), its slots 32 at a time.
  void grow_piece() {
    move_.piece(
        [&](size_t n) {
          const size_t target = 2 * keys_.size();
          const bool whole = zero_piece(next_keys_, target, n);
          zero_piece(next_terms_, target, n);
          return whole;
        },
        keys_.size(), 32,
        [&](size_t i) {
          if (keys_[i]) place(next_keys_, next_terms_, keys_[i], terms_[i]);
        },
        [&] {
          keys_.swap(next_keys_);
          terms_.swap(next_terms_);
          release(next_keys_, next_terms_);
        });
  }
  std::vector<uint64_t> keys_ = std::vector<uint64_t>(1024, 0);  // 0: empty; size a power of two
  std::vector<uint32_t> terms_ = std::vector<uint32_t>(1024, 0);
  std::vector<uint64_t> next_keys_;
  std::vector<uint32_t> next_terms_;
  size_t size_ = 0;  // keys
  TableMove move_;   // items: the slots of keys_
};

// The hybrid model in slices, phase by phase (sliced.h's run_phases): the rows' terms, idf, the
// rows' weights, the posting lists (counts, then filled row by row), the popularity prior.
struct detail::HybridState {
  enum Phase { kTerms, kIdf, kPostCounts, kPostFill, kMaxDownloads, kPrior, kDone };
  static constexpr int kPhases = kDone;
  const Catalogue& cat;
  HybridModel m;
  int phase = kTerms;
  uint64_t pos = 0;
  bool entered = false;
  // The rows' terms: distinct terms per row, document frequencies.
  std::vector<uint32_t> df, row_buf;
  std::string key;
  // Tags, datasets and architectures repeat across rows: each pooled string is tokenized once per
  // role and its term ids cached (as build_soup does).
  enum Role { kTag, kDataset, kArch, kRoles };
  std::vector<uint32_t> cache_begin[kRoles], cache_end[kRoles];
  std::vector<uint32_t> cache_terms;
  std::vector<float> row_w;    // one row's weights
  std::vector<uint8_t> coded;  // one row's terms, coded
  uint64_t postings = 0;       // the rows' terms, all rows
  bool failed = false;         // out of memory: m holds only the error
  // Short 4-grams (at most 7 bytes: every ASCII one), the most looked-up terms, in a table of their
  // packed bytes (gram_key) to their term: one probe of a flat array instead of the vocabulary's
  // hash, id and bytes. Only a new gram goes to the vocabulary (for its text and id). The same
  // table finds a pooled value's term by its pool id (pooled_key): the author, model type, library
  // and task repeat across rows. Both keep the vocabulary's first-seen order, so the terms' ids are
  // those of looking every token up there. (Name words of up to 7 bytes in it too: no faster at 1M.)
  ShortKeyTable grams;
  int64_t max_dl = 0;

  const Lineage* lineage;
  std::unique_ptr<Lineage> own_lineage;  // when none was given

  HybridState(const Catalogue& c, HybridParams p, const Lineage* lin) : cat(c), lineage(lin) { m.p_ = p; }

  static uint64_t gram_key(HybridField f, std::string_view g) {
    uint64_t k = 0;
    for (size_t i = 0; i < g.size(); ++i) k |= uint64_t(static_cast<unsigned char>(g[i])) << (8 * i);
    return k | (uint64_t(0x80 | (static_cast<unsigned>(f) << 3) | g.size()) << 56);  // never 0
  }
  // A pooled value's key: its field and pool id, the top bit clear (a gram's is set), never 0.
  static uint64_t pooled_key(HybridField f, uint32_t v) {
    return (uint64_t(0x40 | static_cast<unsigned>(f)) << 56) | v;
  }

  uint32_t term_of(HybridField f, std::string_view tok) {
    if (f == HybridField::ngram && tok.size() <= 7)
      return short_key_term(gram_key(f, tok), [&] { return add_term(f, tok); });
    return add_term(f, tok);
  }

  // The term of pooled value v in field f, kMissing when it lowers to nothing (no term, as
  // row_own_fields' emit skips an empty token).
  uint32_t pooled_term(HybridField f, uint32_t v) {
    return short_key_term(pooled_key(f, v), [&] {
      const std::string value = lower(cat.pool.str(v));
      return value.empty() ? kMissing : add_term(f, value);
    });
  }

  // The term under key k in the short-key table, made by make() and entered when new.
  template <class Make>
  uint32_t short_key_term(uint64_t k, Make&& make) {
    const size_t at = grams.slot(k);
    if (grams.holds(at)) return grams.term(at);
    const uint32_t t = make();
    grams.add(at, k, t);
    return t;
  }

  // The term of (f, tok) in the vocabulary, added when new.
  uint32_t add_term(HybridField f, std::string_view tok) {
    key_of(f, tok, key);
    bool added = false;
    const uint32_t t = m.vocab_.intern(key, &added);
    if (added) {
      m.term_field_.push_back(static_cast<uint8_t>(f));
      df.push_back(0);
    }
    return t;
  }

  // Room for `more` bytes of row r's terms (room_for in core/sliced.h: once 4,096 rows are read,
  // the room for all rows is estimated from them). False (and error_ set) when the heap has no
  // room for it.
  bool reserve_terms(uint32_t r, size_t more) {
    std::vector<uint8_t>& v = m.row_bytes_;
    const uint64_t cap = v.capacity(), want = room_for(v.size(), cap, more, r, cat.size());
    if (want == cap) return true;
    if (want > (1u << 24) && !can_allocate(want))
      return fail(out_of_memory(want, "the hybrid model's rows (" + std::to_string(cat.size()) + " rows)"));
    v.reserve(want);
    return true;
  }

  // Gives up: frees what was built and ends the build with the model's error set.
  bool fail(std::string why) {
    m = HybridModel();
    m.error_ = std::move(why);
    for (int r = 0; r < kRoles; ++r) release(cache_begin[r], cache_end[r]);
    release(df, row_buf, cache_terms);
    release(row_w);
    release(coded);
    grams.clear();
    own_lineage.reset();
    lineage = nullptr;
    failed = true;
    return false;
  }

  // Checks that `bytes` more fit before a phase allocates them.
  bool fits(uint64_t bytes, const char* what) {
    if (can_allocate(bytes)) return true;
    return fail(out_of_memory(bytes, what));
  }

  void cached(Role role, uint32_t v, uint32_t row) {
    if (cache_begin[role][v] == kMissing || role == kArch) {  // the head depends on the row's model type
      const uint32_t b = static_cast<uint32_t>(cache_terms.size());
      auto add = [&](HybridField f, std::string_view tok) {
        if (!tok.empty()) cache_terms.push_back(term_of(f, tok));
      };
      if (role == kTag) {
        tag_fields(cat.pool.str(v), add);
      } else if (role == kDataset) {
        add(HybridField::dataset, lower(cat.pool.str(v)));
      } else {
        add(HybridField::architecture, lower(cat.pool.str(v)));
        add(HybridField::head, lower(architecture_head(cat.pool.str(v), cat.value(cat.model_type[row]))));
      }
      if (role == kArch) {
        row_buf.insert(row_buf.end(), cache_terms.begin() + b, cache_terms.end());
        cache_terms.resize(b);
        return;
      }
      cache_begin[role][v] = b;
      cache_end[role][v] = static_cast<uint32_t>(cache_terms.size());
    }
    row_buf.insert(row_buf.end(), cache_terms.begin() + cache_begin[role][v], cache_terms.begin() + cache_end[role][v]);
  }

  uint64_t length() const {
    switch (phase) {
      case kIdf: return m.term_field_.size();
      default: return cat.size();
    }
  }

  void enter() {
    if (failed) return;
    switch (phase) {
      case kTerms:
        m.row_ptr_.reserve(cat.size() + 1);
        if (!lineage) {
          own_lineage = std::make_unique<Lineage>(cat);
          lineage = own_lineage.get();
        }
        break;
      case kIdf:
        for (int r = 0; r < kRoles; ++r) release(cache_begin[r], cache_end[r]);
        own_lineage.reset();
        lineage = nullptr;
        release(cache_terms, row_buf);
        grams.clear();
        break;
      // The arrays a phase fills are reserved here, each once it is known to fit (reserving
      // touches no page), and written in run(), in slices: written at once, the postings' 800 MB
      // at 1M rows took one 2.8 s step (fresh pages cost about 4 ms a MB at first touch).
      case kPostCounts:
        release(df);
        if (!fits((m.term_field_.size() + 1) * sizeof(uint64_t), "the hybrid model's term index")) break;
        m.post_ptr_.reserve(m.term_field_.size() + 1);
        break;
      case kPostFill: {
        // post_ptr_[t + 1] becomes term t's first posting, the next free one as the fill writes
        // it; once filled, it is where t's postings end, i.e. where t + 1's begin.
        uint64_t start = 0;
        for (size_t t = 0; t < m.term_field_.size(); ++t) {
          const uint64_t count = m.post_ptr_[t + 1];
          m.post_ptr_[t + 1] = start;
          start += count;
        }
        // The postings' rows and weights.
        if (!fits(postings * sizeof(uint32_t), "the hybrid model's inverted index")) break;
        m.post_rows_.reserve(postings);
        if (!fits(postings * sizeof(float), "the hybrid model's inverted index")) break;
        m.post_weights_.reserve(postings);
        break;
      }
      default: break;
    }
  }

  bool run(const SliceTimer& timer) {
    if (failed) return false;
    const uint64_t n = length();
    switch (phase) {
      case kTerms:
        for (int r = 0; r < kRoles; ++r) {
          if (!grow(cache_begin[r], cat.pool.size(), kMissing, timer)) return false;
          if (!grow(cache_end[r], cat.pool.size(), 0u, timer)) return false;
        }
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e && !failed; ++r) {
            row_buf.clear();
            row_own_fields(
                cat, r,
                [&](HybridField f, std::string_view tok) {
                  if (!tok.empty()) row_buf.push_back(term_of(f, tok));
                },
                [&](HybridField f, uint32_t v) {
                  if (const uint32_t t = pooled_term(f, v); t != kMissing) row_buf.push_back(t);
                });
            for (const uint32_t* p = cat.tags.begin(r); p != cat.tags.end(r); ++p) cached(kTag, *p, r);
            for (const uint32_t* p = cat.datasets.begin(r); p != cat.datasets.end(r); ++p) cached(kDataset, *p, r);
            for (const uint32_t* p = cat.architectures.begin(r); p != cat.architectures.end(r); ++p)
              cached(kArch, *p, r);
            if (!lineage->empty()) {
              for (const Parent& p : lineage->parents(r))
                row_buf.push_back(term_of(HybridField::base, lower(lineage->node_id(p.node))));
              if (!lineage->children(r).empty()) row_buf.push_back(term_of(HybridField::base, lower(cat.id(r))));
            }
            std::sort(row_buf.begin(), row_buf.end());
            row_buf.erase(std::unique(row_buf.begin(), row_buf.end()), row_buf.end());
            for (uint32_t t : row_buf) ++df[t];
            postings += row_buf.size();
            encode_terms(row_buf, coded);
            if (!reserve_terms(r, coded.size())) break;
            m.row_bytes_.insert(m.row_bytes_.end(), coded.begin(), coded.end());
            m.row_ptr_.push_back(m.row_bytes_.size());
          }
        });
      case kIdf: {  // smooth idf
        if (!grow(m.idf_, m.term_field_.size(), 0.0, timer)) return false;
        const double rows = static_cast<double>(cat.size());
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t t = b; t < e; ++t) m.idf_[t] = std::log((1.0 + rows) / (1.0 + df[t])) + 1.0;
        });
      }
      case kPostCounts:
        if (!grow(m.post_ptr_, m.term_field_.size() + 1, uint64_t{0}, timer)) return false;
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r)
            m.for_each_row_term(r, [&](uint32_t t) { ++m.post_ptr_[t + 1]; });
        });
      case kPostFill:  // rows ascending within a term; the field weight goes on the postings
        if (!grow(m.post_rows_, postings, 0u, timer) || !grow(m.post_weights_, postings, 0.0f, timer)) return false;
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r) {
            m.row_terms(r, row_buf);
            row_w.resize(row_buf.size());
            m.row_weights_of(row_buf.data(), row_buf.size(), row_w.data());
            for (size_t k = 0; k < row_buf.size(); ++k) {
              const uint32_t t = row_buf[k];
              const uint64_t at = m.post_ptr_[t + 1]++;
              m.post_rows_[at] = r;
              m.post_weights_[at] = static_cast<float>(m.p_.field_weight[m.term_field_[t]] * row_w[k]);
            }
          }
        });
      case kMaxDownloads:
        return batches(pos, n, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t r = b; r < e; ++r) max_dl = std::max(max_dl, cat.downloads[r]);
        });
      case kPrior:  // in [0, 1] before its weight; singleton groups (every row its own, by row id)
        if (!grow(m.base_key_, cat.size(), 0.0, timer) || !grow(m.groups_.group_of, cat.size(), 0u, timer) ||
            !grow(m.groups_.members, cat.size(), 0u, timer) || !grow(m.groups_.member_ptr, cat.size() + 1, 0u, timer))
          return false;
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r) {
            if (max_dl > 0)
              m.base_key_[r] = -(m.p_.popularity_prior * std::log1p(static_cast<double>(cat.downloads[r])) /
                                 std::log1p(static_cast<double>(max_dl)));
            m.groups_.group_of[r] = r;
            m.groups_.members[r] = r;
            m.groups_.member_ptr[r + 1] = r + 1;
          }
        });
      default: return true;
    }
  }

  // True when done, or given up (failed: take() has the error).
  bool step(const SliceTimer& timer) { return run_phases(*this, timer) || failed; }

  double progress() const {
    if (failed) return 1.0;
    static constexpr double w[kPhases] = {20, 0.2, 0.5, 5, 0.1, 1};
    return phased_progress(w, kPhases, phase, frac(pos, length()));
  }

  const char* stage() const {
    if (failed) return "hybrid: not enough memory";
    switch (phase) {
      case kTerms: return "hybrid: reading the fields";
      case kIdf: return "hybrid: weighting terms";
      case kPostCounts:
      case kPostFill: return "hybrid: inverted index";
      case kMaxDownloads:
      case kPrior: return "hybrid: popularity";
      default: return "hybrid: done";
    }
  }

  HybridModel take() { return std::move(m); }
};

template class SlicedBuilder<detail::HybridState, HybridModel>;

HybridBuilder::HybridBuilder(const Catalogue& cat, HybridParams p, const Lineage* lineage)
    : SlicedBuilder(std::make_unique<detail::HybridState>(cat, p, lineage)) {}

HybridModel::HybridModel(const Catalogue& cat, HybridParams p) : HybridModel(cat, p, nullptr) {}

HybridModel::HybridModel(const Catalogue& cat, HybridParams p, const Lineage* lineage) {
  HybridBuilder b(cat, p, lineage);
  finish(b);
  *this = b.take();
}

uint32_t HybridModel::find(HybridField f, std::string_view token) const {
  std::string key;
  key_of(f, token, key);
  return vocab_.find(key);
}

HybridQuery HybridModel::normalise(std::vector<std::pair<uint32_t, double>> raw) const {
  std::sort(raw.begin(), raw.end());
  HybridQuery q;
  double sq[kHybridFields] = {};
  for (size_t i = 0; i < raw.size(); ++i) {
    if (i > 0 && raw[i].first == raw[i - 1].first) continue;  // binary tf
    q.terms.push_back(raw[i]);
    sq[term_field_[raw[i].first]] += idf_[raw[i].first] * idf_[raw[i].first];
  }
  for (auto& [t, w] : q.terms) w = idf_[t] / std::sqrt(sq[term_field_[t]]);
  set_scale(q);
  return q;
}

void HybridModel::set_scale(HybridQuery& q) const {
  bool seen[kHybridFields] = {};
  double total = 0;
  for (auto [t, w] : q.terms)
    if (!seen[term_field_[t]]) {
      seen[term_field_[t]] = true;
      total += p_.field_weight[term_field_[t]];
    }
  q.scale = total > 0 ? 1.0 / total : 1.0;
}

// idf (binary tf), each field's sub-vector l2-normalised (the field weight is the postings').
void HybridModel::row_weights_of(const uint32_t* terms, size_t n, float* w) const {
  double sq[kHybridFields] = {};
  for (size_t k = 0; k < n; ++k) sq[term_field_[terms[k]]] += idf_[terms[k]] * idf_[terms[k]];
  for (size_t k = 0; k < n; ++k) {
    const uint32_t t = terms[k];
    w[k] = static_cast<float>(idf_[t] / std::sqrt(sq[term_field_[t]]));
  }
}

void HybridModel::row_terms(uint32_t row, std::vector<uint32_t>& out) const {
  out.clear();
  for_each_row_term(row, [&](uint32_t t) { out.push_back(t); });
}

void HybridModel::row_csr(std::vector<uint64_t>& ptr, std::vector<uint32_t>& terms) const {
  ptr.assign(1, 0);
  ptr.reserve(row_ptr_.size());
  terms.clear();
  terms.reserve(post_rows_.size());
  for (uint32_t r = 0; r + 1 < row_ptr_.size(); ++r) {
    for_each_row_term(r, [&](uint32_t t) { terms.push_back(t); });
    ptr.push_back(terms.size());
  }
}

std::vector<float> HybridModel::row_weights() const {
  std::vector<float> w(post_rows_.size());
  std::vector<uint32_t> terms;
  size_t at = 0;
  for (uint32_t r = 0; r + 1 < row_ptr_.size(); ++r) {
    row_terms(r, terms);
    row_weights_of(terms.data(), terms.size(), w.data() + at);
    at += terms.size();
  }
  return w;
}

HybridQuery HybridModel::row_query(uint32_t row) const {
  HybridQuery q;
  std::vector<uint32_t> terms;
  row_terms(row, terms);
  std::vector<float> w(terms.size());
  row_weights_of(terms.data(), terms.size(), w.data());
  q.terms.reserve(terms.size());
  for (size_t k = 0; k < terms.size(); ++k) q.terms.emplace_back(terms[k], w[k]);
  set_scale(q);
  return q;
}

HybridQuery HybridModel::text_query(std::string_view pipeline_tag, std::string_view library_name,
                                    std::string_view model_type, std::string_view author,
                                    const std::vector<std::string>& architectures, std::string_view text) const {
  std::vector<std::pair<uint32_t, double>> raw;
  auto add = [&](HybridField f, std::string_view value) {
    if (value.empty()) return;
    uint32_t t = find(f, lower(value));
    if (t != kMissing) raw.emplace_back(t, idf_[t]);
  };
  add(HybridField::task, pipeline_tag);
  add(HybridField::library, library_name);
  add(HybridField::model_type, model_type);
  add(HybridField::author, author);
  for (const auto& a : architectures) add(HybridField::architecture, a);
  // Free text: each word, and each id-style piece of it, in whichever fields hold it.
  std::vector<std::string> words;
  std::string low = lower(text);
  for_each_token(low, [&](std::string_view w) { words.emplace_back(w); });
  for (const auto& piece : id_tokens(text)) words.push_back(piece);
  for (const auto& w : words) {
    for (int f = 0; f < kHybridFields; ++f)
      if (static_cast<HybridField>(f) != HybridField::ngram) add(static_cast<HybridField>(f), w);
    for_each_char_4gram(w, [&](std::string_view g) { add(HybridField::ngram, g); });
  }
  return normalise(std::move(raw));
}

void HybridModel::keys(const HybridQuery& q, std::vector<double>& key) const {
  key.assign(base_key_.begin(), base_key_.end());  // one block copy
  double* out = key.data();
  for (auto [t, w] : q.terms) {
    const double ws = w * q.scale;
    // Pointers, not 64-bit offsets: under WebAssembly (32-bit addresses) this loop is then 32-bit.
    const uint32_t* row = post_rows_.data() + post_ptr_[t];
    const uint32_t* const end = post_rows_.data() + post_ptr_[t + 1];
    const float* weight = post_weights_.data() + post_ptr_[t];
    // Four at a time: a WebAssembly engine checks for interrupts on every loop iteration.
    for (; end - row >= 4; row += 4, weight += 4) {
      out[row[0]] -= ws * weight[0];
      out[row[1]] -= ws * weight[1];
      out[row[2]] -= ws * weight[2];
      out[row[3]] -= ws * weight[3];
    }
    for (; row != end; ++row, ++weight) out[*row] -= ws * *weight;
  }
}

namespace {

// Calls f(term, query weight, row weight) for each of the row's terms that the query holds, in term
// order (key() and explain() both read a row's terms so).
template <class F>
void each_shared_term(const HybridQuery& q, const uint32_t* terms, const float* w, size_t n, F&& f) {
  auto qi = q.terms.begin();
  for (size_t j = 0; j < n && qi != q.terms.end(); ++j) {
    const uint32_t t = terms[j];
    while (qi != q.terms.end() && qi->first < t) ++qi;
    if (qi != q.terms.end() && qi->first == t) f(t, qi->second, w[j]);
  }
}

}  // namespace

double HybridModel::key(const HybridQuery& q, uint32_t row) const {
  double k = base_key_[row];
  // The row's terms and weights on the stack (a term takes a byte at least, so the row's bytes
  // bound them): a query's walk keys hundreds of rows, and two vectors each, grown term by term,
  // made the allocator a tenth of a hybrid query in WebAssembly.
  constexpr size_t kOnStack = 256;
  uint32_t terms_here[kOnStack];
  float w_here[kOnStack];
  std::vector<uint32_t> terms_heap;
  std::vector<float> w_heap;
  uint32_t* terms = terms_here;
  float* w = w_here;
  if (const size_t most = row_ptr_[row + 1] - row_ptr_[row]; most > kOnStack) {
    terms_heap.resize(most);
    w_heap.resize(most);
    terms = terms_heap.data();
    w = w_heap.data();
  }
  size_t n = 0;
  for_each_row_term(row, [&](uint32_t t) { terms[n++] = t; });
  row_weights_of(terms, n, w);
  each_shared_term(q, terms, w, n, [&](uint32_t t, double qw, float rw) {
    // As the builder weighs a posting (kPostFill) and keys() subtracts it.
    const float weight = static_cast<float>(p_.field_weight[term_field_[t]] * rw);
    const double ws = qw * q.scale;
    k -= ws * weight;
  });
  return k;
}

std::vector<std::string> HybridModel::explain(const HybridQuery& q, uint32_t row) const {
  std::vector<std::pair<double, uint32_t>> contrib;
  std::vector<uint32_t> terms;
  row_terms(row, terms);
  std::vector<float> w(terms.size());
  row_weights_of(terms.data(), terms.size(), w.data());
  each_shared_term(q, terms.data(), w.data(), terms.size(), [&](uint32_t t, double qw, float rw) {
    contrib.emplace_back(-(qw * q.scale * p_.field_weight[term_field_[t]] * rw), t);
  });
  // The 4-grams are one explanation: "ngram:^squ+squa+quad (0.05)" (largest first, at most 4 shown).
  double ngram_total = 0;
  std::string ngram_text;
  int ngram_shown = 0;
  std::sort(contrib.begin(), contrib.end());
  for (const auto& [c, t] : contrib)
    if (term_field_[t] == static_cast<uint8_t>(HybridField::ngram)) {
      ngram_total += -c;
      if (ngram_shown++ < 4) ngram_text += (ngram_text.empty() ? "" : "+") + std::string(term_text(t));
    }
  std::erase_if(contrib,
                [&](const auto& x) { return term_field_[x.second] == static_cast<uint8_t>(HybridField::ngram); });
  if (ngram_total > 0) {
    contrib.emplace_back(-ngram_total, kMissing);
    std::sort(contrib.begin(), contrib.end());
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < contrib.size() && i < p_.max_explanations; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " (%.2f)", -contrib[i].first);
    const uint32_t t = contrib[i].second;
    if (t == kMissing) out.push_back("ngram:" + ngram_text + buf);
    else
      out.push_back(std::string(hybrid_field_name(static_cast<HybridField>(term_field_[t]))) + ":" +
                    std::string(term_text(t)) + buf);
  }
  if (-base_key_[row] > 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "popularity (%.2f)", -base_key_[row]);
    out.emplace_back(buf);
  }
  return out;
}

}  // namespace hfrec

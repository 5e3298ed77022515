// The hybrid recommender: a weighted sum of per-field TF-IDF cosines over everything a catalogue row holds
// (model-id name tokens, author, tags, architectures, model type, library, task, datasets, and
// character 4-grams of name and tag words), plus a small popularity prior. Weights and their
// reasons: docs/hybrid.md.
// References: TF-IDF cosine (Salton & Buckley 1988), field weights as in BM25F (Robertson,
// Zaragoza & Taylor 2004; Robertson & Zaragoza 2009), smooth idf as scikit-learn's TfidfVectorizer,
// character n-grams for fuzzy word matching (Cavnar & Trenkle 1994; McNamee & Mayfield 2004).
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "features.h"
#include "job.h"
#include "lineage.h"
#include "text.h"

namespace hfrec {

// The fields a row's tokens come from; each token is matched only within its field.
enum class HybridField : uint8_t {
  name,          // model-id name part split by id_tokens ("bert-base-uncased" -> bert, base, uncased)
  author,        // the author column, or the id's namespace before '/'
  tag,           // tags that are not one of the fields below ("pytorch", "en", "has_space", ...)
  license,       // "license:*" tags
  paper,         // "arxiv:*" and "doi:*" tags (shared lineage)
  dataset,       // the datasets column and "dataset:*" tags
  architecture,  // each item of architectures
  model_type,
  library,
  task,   // pipeline_tag
  head,   // the task head of each architecture ("BertForSequenceClassification" -> ForSequenceClassification)
  ngram,  // character 4-grams of the words of the name and of the free tags ("^squ", "squa", "quad", "uad$")
  base,   // the model tree (lineage.h): the ids of the row's base models, and its own id when models
          // are made from it, so a fine-tune meets its base and its siblings
};
inline constexpr int kHybridFields = 13;

// Calls emit(gram) for each 4-gram of code points of "^" + word + "$" (word is UTF-8, so grams never
// split a character); words shorter than 3 code points give none.
template <class F>
void for_each_char_4gram(std::string_view word, F&& emit) {
  if (word.size() <= 62) {  // ASCII (the common case): a byte is a code point, no allocation
    bool ascii = true;
    for (char c : word) ascii &= static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      if (word.size() < 3) return;
      char buf[64];
      buf[0] = '^';
      for (size_t i = 0; i < word.size(); ++i) buf[i + 1] = word[i];
      buf[word.size() + 1] = '$';
      for (size_t i = 0; i + 4 <= word.size() + 2; ++i) emit(std::string_view(buf + i, 4));
      return;
    }
  }
  std::string b;
  b.reserve(word.size() + 2);
  b += '^';
  b += word;
  b += '$';
  std::vector<size_t> at;  // start offset of each code point, then the end
  for (size_t i = 0; i < b.size();) {
    at.push_back(i);
    utf8_next(b, i);
  }
  at.push_back(b.size());
  if (at.size() < 6) return;  // fewer than 5 code points: "^ab$"
  for (size_t i = 0; i + 4 < at.size(); ++i) emit(std::string_view(b).substr(at[i], at[i + 4] - at[i]));
}

// The head of an architecture class name: from "For" ("ForMaskedLM"), else what follows the model
// type ("GPT2LMHeadModel", gpt2 -> LMHeadModel), else the last CamelCase word ("Model").
std::string architecture_head(std::string_view architecture, std::string_view model_type);

// Field names as shown in explanations ("name:bert (0.31)").
const char* hybrid_field_name(HybridField f);

// Weights of the hybrid; the defaults are argued for in docs/hybrid.md.
struct HybridParams {
  // Multiplies a field's cosine (BM25F-style field boost); index by HybridField:
  // name, author, tag, license, paper, dataset, architecture, model_type, library, task, head, ngram, base.
  double field_weight[kHybridFields] = {1, 1, 1, 1, 1, 1, 0.5, 0, 1, 1, 2, 1, 1};
  // Weight of the popularity prior log(1 + downloads) / log(1 + max downloads), in [0, prior].
  double popularity_prior = 0.01;
  // Explanations kept per result.
  size_t max_explanations = 8;
};

// A query in the hybrid's term space: (term, weight), weights l2-normalised.
struct HybridQuery {
  std::vector<std::pair<uint32_t, double>> terms;  // sorted by term
  double scale = 1;  // 1 / (sum of the weights of the query's fields): scores fall in [0, 1]
  bool empty() const { return terms.empty(); }
};

namespace detail {
struct HybridState;
}

// The hybrid's index over one catalogue: a term vocabulary per field and an inverted index.
class HybridModel {
 public:
  HybridModel() = default;
  HybridModel(const Catalogue& cat, HybridParams p = {});
  // The same, its base field read from `lineage` (built over `cat`) instead of one it builds.
  HybridModel(const Catalogue& cat, HybridParams p, const Lineage* lineage);

  // The query vector of a catalogue row.
  HybridQuery row_query(uint32_t row) const;
  // The query vector of field values and free text; text tokens match every field that holds them.
  HybridQuery text_query(std::string_view pipeline_tag, std::string_view library_name, std::string_view model_type,
                         std::string_view author, const std::vector<std::string>& architectures,
                         std::string_view text) const;
  // Sets key[r] = -(similarity of q to row r + prior) for every row (key is resized): smaller is
  // closer, as select_topk wants. One pass for the prior, one over the query terms' postings.
  void keys(const HybridQuery& q, std::vector<double>& key) const;
  // keys(q, key)[row] for one row, bit for bit (the same terms subtracted in the same order), from
  // the row's own terms: what a pruned walk (recommender.cpp) computes for its candidates alone.
  double key(const HybridQuery& q, uint32_t row) const;
  // The rows holding term t, ascending, and their weights with the field weight (what keys() walks).
  uint64_t posting_count(uint32_t t) const { return post_ptr_[t + 1] - post_ptr_[t]; }
  const uint32_t* posting_rows(uint32_t t) const { return post_rows_.data() + post_ptr_[t]; }
  const float* posting_weights(uint32_t t) const { return post_weights_.data() + post_ptr_[t]; }
  // The largest popularity prior a row can have (its weight).
  double max_prior() const { return p_.popularity_prior > 0 ? p_.popularity_prior : 0.0; }
  // "field:token (0.31)" for the terms q and row share, largest contribution first.
  std::vector<std::string> explain(const HybridQuery& q, uint32_t row) const;
  // Singleton groups over the rows (for select_topk).
  const Groups& groups() const { return groups_; }
  size_t terms() const { return term_field_.size(); }
  // The rows' terms in all (row_csr()'s terms.size()).
  size_t entries() const { return post_rows_.size(); }
  // The rows' vectors (row -> sorted terms and their per-field l2-normalised idf weights, without
  // the field weight), a term's field weight and a row's popularity prior: what a query's score is
  // made of, for computations over every pair of rows (core/knn_graph).
  // - The rows' terms are stored delta-coded (LEB128), about 2 bytes a term instead of 4: a million
  //   rows hold some 80 million terms. row_csr() decodes them all; row_terms() one row.
  void row_csr(std::vector<uint64_t>& ptr, std::vector<uint32_t>& terms) const;
  void row_terms(uint32_t row, std::vector<uint32_t>& out) const;
  // Every row's weights, parallel to row_csr()'s terms. They are not stored (a million rows: 330 MB
  // as floats) but computed from the idf, exactly as the postings' were.
  std::vector<float> row_weights() const;
  // Bytes of the rows' coded terms, and their capacity (the builder sizes it from the first rows).
  size_t row_bytes() const { return row_bytes_.size(); }
  size_t row_bytes_capacity() const { return row_bytes_.capacity(); }
  // Why the model could not be built ("" when it was): under WebAssembly the heap stops at 4 GB,
  // and the builder checks its large arrays fit before it allocates them (memory.h).
  const std::string& error() const { return error_; }
  double term_weight(uint32_t t) const { return p_.field_weight[term_field_[t]]; }
  HybridField term_field(uint32_t t) const { return static_cast<HybridField>(term_field_[t]); }
  double prior(uint32_t row) const { return -base_key_[row]; }

 private:
  friend struct detail::HybridState;
  uint32_t find(HybridField f, std::string_view token) const;
  HybridQuery normalise(std::vector<std::pair<uint32_t, double>> raw) const;
  void set_scale(HybridQuery& q) const;

  HybridParams p_;
  // A term's token (without its field).
  std::string_view term_text(uint32_t t) const { return vocab_.str(t).substr(2); }

  StringPool vocab_;  // term -> "<field letter>\x1f<token>" (key_of), interned in order of first sight
  std::vector<uint8_t> term_field_;
  std::vector<double> idf_;  // smooth idf: ln((1 + n) / (1 + df)) + 1
  // Calls f(term) for each of row's terms, ascending (hybrid.cpp only).
  template <class F>
  void for_each_row_term(uint32_t row, F&& f) const;
  // The weights of a row's n sorted terms (row_weights()) into w[0 .. n).
  void row_weights_of(const uint32_t* terms, size_t n, float* w) const;

  std::vector<uint64_t> row_ptr_{0};  // row -> its terms (sorted) in row_bytes_; weights by row_weights_of
  std::vector<uint8_t> row_bytes_;    // each row's terms: the gaps from the previous term (from 0), LEB128
  std::string error_;
  std::vector<uint64_t> post_ptr_;  // term -> rows holding it, with the row's weight
  std::vector<uint32_t> post_rows_;
  std::vector<float> post_weights_;
  std::vector<double> base_key_;  // -(popularity prior) per row: the key no query term moves
  Groups groups_;
};

extern template class SlicedBuilder<detail::HybridState, HybridModel>;

// HybridModel(cat, p) in slices, so a tab keeps drawing while a million rows are read (a
// HybridModel is built on first use by Index::hybrid(); the app builds it with this after a load).
// Phases: the rows' terms (rows), idf (terms), the inverted index (row terms, then rows, weighing
// each row's terms), the popularity prior (rows). Work units as sliced.h's batches: a row or term is one, a
// flat element a 16th; no piece exceeds 1024 units. The catalogue must outlive the builder.
// The base field reads `lineage` (built over `cat`; it must outlive the builder); without one the
// builder builds its own in its first step (one unsliced pass over the rows and tags).
class HybridBuilder : public SlicedBuilder<detail::HybridState, HybridModel> {
 public:
  explicit HybridBuilder(const Catalogue& cat, HybridParams p = {}, const Lineage* lineage = nullptr);
};

}  // namespace hfrec

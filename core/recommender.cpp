// The recommenders' scoring: a query in both feature spaces (a catalogue row's groups, or an
// ad-hoc query tokenized as the soup is), scored over the inverted indexes of the touched groups
// for the five methods and the hybrid, then the exact top-k with the tie order (topk.h).
#include "recommender.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "text.h"

namespace hfrec {

struct Index::Query {
  std::vector<uint32_t> attrs;                     // sorted attribute columns
  size_t attr_count = 0;                           // |A| including values unknown to the catalogue
  std::vector<std::pair<uint32_t, double>> terms;  // (term, count), sorted by term
  double count_sq = 0;                             // sum of squared counts (unknown terms included)
  double tfidf_sq = 0;                             // sum of squared count*idf (unknown terms with the idf of df=0)
  uint32_t attr_group = kMissing;                  // the query's attribute group when it is a catalogue row
};

Index::Query Index::row_query(uint32_t row) const {
  Query q;
  const Groups& ag = attr_.groups;
  for (uint64_t k = ag.row_begin(row); k < ag.row_end(row); ++k) q.attrs.push_back(ag.rows.indices[k]);
  q.attr_count = q.attrs.size();
  q.attr_group = attr_.groups.group_of[row];
  const Groups& sg = soup_.groups;
  for (uint64_t k = sg.row_begin(row); k < sg.row_end(row); ++k)
    q.terms.emplace_back(sg.rows.indices[k], sg.rows.values[k]);
  uint32_t g = soup_.groups.group_of[row];
  q.count_sq = soup_.group_count_sq[g];
  q.tfidf_sq = soup_.group_tfidf_sq[g];
  return q;
}

Index::Query Index::adhoc_query(const AdhocQuery& in) const {
  Query q;
  auto attr = [&](int field, const std::string& v) {
    if (v.empty()) return;
    ++q.attr_count;
    uint32_t c = attr_.column(field, v);
    if (c != kMissing) q.attrs.push_back(c);
  };
  attr(0, in.pipeline_tag);
  if (!in.architectures.empty()) {
    std::string cat = python_list_repr(in.architectures);
    attr(1, cat.substr(1, cat.size() - 2));
  }
  attr(2, in.model_type);
  attr(3, in.library_name);
  std::sort(q.attrs.begin(), q.attrs.end());
  // Soup tokens: the free text plus the given values, as the soup of a row would hold them.
  std::vector<std::string> toks;
  auto add = [&](std::string_view text) {
    std::string low = lower(text);
    for_each_token(low, [&](std::string_view t) { toks.emplace_back(t); });
  };
  add(in.text);
  add(in.pipeline_tag);
  add(in.author);
  for (const auto& a : in.architectures) add(delete_ascii_punctuation(a));
  add(in.model_type);
  add(in.library_name);
  std::sort(toks.begin(), toks.end());
  const double n = static_cast<double>(cat_.size());
  for (size_t i = 0; i < toks.size();) {
    size_t e = i;
    while (e < toks.size() && toks[e] == toks[i]) ++e;
    double c = static_cast<double>(e - i);
    uint32_t t = soup_.term(toks[i]);
    q.count_sq += c * c;
    double idf = t == kMissing ? std::log((1.0 + n) / 1.0) + 1.0 : soup_.idf[t];
    q.tfidf_sq += c * c * idf * idf;
    if (t != kMissing) q.terms.emplace_back(t, c);
    i = e;
  }
  std::sort(q.terms.begin(), q.terms.end());
  return q;
}

namespace {

// acc[x] += w * value for each posting (x, value) of one term (value 1 when values is null), and
// each group seen for the first time appended to touched (acc was 0: weights are positive).
// Branch-free: every posting writes the slot past touched's end, which moves on only for a new
// group, so a posting costs no mispredicted branch and no push_back.
void accumulate(const uint32_t* rows, const float* values, size_t count, double w, double* acc,
                std::vector<uint32_t>& touched) {
  size_t c = touched.size();
  touched.resize(c + count);
  uint32_t* out = touched.data();
  for (size_t k = 0; k < count; ++k) {
    const uint32_t x = rows[k];
    out[c] = x;
    c += acc[x] == 0;
    acc[x] += values ? w * values[k] : w;
  }
  touched.resize(c);
}

std::string attribute_label(const AttributeSpace& a, uint32_t c) {
  return std::string(kAttributeFields[a.field[c]]) + "=" + a.values[c];
}

}  // namespace

Result<std::vector<Recommendation>> Index::run(const Query& q, uint32_t exclude, const RecommendParams& p) const {
  const bool on_attributes = p.method == Method::jaccard || p.method == Method::knn || p.method == Method::kmeans;
  if (!on_attributes && p.method != Method::cosine && p.method != Method::tfidf)
    return Error{std::string("method '") + method_name(p.method) + "' is not available in this build"};
  const Groups& g = on_attributes ? attr_.groups : soup_.groups;
  const size_t G = g.size();
  // Scratch buffers kept between queries: acc and key hold zeros except at the touched groups,
  // which are reset before returning, so a query costs O(postings walked), not O(groups).
  std::vector<double>& acc = scratch_acc_;
  std::vector<double>& key = scratch_key_;
  std::vector<uint32_t>& touched = scratch_touched_;
  acc.resize(G, 0.0);
  key.resize(G, 0.0);
  touched.clear();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<uint32_t>* cluster_of = nullptr;  // kmeans: each group's cluster, and the query's
  uint32_t query_cluster = 0;
  if (on_attributes) {
    for (uint32_t c : q.attrs)
      accumulate(g.postings.data() + g.postings_ptr[c], nullptr, g.postings_ptr[c + 1] - g.postings_ptr[c], 1.0,
                 acc.data(), touched);
    if (p.method == Method::kmeans) {
      const KMeansResult& km = attribute_kmeans(p.kmeans_k);
      uint32_t label = 0;
      if (q.attr_group != kMissing) {
        label = km.labels[q.attr_group];
      } else {  // nearest centroid for an ad-hoc query
        const size_t d = attr_.groups.rows.n_cols;
        double best = inf;
        for (int c = 0; c < km.k; ++c) {
          const double* cc = &km.centroids[size_t(c) * d];
          double dist = static_cast<double>(q.attr_count);
          for (size_t j = 0; j < d; ++j) dist += cc[j] * cc[j];
          for (uint32_t col : q.attrs) dist -= 2 * cc[col];
          if (dist < best) {
            best = dist;
            label = static_cast<uint32_t>(c);
          }
        }
      }
      cluster_of = &km.labels;  // read for the touched groups only: no pass over every group
      query_cluster = label;
    }
  } else {
    const bool tfidf = p.method == Method::tfidf;
    uint64_t walk = 0;
    for (auto [t, c] : q.terms) walk += g.postings_ptr[t + 1] - g.postings_ptr[t];
    // A query with common terms touches most groups: then a branch-free accumulation and one
    // sequential scan for the touched groups beats recording them one by one.
    const bool dense = walk > G / 4;
    for (auto [t, c] : q.terms) {
      const double w = tfidf ? c * soup_.idf[t] * soup_.idf[t] : c;
      const uint64_t end = g.postings_ptr[t + 1];
      if (dense) {
        for (uint64_t k = g.postings_ptr[t]; k < end; ++k) acc[g.postings[k]] += w * g.posting_values[k];
      } else {
        const uint64_t begin = g.postings_ptr[t];
        accumulate(g.postings.data() + begin, g.posting_values.data() + begin, end - begin, w, acc.data(), touched);
      }
    }
    if (dense)
      for (uint32_t x = 0; x < G; ++x)
        if (acc[x] != 0) touched.push_back(x);
  }
  // The rank key of one group (smaller is closer); untouched groups have acc 0.
  const double a = static_cast<double>(q.attr_count);
  auto key_of = [&](uint32_t x) -> double {
    const double i = acc[x];
    switch (p.method) {
      case Method::jaccard: {
        const double uni = a + static_cast<double>(g.rows.row_nnz(x)) - i;
        return uni > 0 ? -(i / uni) : 0.0;
      }
      case Method::knn: return a + static_cast<double>(g.rows.row_nnz(x)) - 2 * i;  // squared distance on 0/1
      case Method::kmeans: {  // cosine within the cluster, ranked by cos^2 (exact for integers)
        if ((*cluster_of)[x] != query_cluster) return inf;
        const double b = static_cast<double>(g.rows.row_nnz(x));
        return (a * b > 0) ? -((i * i) / (a * b)) : 0.0;
      }
      case Method::tfidf: return i == 0 ? 0.0 : -(i / (std::sqrt(q.tfidf_sq) * std::sqrt(soup_.group_tfidf_sq[x])));
      default:  // cosine on counts: rank by dot^2 / (|q|^2 |r|^2), exact up to one rounding
        return i == 0 ? 0.0 : -((i * i) / (q.count_sq * soup_.group_count_sq[x]));
    }
  };
  const FilterIds fids = filter_ids(p.filters);
  auto eligible = [&](uint32_t r) { return r != exclude && passes(r, fids); };
  std::vector<Ranked> top;
  if (p.method != Method::knn) {
    // Touched groups score above every untouched one (whose score is 0): when they hold k
    // eligible rows, the answer lies among them.
    for (uint32_t x : touched) key[x] = key_of(x);
    top = select_topk(g, key, p.k, cat_, eligible, &touched);
  }
  if (top.size() < p.k) {  // knn, or too few touched rows: rank every group
    for (uint32_t x = 0; x < G; ++x) key[x] = key_of(x);
    top = select_topk(g, key, p.k, cat_, eligible);
    std::fill(key.begin(), key.end(), 0.0);
  }
  for (uint32_t x : touched) key[x] = 0.0;
  // acc is still needed below only through the results' own rows; reset after explanations.
  struct Reset {
    std::vector<double>& acc;
    std::vector<uint32_t>& touched;
    ~Reset() {
      for (uint32_t x : touched) acc[x] = 0.0;
    }
  } reset{acc, touched};
  std::vector<Recommendation> out;
  out.reserve(top.size());
  for (const Ranked& rk : top) {
    Recommendation rec;
    rec.row = rk.row;
    const uint32_t x = g.group_of[rk.row];
    if (on_attributes) {
      const CsrMatrix& m = attr_.groups.rows;  // the row's group's row: x
      std::vector<uint32_t> shared;
      for (uint64_t k = m.indptr[x]; k < m.indptr[x + 1]; ++k)
        if (std::binary_search(q.attrs.begin(), q.attrs.end(), m.indices[k])) shared.push_back(m.indices[k]);
      if (attr_labels_.empty())
        for (uint32_t c = 0; c < attr_.values.size(); ++c) attr_labels_.push_back(attribute_label(attr_, c));
      for (uint32_t c : shared) rec.shared.push_back(attr_labels_[c]);
      const double a = static_cast<double>(q.attr_count), b = static_cast<double>(m.row_nnz(x));
      const double i = static_cast<double>(shared.size());
      if (p.method == Method::knn) {
        rec.distance = std::sqrt(rk.key);
        rec.score = 1.0 / (1.0 + rec.distance);
      } else if (p.method == Method::jaccard) {
        rec.score = (a + b - i) > 0 ? i / (a + b - i) : 0.0;
        rec.distance = 1.0 - rec.score;
      } else {
        rec.score = (a * b) > 0 ? i / std::sqrt(a * b) : 0.0;
        rec.distance = 1.0 - rec.score;
      }
    } else {
      const CsrMatrix& m = soup_.groups.rows;  // the row's group's row: x
      const bool tfidf = p.method == Method::tfidf;
      std::vector<std::pair<double, uint32_t>> contrib;
      double dot = 0;
      for (uint64_t k = m.indptr[x]; k < m.indptr[x + 1]; ++k) {
        uint32_t t = m.indices[k];
        auto it = std::lower_bound(q.terms.begin(), q.terms.end(), std::make_pair(t, -1.0));
        if (it == q.terms.end() || it->first != t) continue;
        double w = it->second * m.values[k] * (tfidf ? soup_.idf[t] * soup_.idf[t] : 1.0);
        dot += w;
        contrib.emplace_back(-w, t);
      }
      std::sort(contrib.begin(), contrib.end());
      for (size_t k = 0; k < contrib.size() && k < 12; ++k) rec.shared.push_back(soup_.terms[contrib[k].second]);
      rec.score = dot == 0 ? 0.0
                  : tfidf  ? dot / (std::sqrt(q.tfidf_sq) * std::sqrt(soup_.group_tfidf_sq[x]))
                           : dot / std::sqrt(q.count_sq * soup_.group_count_sq[x]);
      rec.distance = 1.0 - rec.score;
    }
    out.push_back(std::move(rec));
  }
  return out;
}

Result<std::vector<Recommendation>> Index::recommend_row(uint32_t row, const RecommendParams& p) const {
  if (row >= cat_.size()) return Error{"row " + std::to_string(row) + " is not in the catalogue"};
  if (p.k == 0) return Error{"k must be at least 1"};
  if (p.method == Method::hybrid) {
    if (!hybrid().error().empty()) return Error{hybrid().error()};
    return run_hybrid(hybrid().row_query(row), row, p);
  }
  return run(row_query(row), row, p);
}

Result<std::vector<Recommendation>> Index::recommend(std::string_view model_id, const RecommendParams& p) const {
  uint32_t row = cat_.find(model_id);
  if (row == kMissing) return Error{"model '" + excerpt(model_id) + "' is not in the catalogue"};
  return recommend_row(row, p);
}

Result<std::vector<Recommendation>> Index::recommend_adhoc(const AdhocQuery& q, const RecommendParams& p) const {
  if (p.k == 0) return Error{"k must be at least 1"};
  if (p.method == Method::hybrid) {
    if (!hybrid().error().empty()) return Error{hybrid().error()};
    HybridQuery hq =
        hybrid().text_query(q.pipeline_tag, q.library_name, q.model_type, q.author, q.architectures, q.text);
    if (hq.empty())
      return Error{"the query matches nothing in the catalogue: give a task, library, model type, or some text"};
    return run_hybrid(hq, kMissing, p);
  }
  Query query = adhoc_query(q);
  if (query.attr_count == 0 && query.count_sq == 0)
    return Error{"the query is empty: give a task, library, model type, or some text"};
  return run(query, kMissing, p);
}

// --- hybrid (issue 7): scores from HybridModel, the same top-k selection and tie order ---------------

Result<std::vector<Recommendation>> Index::run_hybrid(const HybridQuery& q, uint32_t exclude,
                                                      const RecommendParams& p) const {
  std::vector<double>& key = scratch_hybrid_;  // kept between queries: no n-sized allocation each
  hybrid().keys(q, key);
  auto eligible = [&](uint32_t r) { return r != exclude && passes(r, p.filters); };
  std::vector<Ranked> top = select_topk(hybrid().groups(), key, p.k, cat_, eligible);
  std::vector<Recommendation> out;
  out.reserve(top.size());
  for (const Ranked& rk : top) {
    Recommendation rec;
    rec.row = rk.row;
    rec.score = -rk.key;
    rec.distance = 1.0 - rec.score;
    rec.shared = hybrid().explain(q, rk.row);
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace hfrec

// The recommenders' scoring: a query in both feature spaces (a catalogue row's groups, or an
// ad-hoc query tokenized as the soup is), scored over the inverted indexes of the touched groups
// for the five methods and the hybrid, then the exact top-k with the tie order (topk.h).
#include "recommender.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

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

Index::Query Index::row_query(uint32_t row, bool with_soup) const {
  Query q;
  const Groups& ag = attr_.groups;
  for (uint64_t k = ag.row_begin(row); k < ag.row_end(row); ++k) q.attrs.push_back(ag.rows.indices[k]);
  q.attr_count = q.attrs.size();
  q.attr_group = attr_.groups.group_of[row];
  if (!with_soup) return q;
  const SoupSpace& sp = soup();
  const Groups& sg = sp.groups;
  for (uint64_t k = sg.row_begin(row); k < sg.row_end(row); ++k)
    q.terms.emplace_back(sg.rows.indices[k], sg.rows.value(k));
  uint32_t g = sg.group_of[row];
  q.count_sq = sp.group_count_sq[g];
  q.tfidf_sq = sp.group_tfidf_sq[g];
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
  const SoupSpace& sp = soup();  // an ad-hoc query's emptiness counts its words, whatever the method
  for (size_t i = 0; i < toks.size();) {
    size_t e = i;
    while (e < toks.size() && toks[e] == toks[i]) ++e;
    double c = static_cast<double>(e - i);
    uint32_t t = sp.term(toks[i]);
    q.count_sq += c * c;
    double idf = t == kMissing ? std::log((1.0 + n) / 1.0) + 1.0 : sp.idf[t];
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
// group, so a posting costs no mispredicted branch and no push_back. V is float, or uint8_t for
// counts (CsrMatrix::counts).
template <class V>
void accumulate(const uint32_t* rows, const V* values, size_t count, double w, double* acc,
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

// Queries walking fewer postings than this take the plain walk (pruning would save little).
constexpr uint64_t kPrunedWalk = 16384;

// One query term of a pruned walk: its posting list (rows ascending, their values), the weight a
// posting's value is multiplied by, and for the bounds its field and its weight in the query (what
// it adds to a row's score is at most this times the row's weight for it, and a row's weights over
// one field have length at most 1). V as accumulate's.
template <class V>
struct WalkTerm {
  const uint32_t* rows;
  const V* values;
  uint64_t len;
  double w;
  uint32_t field;
  double weight;
};

// Adds term t's postings to acc for the rows of cand (ascending) that it holds: a galloping search
// from one candidate to the next, so a long list costs about log(len / candidates) a candidate.
template <class V>
void probe(const WalkTerm<V>& t, const std::vector<uint32_t>& cand, double* acc) {
  const uint32_t* p = t.rows;
  const uint32_t* const end = t.rows + t.len;
  if (cand.size() * 8 >= t.len) {  // as many candidates as postings, near enough: merge
    for (uint32_t x : cand) {
      while (p != end && *p < x) ++p;
      if (p == end) break;
      if (*p == x) acc[x] += t.w * t.values[p - t.rows];
    }
    return;
  }
  for (uint32_t x : cand) {
    size_t step = 1;
    while (p + step < end && p[step] < x) step *= 2;
    p = std::lower_bound(p, std::min(p + step + 1, end), x);
    if (p == end) break;
    if (*p == x) acc[x] += t.w * t.values[p - t.rows];
  }
}

// Exact top-k that walks only the posting lists it must: MaxScore (Turtle & Flood 1995) term at a
// time, with Moffat & Zobel's "continue" strategy (1996). The terms are walked rarest first into
// partial scores (acc, the rows seen appended to touched). A few of the best partial rows are
// scored exactly, and the k-th best of those scores is a lower bound, theta, of the answer's k-th
// score. What the terms not yet walked can add to any row is at most, per field, the field weight
// times the length of their query weights (Cauchy-Schwarz: a row's weights over a field have
// length at most 1). Once that is below theta, no row the walked terms missed can reach the top k:
// the rest of the lists are only searched for the touched rows that could still reach theta, the
// heaviest terms first, dropping rows as the bound tightens. Those left are scored exactly (in the
// query's own term order, so every key has the bits the full walk gives it) and the top k taken
// among them: the answer, ties included, is the full walk's. Returns false, `top` unset, when no
// such theta was found (fewer than k eligible rows touched; the caller ranks every row).
// - partial(x) is row x's partial score (from acc), score(x) its exact score (both larger is closer,
//   on the scale of the weights), exact(x) its exact key (smaller is closer); rows(x, k) how many of
//   x's rows are eligible, at most k; select(candidates) is select_topk over `key` and those rows.
//   `floor` is the most a row's score holds without any term (the hybrid's prior). Candidates are
//   searched for in later lists until `few` are left (or a search drops under a quarter of them),
//   then scored exactly.
// - Bounds carry margins far above the rounding of sums of a few hundred terms (1e-6 relative on
//   what terms may add, 1e-9 on theta), so rounding never drops a row that belongs.
template <class V, class Partial, class Score, class Exact, class Rows, class Select>
bool pruned_topk(std::vector<WalkTerm<V>>& terms, const double* field_weight, size_t fields, double floor, size_t k,
                 size_t few, double* acc, std::vector<uint32_t>& touched, std::vector<double>& key, Partial&& partial,
                 Score&& score, Exact&& exact, Rows&& rows, Select&& select, std::vector<Ranked>& top,
                 uint64_t& walked) {
  std::stable_sort(terms.begin(), terms.end(),
                   [](const WalkTerm<V>& a, const WalkTerm<V>& b) { return a.len < b.len; });
  const size_t n = terms.size();
  // The most terms [from, n) not marked done can add to one row.
  std::vector<char> done(n, 0);
  std::vector<double> sq(fields);
  auto left_from = [&](size_t from) {
    std::fill(sq.begin(), sq.end(), 0.0);
    for (size_t i = from; i < n; ++i)
      if (!done[i]) sq[terms[i].field] += terms[i].weight * terms[i].weight;
    double l = 0;
    for (size_t f = 0; f < fields; ++f)
      if (sq[f] > 0) l += field_weight[f] * std::sqrt(sq[f]);
    return l * (1 + 1e-6);
  };
  std::vector<double> left(n + 1, 0.0);
  std::vector<uint64_t> rest(n + 1, 0);  // postings of terms i..
  for (size_t i = n; i-- > 0;) {
    left[i] = left_from(i);
    rest[i] = rest[i + 1] + terms[i].len;
  }
  const double ninf = -std::numeric_limits<double>::infinity();
  // theta from the best partial rows, scored exactly (-inf: they hold fewer than k eligible rows).
  const size_t pick = std::max<size_t>(64, 4 * k);
  std::vector<uint32_t> cand;
  std::vector<std::pair<double, uint32_t>> scored;
  auto lower_bound = [&]() -> double {
    cand.assign(touched.begin(), touched.end());
    for (uint32_t x : cand) key[x] = -partial(x);
    auto by_key = [&](uint32_t a, uint32_t b) { return key[a] < key[b] || (key[a] == key[b] && a < b); };
    if (cand.size() > pick) {
      std::nth_element(cand.begin(), cand.begin() + static_cast<long>(pick), cand.end(), by_key);
      cand.resize(pick);
    }
    scored.clear();
    for (uint32_t x : cand) scored.emplace_back(-score(x), x);
    std::sort(scored.begin(), scored.end());
    size_t count = 0;
    for (auto [s, x] : scored)
      if ((count += rows(x, k - count)) >= k) return -s > 0 ? -s * (1 - 1e-9) : ninf;
    return ninf;
  };
  double theta = ninf;
  size_t stop = 0, checks = 0;
  uint64_t since = 0;  // postings walked since the last theta; a theta costs O(touched)
  for (; stop < n; ++stop) {
    if (theta > floor + left[stop]) break;
    if (touched.size() >= pick && rest[stop] > 2 * touched.size() && since >= touched.size() && checks < 4) {
      theta = std::max(theta, lower_bound());
      ++checks;
      since = 0;
      if (theta > floor + left[stop]) break;
    }
    const WalkTerm<V>& t = terms[stop];
    accumulate(t.rows, t.values, t.len, t.w, acc, touched);
    since += t.len;
    walked += t.len;
  }
  if (since > 0 || checks == 0) theta = std::max(theta, lower_bound());
  // Rows no walked term touched score at most floor + left[stop]: theta must be above that.
  if (!(theta > floor + left[stop])) return false;
  // Touched rows that the terms left could still lift to theta; every other row is below it.
  double more = left[stop];
  cand.clear();
  for (uint32_t x : touched)
    if (partial(x) * (1 + 1e-9) + more >= theta) cand.push_back(x);
  // The terms left, heaviest first, searched for the candidates alone while that is cheaper than
  // scoring them all exactly.
  std::vector<size_t> later;
  for (size_t i = stop; i < n; ++i) later.push_back(i);
  std::stable_sort(later.begin(), later.end(), [&](size_t a, size_t b) {
    return terms[a].weight * field_weight[terms[a].field] > terms[b].weight * field_weight[terms[b].field];
  });
  if (cand.size() > few && !later.empty()) {
    std::sort(cand.begin(), cand.end());
    for (size_t i : later) {
      if (cand.size() <= few) break;
      probe(terms[i], cand, acc);
      done[i] = 1;
      more = left_from(stop);
      size_t c = 0;
      for (uint32_t x : cand)
        if (partial(x) * (1 + 1e-9) + more >= theta) cand[c++] = x;
      // A search that dropped under a quarter of the candidates is not worth repeating once
      // scoring those left is cheap.
      const bool worth = (cand.size() - c) * 4 >= cand.size();
      cand.resize(c);
      if (!worth && c <= 16 * few) break;
    }
  }
  for (uint32_t x : cand) key[x] = exact(x);
  top = select(cand);
  return top.size() >= k;
}

std::string attribute_label(const AttributeSpace& a, uint32_t c) {
  return std::string(kAttributeFields[a.field[c]]) + "=" + a.values[c];
}

}  // namespace

Result<std::vector<Recommendation>> Index::run(const Query& q, uint32_t exclude, const RecommendParams& p) const {
  const bool on_attributes = p.method == Method::jaccard || p.method == Method::knn || p.method == Method::kmeans;
  if (!on_attributes && p.method != Method::cosine && p.method != Method::tfidf)
    return Error{std::string("method '") + method_name(p.method) + "' is not available in this build"};
  // The soup only for the methods that use it: the attribute methods do not wait for one still
  // to build.
  const SoupSpace& sp = reads_soup(p.method) ? soup() : soup_if_built();
  const Groups& g = on_attributes ? attr_.groups : sp.groups;
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
  std::vector<Ranked> top;
  bool pruned = false;  // pruned_topk answered (top is the answer)
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
      case Method::tfidf: return i == 0 ? 0.0 : -(i / (std::sqrt(q.tfidf_sq) * std::sqrt(sp.group_tfidf_sq[x])));
      default:  // cosine on counts: rank by dot^2 / (|q|^2 |r|^2), exact up to one rounding
        return i == 0 ? 0.0 : -((i * i) / (q.count_sq * sp.group_count_sq[x]));
    }
  };
  const FilterIds fids = filter_ids(p.filters);
  auto eligible = [&](uint32_t r) { return r != exclude && passes(r, fids); };
  if (on_attributes) {
    for (uint32_t c : q.attrs)
      accumulate(g.postings.data() + g.postings_ptr[c], static_cast<const float*>(nullptr),
                 g.postings_ptr[c + 1] - g.postings_ptr[c], 1.0, acc.data(), touched);
    if (p.method == Method::kmeans) {
      const KMeansResult& km = attribute_kmeans(p.kmeans_k);
      uint32_t label = 0;
      if (q.attr_group != kMissing) {
        label = km.labels[q.attr_group];
      } else {  // nearest centroid for an ad-hoc query
        const size_t d = attr_.groups.rows.n_cols;
        double best = inf;
        for (int c = 0; c < km.k; ++c) {
          const double* cc = km.centroids.data() + size_t(c) * d;
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
    // The postings' values as floats, or as counts (CsrMatrix::counts): the walk is compiled for each.
    auto walk_soup = [&](const auto* values) {
      using V = std::remove_cvref_t<decltype(*values)>;
      const V* row_values = values_of<V>(g.rows);  // the group rows store their values as the postings do
      const bool tfidf = p.method == Method::tfidf;
      uint64_t walk = 0;
      for (auto [t, c] : q.terms) walk += g.postings_ptr[t + 1] - g.postings_ptr[t];
      if (p.prune && walk >= kPrunedWalk) {
        // Rarest terms first, skipping what cannot matter (pruned_topk). A group's score is the dot
        // of the query's weights c * idf / |q| (c / |q| on counts) with its own, count * idf / |x|.
        const double qn = std::sqrt(tfidf ? q.tfidf_sq : q.count_sq);
        const double* norm_sq = tfidf ? sp.group_tfidf_sq.data() : sp.group_count_sq.data();
        std::vector<WalkTerm<V>> terms;
        terms.reserve(q.terms.size());
        for (auto [t, c] : q.terms) {
          const uint64_t b = g.postings_ptr[t];
          terms.push_back({g.postings.data() + b, values + b, g.postings_ptr[t + 1] - b,
                           tfidf ? c * sp.idf[t] * sp.idf[t] : c, 0, (tfidf ? c * sp.idf[t] : c) / qn});
        }
        auto partial = [&](uint32_t x) { return acc[x] / (qn * std::sqrt(norm_sq[x])); };
        auto dot = [&](uint32_t x) {  // the group's dot with the query, summed in the query's term order
          double d = 0;
          auto qi = q.terms.begin();
          for (uint64_t k = g.rows.indptr[x]; k < g.rows.indptr[x + 1] && qi != q.terms.end(); ++k) {
            const uint32_t t = g.rows.indices[k];
            while (qi != q.terms.end() && qi->first < t) ++qi;
            if (qi == q.terms.end() || qi->first != t) continue;
            const double w = tfidf ? qi->second * sp.idf[t] * sp.idf[t] : qi->second;
            d += w * row_values[k];
          }
          return d;
        };
        auto score = [&](uint32_t x) { return dot(x) / (qn * std::sqrt(norm_sq[x])); };
        auto exact = [&](uint32_t x) {
          acc[x] = dot(x);
          return key_of(x);
        };
        auto rows = [&](uint32_t x, size_t most) {
          size_t c = 0;
          for (uint32_t m = g.member_ptr[x]; m < g.member_ptr[x + 1] && c < most; ++m) c += eligible(g.members[m]);
          return c;
        };
        auto select = [&](const std::vector<uint32_t>& cand) {
          return select_topk(g, key, p.k, cat_, eligible, &cand);
        };
        const double one = 1.0;
        last_walked_ = 0;
        pruned = pruned_topk(terms, &one, 1, 0.0, p.k, 2048, acc.data(), touched, key, partial, score, exact, rows,
                             select, top, last_walked_);
        if (!pruned) {  // fewer than k eligible rows share a term: start again, as below
          for (uint32_t x : touched) acc[x] = key[x] = 0.0;
          touched.clear();
        }
      }
      if (!pruned) {
        last_walked_ = walk;
        // A query with common terms touches most groups: then a branch-free accumulation and one
        // sequential scan for the touched groups beats recording them one by one.
        const bool dense = walk > G / 4;
        for (auto [t, c] : q.terms) {
          const double w = tfidf ? c * sp.idf[t] * sp.idf[t] : c;
          const uint64_t end = g.postings_ptr[t + 1];
          if (dense) {
            for (uint64_t k = g.postings_ptr[t]; k < end; ++k) acc[g.postings[k]] += w * values[k];
          } else {
            const uint64_t begin = g.postings_ptr[t];
            accumulate(g.postings.data() + begin, values + begin, end - begin, w, acc.data(), touched);
          }
        }
        if (dense)
          for (uint32_t x = 0; x < G; ++x)
            if (acc[x] != 0) touched.push_back(x);
      }
    };
    if (g.posting_counts.empty()) walk_soup(g.posting_values.data());
    else walk_soup(g.posting_counts.data());
  }
  if (!pruned && p.method != Method::knn) {
    // Touched groups score above every untouched one (whose score is 0): when they hold k
    // eligible rows, the answer lies among them.
    for (uint32_t x : touched) key[x] = key_of(x);
    top = select_topk(g, key, p.k, cat_, eligible, &touched);
  }
  if (!pruned && top.size() < p.k) {  // knn, or too few touched rows: rank every group
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
      const CsrMatrix& m = sp.groups.rows;  // the row's group's row: x
      const bool tfidf = p.method == Method::tfidf;
      std::vector<std::pair<double, uint32_t>> contrib;
      double dot = 0;
      for (uint64_t k = m.indptr[x]; k < m.indptr[x + 1]; ++k) {
        uint32_t t = m.indices[k];
        auto it = std::lower_bound(q.terms.begin(), q.terms.end(), std::make_pair(t, -1.0));
        if (it == q.terms.end() || it->first != t) continue;
        double w = it->second * m.value(k) * (tfidf ? sp.idf[t] * sp.idf[t] : 1.0);
        dot += w;
        contrib.emplace_back(-w, t);
      }
      std::sort(contrib.begin(), contrib.end());
      for (size_t k = 0; k < contrib.size() && k < 12; ++k) rec.shared.push_back(sp.terms[contrib[k].second]);
      rec.score = dot == 0 ? 0.0
                  : tfidf  ? dot / (std::sqrt(q.tfidf_sq) * std::sqrt(sp.group_tfidf_sq[x]))
                           : dot / std::sqrt(q.count_sq * sp.group_count_sq[x]);
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
  return run(row_query(row, reads_soup(p.method)), row, p);
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
  const HybridModel& h = hybrid();
  std::vector<double>& key = scratch_hybrid_;  // kept between queries: no n-sized allocation each
  const FilterIds fids = filter_ids(p.filters);
  auto eligible = [&](uint32_t r) { return r != exclude && passes(r, fids); };
  uint64_t walk = 0;
  bool positive = true;  // the bounds need weights >= 0 (the defaults; HybridParams could say otherwise)
  for (auto [t, w] : q.terms) {
    walk += h.posting_count(t);
    positive &= h.term_weight(t) >= 0 && w >= 0;
  }
  std::vector<Ranked> top;
  bool pruned = false;
  if (p.prune && positive && walk >= kPrunedWalk) {
    // Rarest terms first, skipping what cannot matter (pruned_topk). A row's score is its prior
    // plus, per field, the field weight times the dot of the query's weights (times its scale)
    // with the row's, whose length is 1.
    const size_t n = cat_.size();
    std::vector<double>& acc = scratch_acc_;  // shared with run(): zero outside a query
    if (acc.size() < n) acc.resize(n, 0.0);
    std::vector<uint32_t>& touched = scratch_touched_;
    touched.clear();
    key.resize(n);
    double field_weight[kHybridFields] = {};
    std::vector<WalkTerm<float>> terms;
    terms.reserve(q.terms.size());
    for (auto [t, w] : q.terms) {
      // A field weighed 0 (model_type by default) adds 0 to every key: its postings would leave acc
      // at 0, so touched would list their rows again.
      if (h.term_weight(t) == 0) continue;
      const auto f = static_cast<uint32_t>(h.term_field(t));
      field_weight[f] = h.term_weight(t) * q.scale;
      terms.push_back({h.posting_rows(t), h.posting_weights(t), h.posting_count(t), w * q.scale, f, w});
    }
    auto partial = [&](uint32_t x) { return acc[x] + h.prior(x); };
    auto score = [&](uint32_t x) { return -h.key(q, x); };
    auto exact = [&](uint32_t x) { return h.key(q, x); };
    auto rows = [&](uint32_t x, size_t) { return static_cast<size_t>(eligible(x)); };
    auto select = [&](const std::vector<uint32_t>& cand) {
      return select_topk(h.groups(), key, p.k, cat_, eligible, &cand);
    };
    last_walked_ = 0;
    pruned = pruned_topk(terms, field_weight, kHybridFields, h.max_prior(), p.k, 256, acc.data(), touched, key, partial,
                         score, exact, rows, select, top, last_walked_);
    for (uint32_t x : touched) acc[x] = 0.0;
    touched.clear();
  }
  if (!pruned) {
    last_walked_ = walk;
    h.keys(q, key);
    top = select_topk(h.groups(), key, p.k, cat_, eligible);
  }
  std::vector<Recommendation> out;
  out.reserve(top.size());
  for (const Ranked& rk : top) {
    Recommendation rec;
    rec.row = rk.row;
    rec.score = -rk.key;
    rec.distance = 1.0 - rec.score;
    rec.shared = h.explain(q, rk.row);
    out.push_back(std::move(rec));
  }
  return out;
}

}  // namespace hfrec

// Offline evaluation: fields hidden per protocol, relevance judgements, and the mean fraction of
// relevant models in every query's top k (eval.h).
#include "eval.h"

#include <algorithm>
#include <chrono>
#include <unordered_set>

namespace hfrec {

const char* protocol_name(Protocol p) { return p == Protocol::datasets ? "datasets" : "task"; }

bool parse_protocol(std::string_view s, Protocol& out) {
  if (s == "datasets") out = Protocol::datasets;
  else if (s == "task") out = Protocol::task;
  else return false;
  return true;
}

Catalogue hide_for_protocol(const Catalogue& cat, Protocol p) {
  std::unordered_set<std::string> tasks;
  if (p == Protocol::task)
    for (uint32_t r = 0; r < cat.size(); ++r)
      if (cat.pipeline_tag[r] != kMissing) tasks.emplace(cat.pool.str(cat.pipeline_tag[r]));
  std::vector<ModelRecord> recs;
  recs.reserve(cat.size());
  for (uint32_t r = 0; r < cat.size(); ++r) {
    ModelRecord m = record_of(cat, r);
    if (p == Protocol::datasets) {
      m.datasets.clear();
      m.datasets_missing = true;
      std::erase_if(m.tags, [](const std::string& t) { return t.rfind("dataset:", 0) == 0; });
    } else {
      m.pipeline_tag.clear();
      std::erase_if(m.tags, [&](const std::string& t) { return tasks.count(t) > 0; });
    }
    recs.push_back(std::move(m));
  }
  // The hidden column is dropped, as the reference drops it: no "nan" word or category for it.
  std::vector<std::string> columns;
  for (const auto& c : cat.report.columns)
    if (c != (p == Protocol::datasets ? "datasets" : "pipeline_tag")) columns.push_back(c);
  Catalogue out = make_catalogue(recs, cat.name + " (" + protocol_name(p) + " hidden)", columns);
  return out;
}

Relevance::Relevance(const Catalogue& cat, Protocol p) : cat_(&cat), p_(p) {
  const uint32_t n = static_cast<uint32_t>(cat.size());
  stamp_.assign(n, 0);
  if (p == Protocol::task) {
    task_count_.assign(cat.pool.size(), 0);
    for (uint32_t r = 0; r < n; ++r)
      if (cat.pipeline_tag[r] != kMissing) ++task_count_[cat.pipeline_tag[r]];
    return;
  }
  ds_ptr_.assign(1, 0);
  std::vector<uint32_t> tmp;
  post_ptr_.assign(cat.pool.size() + 1, 0);
  for (uint32_t r = 0; r < n; ++r) {
    tmp.assign(cat.datasets.begin(r), cat.datasets.end(r));
    std::sort(tmp.begin(), tmp.end());
    tmp.erase(std::unique(tmp.begin(), tmp.end()), tmp.end());
    for (uint32_t d : tmp) ++post_ptr_[d + 1];
    ds_.insert(ds_.end(), tmp.begin(), tmp.end());
    ds_ptr_.push_back(static_cast<uint32_t>(ds_.size()));
  }
  for (size_t d = 0; d + 1 < post_ptr_.size(); ++d) post_ptr_[d + 1] += post_ptr_[d];
  post_.resize(ds_.size());
  std::vector<uint64_t> fill(post_ptr_.begin(), post_ptr_.end() - 1);
  for (uint32_t r = 0; r < n; ++r)
    for (uint32_t k = ds_ptr_[r]; k < ds_ptr_[r + 1]; ++k) post_[fill[ds_[k]]++] = r;
}

bool Relevance::is_query(uint32_t row) const {
  if (p_ == Protocol::task) return cat_->pipeline_tag[row] != kMissing;
  return ds_ptr_[row + 1] > ds_ptr_[row];
}

bool Relevance::relevant(uint32_t a, uint32_t b) const {
  if (p_ == Protocol::task) return cat_->pipeline_tag[a] != kMissing && cat_->pipeline_tag[a] == cat_->pipeline_tag[b];
  // Both lists are sorted: a merge finds a common dataset.
  uint32_t i = ds_ptr_[a], j = ds_ptr_[b];
  while (i < ds_ptr_[a + 1] && j < ds_ptr_[b + 1]) {
    if (ds_[i] == ds_[j]) return true;
    if (ds_[i] < ds_[j]) ++i;
    else ++j;
  }
  return false;
}

size_t Relevance::relevant_count(uint32_t a) const {
  if (p_ == Protocol::task) return cat_->pipeline_tag[a] == kMissing ? 0 : task_count_[cat_->pipeline_tag[a]] - 1;
  if (++epoch_ == 0) {  // wrapped: clear the stamps
    std::fill(stamp_.begin(), stamp_.end(), 0);
    epoch_ = 1;
  }
  stamp_[a] = epoch_;
  size_t count = 0;
  for (uint32_t k = ds_ptr_[a]; k < ds_ptr_[a + 1]; ++k)
    for (uint64_t q = post_ptr_[ds_[k]]; q < post_ptr_[ds_[k] + 1]; ++q)
      if (stamp_[post_[q]] != epoch_) {
        stamp_[post_[q]] = epoch_;
        ++count;
      }
  return count;
}

namespace {

// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator with the same output everywhere.
struct SplitMix64 {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (Lemire's multiply-shift; the bias is below 2^-40 for n < 2^24).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((next() >> 32) * n >> 32); }
};

}  // namespace

Result<EvalResult> evaluate(const Catalogue& cat, const EvalParams& p) {
  const auto t0 = std::chrono::steady_clock::now();
  EvalResult out;
  out.protocol = p.protocol;
  out.method = p.method;
  if (p.k == 0) return Error{"k must be at least 1"};
  const uint32_t n = static_cast<uint32_t>(cat.size());
  if (n < 2) return Error{"the catalogue needs at least 2 models to evaluate, it has " + std::to_string(n)};
  Relevance rel(cat, p.protocol);
  double sum = 0;
  size_t queries = 0;
  if (p.method == "random") {
    SplitMix64 rng{p.seed};
    const size_t k = std::min<size_t>(p.k, n - 1);
    std::vector<uint32_t> perm(n);
    for (uint32_t r = 0; r < n; ++r) perm[r] = r;
    for (uint32_t q = 0; q < n; ++q) {
      if (!rel.is_query(q)) continue;
      ++queries;
      if (!p.random_sample) {
        sum += static_cast<double>(rel.relevant_count(q)) / static_cast<double>(n - 1);
        continue;
      }
      // Partial Fisher-Yates over the other rows: k distinct neighbours, uniformly.
      size_t hits = 0, drawn = 0;
      for (uint32_t i = 0; drawn < k; ++i) {
        uint32_t j = i + rng.below(n - i);
        std::swap(perm[i], perm[j]);
        if (perm[i] == q) continue;
        ++drawn;
        hits += rel.relevant(q, perm[i]);
      }
      sum += static_cast<double>(hits) / static_cast<double>(p.k);
    }
  } else {
    Method m;
    if (!parse_method(p.method, m))
      return Error{"unknown method '" + p.method + "' (jaccard, cosine, tfidf, knn, kmeans, hybrid, random)"};
    Catalogue hidden = hide_for_protocol(cat, p.protocol);
    Index idx(std::move(hidden));
    RecommendParams rp;
    rp.method = m;
    rp.k = p.k;
    rp.kmeans_k = p.kmeans_k;
    for (uint32_t q = 0; q < n; ++q) {
      if (!rel.is_query(q)) continue;
      auto r = idx.recommend_row(q, rp);
      if (!r.ok()) return Error{"query '" + std::string(cat.id(q)) + "': " + r.error()};
      ++queries;
      size_t hits = 0;
      for (const Recommendation& x : r.value()) hits += rel.relevant(q, x.row);
      // Fewer than k results count as misses: P@k divides by k.
      sum += static_cast<double>(hits) / static_cast<double>(p.k);
    }
  }
  out.queries = queries;
  out.value = queries ? sum / static_cast<double>(queries) : 0.0;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace hfrec

// Index: a catalogue with its feature spaces (attribute and soup groups, hybrid model, k-means
// cache), ready to answer recommendation queries (query.h); the scoring is in recommender.cpp.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "attributes.h"
#include "catalogue.h"
#include "hybrid.h"
#include "kmeans.h"
#include "query.h"
#include "result.h"
#include "soup.h"

namespace hfrec {

// What an Index is made of; IndexBuilder makes them in slices (core/index_builder.h).
struct IndexParts {
  Catalogue catalogue;
  std::vector<uint32_t> order;  // rows in tie order (downloads desc, modelId asc)
  AttributeSpace attributes;    // built with `order`
  SoupSpace soup;               // built with `order`, unless soup_later
  bool soup_later = false;      // the Index builds the soup itself (Index::step_soup, or on first use)
};

// A catalogue with its feature spaces and indexes, ready to answer queries.
class Index {
 public:
  // Builds everything in one call (runs an IndexBuilder to the end).
  explicit Index(Catalogue cat);
  // From parts that belong together (IndexBuilder::take() uses it).
  explicit Index(IndexParts parts);
  ~Index();
  Index(const Index&) = delete;  // a soup still to build points into the catalogue
  Index& operator=(const Index&) = delete;
  const Catalogue& catalogue() const { return cat_; }
  const AttributeSpace& attributes() const { return attr_; }
  // The soup space; one still to build (IndexParts::soup_later) is finished first.
  const SoupSpace& soup() const;
  // False while the soup is still to build: cosine and tfidf need it, and the attribute methods
  // (jaccard, knn, kmeans) and hybrid do not.
  bool has_soup() const { return soup_build_ == nullptr; }
  // Builds the soup for a slice (the app, after a load); true once it is built. Its stage and
  // progress while it runs (SoupBuilder's).
  bool step_soup(const SliceTimer& timer);
  std::string soup_stage() const;
  double soup_progress() const;
  // The hybrid method's index (issue 7).
  // Built on first use, so loading pays only for the methods a session uses.
  const HybridModel& hybrid() const;
  // True once the hybrid model exists (hybrid() would not build it).
  bool has_hybrid() const { return hybrid_ != nullptr; }
  // Takes a hybrid model built elsewhere (a HybridBuilder over catalogue(), in slices); ignored
  // once one exists.
  void adopt_hybrid(HybridModel model);

  // Top-k for a catalogue model (the model itself excluded).
  Result<std::vector<Recommendation>> recommend(std::string_view model_id, const RecommendParams& p) const;
  Result<std::vector<Recommendation>> recommend_row(uint32_t row, const RecommendParams& p) const;
  // Top-k for an ad-hoc query.
  Result<std::vector<Recommendation>> recommend_adhoc(const AdhocQuery& q, const RecommendParams& p) const;

  // k-means labels of the attribute groups for Method::kmeans (computed once per k, cached).
  const KMeansResult& attribute_kmeans(int k) const;
  // True once attribute_kmeans(k) is cached.
  bool has_attribute_kmeans(int k) const { return kmeans_cache_.count(k) != 0; }
  // A KMeansRun over attributes().groups.rows that attribute_kmeans(k) would run: stepped
  // elsewhere (in slices) to its end, then handed to adopt_attribute_kmeans, it gives the same
  // result.
  KMeansRun attribute_kmeans_run(int k) const;
  // Takes attribute_kmeans_run(k)'s result (run to its end); ignored once k is cached.
  void adopt_attribute_kmeans(int k, KMeansResult result);
  // True when row passes the filters.
  bool passes(uint32_t row, const Filters& f) const;
  // Rows in tie order (downloads desc, then modelId asc).
  const std::vector<uint32_t>& tie_order() const { return order_; }
  // Postings the last cosine, tfidf or hybrid query walked whole (a pruned walk skips lists; the
  // few it searches for candidates are not counted): for tests and benchmarks.
  uint64_t last_postings_walked() const { return last_walked_; }

 private:
  struct Query;                                             // a query in both spaces
  Query row_query(uint32_t row, bool with_soup) const;      // with_soup: its soup terms too
  const SoupSpace& soup_if_built() const { return soup_; }  // empty while the soup is still to build
  Query adhoc_query(const AdhocQuery& q) const;
  Result<std::vector<Recommendation>> run(const Query& q, uint32_t exclude, const RecommendParams& p) const;

  // Filters as pool ids, so a million rows are checked without string compares.
  struct FilterIds {
    std::vector<uint32_t> tasks, libraries, model_types;
    bool any_task = true, any_library = true, any_model_type = true;
  };
  FilterIds filter_ids(const Filters& f) const;
  bool passes(uint32_t row, const FilterIds& f) const;

  // Per-query scratch (single-threaded use): zero except while a query runs.
  mutable std::vector<double> scratch_acc_, scratch_key_;
  mutable std::vector<double> scratch_hybrid_;  // run_hybrid's keys, one per row
  mutable std::vector<uint32_t> scratch_touched_;
  mutable uint64_t last_walked_ = 0;
  // "field=value" of each attribute column, for explanations; built on first use.
  mutable std::vector<std::string> attr_labels_;

  Catalogue cat_;
  std::vector<uint32_t> order_;  // rows in tie order (downloads desc, modelId asc)
  AttributeSpace attr_;
  mutable SoupSpace soup_;
  mutable std::unique_ptr<SoupBuilder> soup_build_;  // over cat_ and order_ until the soup is built
  mutable std::map<int, KMeansResult> kmeans_cache_;
  // --- hybrid (issue 7) ---
  mutable std::unique_ptr<HybridModel> hybrid_;
  Result<std::vector<Recommendation>> run_hybrid(const HybridQuery& q, uint32_t exclude,
                                                 const RecommendParams& p) const;
};

}  // namespace hfrec

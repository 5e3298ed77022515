// Offline evaluation of the recommenders: every model in turn is the query, its top-10 over all
// other models is judged against a field that the features were not allowed to see (issue 7).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "recommender.h"
#include "result.h"

namespace hfrec {

// The two offline protocols; each hides the field it judges by.
enum class Protocol {
  datasets,  // P@10: a neighbour is relevant when it shares a dataset with the query
  task,      // agreement@10: a neighbour is relevant when its pipeline_tag equals the query's
};

const char* protocol_name(Protocol p);
// Parses "datasets" or "task"; false for anything else.
bool parse_protocol(std::string_view s, Protocol& out);

// A copy of cat with the protocol's hidden information removed, same rows in the same order:
// - datasets: the datasets column and every tag starting with "dataset:";
// - task: the pipeline_tag column and every tag equal to a pipeline_tag value of the catalogue.
Catalogue hide_for_protocol(const Catalogue& cat, Protocol p);

// What to evaluate. `method` is a recommender name or "random" (the uniform baseline).
struct EvalParams {
  Protocol protocol = Protocol::datasets;
  std::string method = "cosine";
  size_t k = 10;
  int kmeans_k = 10;
  // random only: without a seed the value is the exact expectation of a uniformly random top-k
  // (mean over queries of relevant others / (n - 1)); with one, a seeded draw of k rows per query.
  bool random_sample = false;
  uint64_t seed = 0;
};

// One evaluation's outcome.
struct EvalResult {
  Protocol protocol = Protocol::datasets;
  std::string method;
  size_t queries = 0;  // models with a non-empty datasets list / with a pipeline_tag
  double value = 0;    // mean over queries of the fraction of relevant neighbours among the top k
  double seconds = 0;  // wall time of index building and all queries
};

// Runs a protocol on cat (the catalogue as loaded; hiding is done here).
Result<EvalResult> evaluate(const Catalogue& cat, const EvalParams& p);

// The relevance judgements of a protocol, computed on the unhidden catalogue.
class Relevance {
 public:
  Relevance(const Catalogue& cat, Protocol p);
  // True when row is a query of the protocol.
  bool is_query(uint32_t row) const;
  // True when b is relevant to query a (exact string equality of a dataset or of the pipeline_tag).
  bool relevant(uint32_t a, uint32_t b) const;
  // Number of rows other than a that are relevant to a.
  size_t relevant_count(uint32_t a) const;

 private:
  const Catalogue* cat_;
  Protocol p_;
  std::vector<uint32_t> ds_ptr_, ds_;  // per row: sorted distinct dataset pool ids
  std::vector<uint64_t> post_ptr_;     // dataset pool id -> rows holding it
  std::vector<uint32_t> post_;
  std::vector<uint32_t> task_count_;  // pipeline_tag pool id -> rows with it
  mutable std::vector<uint32_t> stamp_;
  mutable uint32_t epoch_ = 0;
};

}  // namespace hfrec

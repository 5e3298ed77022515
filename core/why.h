// Why a model was recommended, in words: the raw reasons a recommender gives
// (Recommendation::shared) traced back to the query's own metadata and said as a reader would.
// - The reasons come in three shapes: attribute labels ("pipeline_tag=fill-mask"), bag-of-words
//   terms ("arxiv181004805", "hasspace", "nan": the soup deletes punctuation and lowercases), and
//   hybrid terms ("tag:has_space (0.12)", "ngram:^ber+bert (0.05)", "popularity (0.03)").
// - A soup term is traced to the query row's value it came from (the tag "arxiv:1810.04805",
//   the library "transformers"); "nan" says which of the query's fields are empty.
// - Reasons keep the recommender's order (strongest first); one value is said once.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"

namespace hfrec {

// One reason: the metadata field it is about and the query's value there.
// field: "task", "library", "author", "model_type", "architecture", "tag", "name", "name_part" (a
// word of the query's name whose 4-grams the two names share; "name" with no value: names alike
// but no word of the query's holds the shared 4-grams), "head" (as the query's architectures spell it),
// "family" (the model tree: the id of the query's base model, or its own, that the two share), "license",
// "paper", "dataset", "popularity", "missing" (value: the empty field), or "term"
// (a bag-of-words term not traced to a value; value: the term).
struct Reason {
  std::string field;
  std::string value;
  bool operator==(const Reason&) const = default;
};

// The reasons behind `shared`, for the query at `query_row` of `cat` (kMissing: a free-text query,
// whose terms stay terms), deduplicated, in order.
std::vector<Reason> trace_reasons(const Catalogue& cat, uint32_t query_row, const std::vector<std::string>& shared);

// One reason in words: "same task: fill-mask", "both cite arXiv:1810.04805", "both have a Space".
std::string describe(const Reason& r);

// The reasons in words, joined by " · " ("" when there are none): reasons about the same field
// read as one ("both tagged “bert”, “jax”", "neither lists an author or a library"), at most
// `max` of them and 3 values each.
std::string why_in_words(const Catalogue& cat, uint32_t query_row, const std::vector<std::string>& shared,
                         size_t max = 5);

}  // namespace hfrec

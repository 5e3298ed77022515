// Focus: recommendations restricted to a subset of the catalogue (the members of the cluster the
// user focused), found by asking the index for more candidates than shown and keeping the allowed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "index.h"
#include "query.h"
#include "result.h"

namespace hfrec {

// How many candidates a focused query ranks before it keeps the allowed ones.
struct FocusParams {
  size_t candidate_factor = 20;  // rank candidate_factor * k ...
  size_t min_candidates = 1000;  // ... but at least this many (capped at the catalogue's size)
};

// The first p.k recommendations for a model whose rows `allowed` accepts, in the index's order
// (score, then downloads desc, then modelId asc): exactly the allowed prefix of the full ranking.
// - It ranks max(candidate_factor * k, min_candidates) candidates first, and the whole catalogue
//   when those hold fewer than k allowed rows (so it is exact, and cheap when the focus is large).
// - Errors are the index's (unknown model, k = 0).
Result<std::vector<Recommendation>> recommend_focused(const Index& index, std::string_view model_id,
                                                      const RecommendParams& p,
                                                      const std::function<bool(uint32_t)>& allowed,
                                                      const FocusParams& focus = {});

// Whether a cluster focus allows a row: every row when focus is -2 (none), else the rows labelled
// `focus` (-1: noise, kNoise). Rows past the labels are allowed.
bool cluster_focus_allows(const std::vector<int32_t>& labels, int focus, uint32_t row);

}  // namespace hfrec

// Focus: recommendations kept to the rows a predicate allows (a focused cluster), exact by asking
// for more candidates and, when too few are allowed, for all of them (focus.h).
#include "focus.h"

#include <algorithm>
#include <utility>

#include "cluster_metrics.h"

namespace hfrec {

Result<std::vector<Recommendation>> recommend_focused(const Index& index, std::string_view model_id,
                                                      const RecommendParams& p,
                                                      const std::function<bool(uint32_t)>& allowed,
                                                      const FocusParams& focus) {
  if (p.k == 0) return index.recommend(model_id, p);  // the index's error
  const size_t n = index.catalogue().size();
  RecommendParams q = p;
  q.k = std::min<size_t>(n, std::max<size_t>(focus.candidate_factor * p.k, focus.min_candidates));
  auto keep = [&](const std::vector<Recommendation>& v) {
    std::vector<Recommendation> out;
    for (const auto& rec : v)
      if (allowed(rec.row) && out.size() < p.k) out.push_back(rec);
    return out;
  };
  auto r = index.recommend(model_id, q);
  if (!r.ok()) return r;
  std::vector<Recommendation> kept = keep(r.value());
  if (kept.size() < p.k && q.k < n) {
    q.k = n;
    r = index.recommend(model_id, q);
    if (!r.ok()) return r;
    kept = keep(r.value());
  }
  return kept;
}

bool cluster_focus_allows(const std::vector<int32_t>& labels, int focus, uint32_t row) {
  if (focus == -2 || row >= labels.size()) return true;
  return labels[row] == (focus == -1 ? kNoise : focus);
}

}  // namespace hfrec

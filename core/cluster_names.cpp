// Cluster names: each cluster's most distinctive features by their share of the KL divergence from
// the whole catalogue (cluster_names.h).
#include "cluster_names.h"

#include <algorithm>
#include <cmath>

#include "cluster_metrics.h"

namespace hfrec {

std::vector<ClusterSummary> describe_clusters(const Catalogue& cat, const Groups& groups, const CsrMatrix& group_rows,
                                              const std::vector<std::string>& feature_names,
                                              const std::vector<int32_t>& row_labels, int n_clusters,
                                              const NameParams& params) {
  const size_t n = row_labels.size(), d = group_rows.n_cols;
  std::vector<ClusterSummary> out(static_cast<size_t>(std::max(0, n_clusters)));
  if (out.empty()) return out;
  // Presence counts per (cluster, column) over rows, from group counts per cluster.
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> group_in(groups.size());  // group -> (cluster, rows)
  std::vector<double> overall(d, 0.0);
  for (uint32_t r = 0; r < n; ++r) {
    const int32_t l = row_labels[r];
    if (l == kNoise || l >= n_clusters) continue;
    ++out[l].size;
    auto& v = group_in[groups.group_of[r]];
    auto it = std::find_if(v.begin(), v.end(), [&](const auto& x) { return x.first == uint32_t(l); });
    if (it == v.end()) v.emplace_back(l, 1);
    else ++it->second;
  }
  std::vector<std::vector<double>> count(out.size(), std::vector<double>(d, 0.0));
  for (uint32_t g = 0; g < groups.size(); ++g) {
    for (uint64_t q = group_rows.indptr[g]; q < group_rows.indptr[g + 1]; ++q) {
      overall[group_rows.indices[q]] += groups.weight(g);
      for (const auto& [l, c] : group_in[g]) count[l][group_rows.indices[q]] += c;
    }
  }
  for (size_t l = 0; l < out.size(); ++l) {
    ClusterSummary& s = out[l];
    s.label = static_cast<int32_t>(l);
    if (s.size == 0) continue;
    std::vector<std::pair<double, uint32_t>> ranked;
    for (uint32_t j = 0; j < d; ++j) {
      if (count[l][j] == 0) continue;
      const double share = count[l][j] / s.size, all = overall[j] / double(n);
      const double score = share * std::log(share / all);
      ranked.emplace_back(score, j);
    }
    std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      return a.second < b.second;
    });
    for (size_t i = 0; i < ranked.size() && i < size_t(params.list_features); ++i) {
      const uint32_t j = ranked[i].second;
      s.features.push_back({feature_names[j], count[l][j] / s.size, overall[j] / double(n)});
      if (i < size_t(params.name_features)) s.name += (i ? " · " : "") + feature_names[j];
    }
  }
  // Top members: rows by downloads desc, then modelId asc. Groups list their members in that order,
  // so only the first few of each group can be a cluster's top members.
  std::vector<std::vector<uint32_t>> cand(out.size());
  for (uint32_t g = 0; g < groups.size(); ++g) {
    std::vector<int> taken(out.size(), 0);
    for (uint32_t q = groups.member_ptr[g]; q < groups.member_ptr[g + 1]; ++q) {
      const uint32_t r = groups.members[q];
      const int32_t l = row_labels[r];
      if (l == kNoise || l >= n_clusters || taken[l] >= params.top_members) continue;
      ++taken[l];
      cand[l].push_back(r);
    }
  }
  for (size_t l = 0; l < out.size(); ++l) {
    std::sort(cand[l].begin(), cand[l].end(), [&](uint32_t a, uint32_t b) {
      if (cat.downloads[a] != cat.downloads[b]) return cat.downloads[a] > cat.downloads[b];
      return cat.id(a) < cat.id(b);
    });
    cand[l].resize(std::min(cand[l].size(), size_t(params.top_members)));
    out[l].top_members = std::move(cand[l]);
  }
  return out;
}

}  // namespace hfrec

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
  for (uint32_t g = 0; g < groups.size(); ++g)
    for (uint64_t q = group_rows.indptr[g]; q < group_rows.indptr[g + 1]; ++q)
      overall[group_rows.indices[q]] += groups.weight(g);
  // Each cluster's groups with their row counts (the inverse of group_in), so a cluster's column
  // counts are summed in a dense scratch vector one cluster at a time: O(d + non-zeros) memory and
  // time linear in the rows' non-zeros, whatever k (a k × d table took 1.5 s at k = 9000).
  std::vector<size_t> cptr(out.size() + 1, 0);
  for (const auto& v : group_in)
    for (const auto& [l, c] : v) ++cptr[l + 1];
  for (size_t l = 0; l < out.size(); ++l) cptr[l + 1] += cptr[l];
  std::vector<std::pair<uint32_t, uint32_t>> in_cluster(cptr.back());  // (group, rows)
  {
    std::vector<size_t> at(cptr.begin(), cptr.end() - 1);
    for (uint32_t g = 0; g < groups.size(); ++g)
      for (const auto& [l, c] : group_in[g]) in_cluster[at[l]++] = {g, c};
  }
  std::vector<double> count(d, 0.0);
  std::vector<uint32_t> touched;
  for (size_t l = 0; l < out.size(); ++l) {
    ClusterSummary& s = out[l];
    s.label = static_cast<int32_t>(l);
    if (s.size == 0) continue;
    touched.clear();
    for (size_t e = cptr[l]; e < cptr[l + 1]; ++e) {
      const auto [g, c] = in_cluster[e];
      for (uint64_t q = group_rows.indptr[g]; q < group_rows.indptr[g + 1]; ++q) {
        const uint32_t j = group_rows.indices[q];
        if (count[j] == 0) touched.push_back(j);
        count[j] += c;
      }
    }
    std::vector<std::pair<double, uint32_t>> ranked;
    for (uint32_t j : touched) {
      const double share = count[j] / s.size, all = overall[j] / double(n);
      const double score = share * std::log(share / all);
      ranked.emplace_back(score, j);
    }
    std::sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      return a.second < b.second;
    });
    for (size_t i = 0; i < ranked.size() && i < size_t(params.list_features); ++i) {
      const uint32_t j = ranked[i].second;
      s.features.push_back({feature_names[j], count[j] / s.size, overall[j] / double(n)});
      if (i < size_t(params.name_features)) s.name += (i ? " · " : "") + feature_names[j];
    }
    for (uint32_t j : touched) count[j] = 0;
  }
  // Top members: rows by downloads desc, then modelId asc. Groups list their members in that order,
  // so only the first few of each group can be a cluster's top members.
  std::vector<std::vector<uint32_t>> cand(out.size());
  std::vector<int> taken(out.size(), 0);  // per cluster, within the group at hand
  for (uint32_t g = 0; g < groups.size(); ++g) {
    for (uint32_t q = groups.member_ptr[g]; q < groups.member_ptr[g + 1]; ++q) {
      const uint32_t r = groups.members[q];
      const int32_t l = row_labels[r];
      if (l == kNoise || l >= n_clusters || taken[l] >= params.top_members) continue;
      ++taken[l];
      cand[l].push_back(r);
    }
    for (uint32_t q = groups.member_ptr[g]; q < groups.member_ptr[g + 1]; ++q) {
      const int32_t l = row_labels[groups.members[q]];
      if (l != kNoise && l < n_clusters) taken[l] = 0;
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

// Lineage: base models from cards and base_model tags, parents and children in CSR form (lineage.h).
#include "lineage.h"

#include <algorithm>

namespace hfrec {

std::string_view relation_name(Relation r) {
  switch (r) {
    case Relation::finetune: return "finetune";
    case Relation::adapter: return "adapter";
    case Relation::quantized: return "quantized";
    case Relation::merge: return "merge";
    case Relation::unspecified: break;
  }
  return "";
}

bool parse_base_model_tag(std::string_view tag, std::string_view& id, Relation& relation) {
  constexpr std::string_view kPrefix = "base_model:";
  if (tag.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = tag.substr(kPrefix.size());
  relation = Relation::unspecified;
  // Model ids hold no ':', so a colon ends a relation ("base_model:finetune:org/x"); a relation
  // this code does not know still names its model.
  if (const size_t colon = rest.find(':'); colon != std::string_view::npos) {
    const std::string_view kind = rest.substr(0, colon);
    for (Relation r : {Relation::finetune, Relation::adapter, Relation::quantized, Relation::merge})
      if (kind == relation_name(r)) relation = r;
    rest = rest.substr(colon + 1);
  }
  id = rest;
  return !id.empty() && id.find(':') == std::string_view::npos;
}

Lineage::Lineage(const Catalogue& c) {
  const size_t n = c.size();
  parent_offsets_.reserve(n + 1);
  row_node_.assign(n, kMissing);
  // A catalogue built without the base_models column (an older writer) has none.
  const bool has_card = c.base_models.offsets.size() == n + 1;
  // Per tag (pool id): its parent node, kMissing when it names none; 0xFFFFFFFE when not yet seen.
  constexpr uint32_t kUnseen = 0xFFFFFFFEu;
  std::vector<uint32_t> tag_node(c.pool.size(), kUnseen);
  std::vector<Relation> tag_relation(c.pool.size(), Relation::unspecified);
  std::vector<uint32_t> child_count;
  auto add = [&](uint32_t row, size_t first, uint32_t node, Relation rel) {
    if (c.find(node_id(node)) == row) return;  // a model is not its own base
    for (size_t k = first; k < parents_.size(); ++k)
      if (parents_[k].node == node) {
        if (parents_[k].relation == Relation::unspecified) parents_[k].relation = rel;
        return;
      }
    parents_.push_back({kMissing, node, rel});
  };
  for (uint32_t row = 0; row < n; ++row) {
    const size_t first = parents_.size();
    if (has_card)
      for (const uint32_t* p = c.base_models.begin(row); p != c.base_models.end(row); ++p)
        add(row, first, nodes_.intern(c.pool.str(*p)), Relation::unspecified);
    for (const uint32_t* p = c.tags.begin(row); p != c.tags.end(row); ++p) {
      uint32_t& node = tag_node[*p];
      if (node == kUnseen) {
        std::string_view id;
        Relation rel = Relation::unspecified;
        node = parse_base_model_tag(c.pool.str(*p), id, rel) ? nodes_.intern(id) : kMissing;
        tag_relation[*p] = rel;
      }
      if (node != kMissing) add(row, first, node, tag_relation[*p]);
    }
    parent_offsets_.push_back(static_cast<uint32_t>(parents_.size()));
    if (parents_.size() > first) ++rows_with_parents_;
  }
  // Parent rows, and children per node (counting sort: children come out in row order).
  std::vector<uint32_t> node_row(nodes_.size());
  for (uint32_t k = 0; k < nodes_.size(); ++k) {
    node_row[k] = c.find(nodes_.str(k));
    if (node_row[k] != kMissing) row_node_[node_row[k]] = k;
  }
  child_offsets_.assign(nodes_.size() + 1, 0);
  for (Parent& p : parents_) {
    p.row = node_row[p.node];
    ++child_offsets_[p.node + 1];
    if (p.row != kMissing) ++links_in_catalogue_;
  }
  links_ = parents_.size();
  for (size_t k = 0; k < nodes_.size(); ++k) child_offsets_[k + 1] += child_offsets_[k];
  children_.resize(parents_.size());
  std::vector<uint32_t> fill(child_offsets_.begin(), child_offsets_.end() - 1);
  for (uint32_t row = 0; row < n; ++row)
    for (uint32_t k = parent_offsets_[row]; k < parent_offsets_[row + 1]; ++k)
      children_[fill[parents_[k].node]++] = row;
  for (uint32_t row = 0; row < n; ++row)
    if (!children(row).empty()) ++rows_with_children_;
}

std::vector<uint32_t> Lineage::sibling_rows(uint32_t row) const {
  std::vector<uint32_t> all;
  for (const Parent& p : parents(row)) all.insert(all.end(), children_of(p.node).begin(), children_of(p.node).end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::erase(all, row);
  return all;
}

size_t Lineage::siblings(uint32_t row) const {
  const auto ps = parents(row);
  auto kids = [&](const Parent& p) {
    return std::span<const uint32_t>(children_.data() + child_offsets_[p.node],
                                     children_.data() + child_offsets_[p.node + 1]);
  };
  if (ps.empty()) return 0;
  if (ps.size() == 1) return kids(ps[0]).size() - 1;  // row is among them once
  std::vector<uint32_t> all;
  for (const Parent& p : ps) all.insert(all.end(), kids(p).begin(), kids(p).end());
  std::sort(all.begin(), all.end());
  return static_cast<size_t>(std::unique(all.begin(), all.end()) - all.begin()) - 1;
}

}  // namespace hfrec

// Lineage: base models from cards and base_model tags, parents and children in CSR form (lineage.h).
#include "lineage.h"

#include <algorithm>
#include <memory>

#include "sliced.h"

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

struct detail::LineageState {
  enum Phase { kArrays, kParents, kNodes, kCount, kOffsets, kFill, kWithChildren, kDone };
  static constexpr int kPhases = kDone;
  // Per tag (pool id) not yet seen; else its parent node, or kMissing when it names none.
  static constexpr uint32_t kUnseen = 0xFFFFFFFEu;
  const Catalogue& c;
  Lineage l;
  int phase = kArrays;
  uint64_t pos = 0;
  bool entered = false;
  std::vector<uint32_t> tag_node;
  std::vector<Relation> tag_relation;
  std::vector<uint32_t> node_row;  // a node's row, or kMissing
  std::vector<uint32_t> fill;      // per node: where its next child goes

  explicit LineageState(const Catalogue& cat) : c(cat) {}

  void enter() {
    switch (phase) {
      case kArrays: l.parent_offsets_.reserve(c.size() + 1); break;
      case kNodes: node_row.resize(l.nodes_.size()); break;
      case kCount: l.child_offsets_.assign(l.nodes_.size() + 1, 0); break;
      case kOffsets: l.links_ = l.parents_.size(); break;
      case kFill:
        l.children_.resize(l.parents_.size());
        fill.assign(l.child_offsets_.begin(), l.child_offsets_.end() - 1);
        break;
      case kDone:
        release(tag_node, node_row, fill);
        release(tag_relation);
        break;
      default: break;
    }
  }

  // A parent of row (its parents start at `first`): listed once, the first relation stated kept.
  void add(uint32_t row, size_t first, uint32_t node, Relation rel) {
    if (c.find(l.node_id(node)) == row) return;  // a model is not its own base
    for (size_t k = first; k < l.parents_.size(); ++k)
      if (l.parents_[k].node == node) {
        if (l.parents_[k].relation == Relation::unspecified) l.parents_[k].relation = rel;
        return;
      }
    l.parents_.push_back({kMissing, node, rel});
  }

  void parents_of(uint32_t row) {
    // A catalogue built without the base_models column (an older writer) has none.
    const bool has_card = c.base_models.offsets.size() == c.size() + 1;
    const size_t first = l.parents_.size();
    if (has_card)
      for (const uint32_t* p = c.base_models.begin(row); p != c.base_models.end(row); ++p)
        add(row, first, l.nodes_.intern(c.pool.str(*p)), Relation::unspecified);
    for (const uint32_t* p = c.tags.begin(row); p != c.tags.end(row); ++p) {
      uint32_t& node = tag_node[*p];
      if (node == kUnseen) {
        std::string_view id;
        Relation rel = Relation::unspecified;
        node = parse_base_model_tag(c.pool.str(*p), id, rel) ? l.nodes_.intern(id) : kMissing;
        tag_relation[*p] = rel;
      }
      if (node != kMissing) add(row, first, node, tag_relation[*p]);
    }
    l.parent_offsets_.push_back(static_cast<uint32_t>(l.parents_.size()));
    if (l.parents_.size() > first) ++l.rows_with_parents_;
  }

  bool run(const SliceTimer& timer) {
    const uint64_t n = c.size(), nodes = l.nodes_.size();
    switch (phase) {
      case kArrays:
        // Each resumes where it stopped; a whole one returns at once.
        if (!grow(tag_node, c.pool.size(), kUnseen, timer)) return false;
        if (!grow(tag_relation, c.pool.size(), Relation::unspecified, timer)) return false;
        return grow(l.row_node_, n, kMissing, timer);
      case kParents:
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r) parents_of(r);
        });
      case kNodes:
        return batches(pos, nodes, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto k = static_cast<uint32_t>(b); k < e; ++k) {
            node_row[k] = c.find(l.nodes_.str(k));
            if (node_row[k] != kMissing) l.row_node_[node_row[k]] = k;
          }
        });
      case kCount:
        return batches(pos, l.parents_.size(), kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t i = b; i < e; ++i) {
            Parent& p = l.parents_[i];
            p.row = node_row[p.node];
            ++l.child_offsets_[p.node + 1];
            if (p.row != kMissing) ++l.links_in_catalogue_;
          }
        });
      case kOffsets:
        return batches(pos, nodes, kFlatBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t k = b; k < e; ++k) l.child_offsets_[k + 1] += l.child_offsets_[k];
        });
      case kFill:
        // Row by row, so each node's children come out in row order (a counting sort).
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto row = static_cast<uint32_t>(b); row < e; ++row)
            for (uint32_t k = l.parent_offsets_[row]; k < l.parent_offsets_[row + 1]; ++k)
              l.children_[fill[l.parents_[k].node]++] = row;
        });
      case kWithChildren:
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto row = static_cast<uint32_t>(b); row < e; ++row)
            if (!l.children(row).empty()) ++l.rows_with_children_;
        });
      default: return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    static constexpr double w[kPhases] = {1, 6, 1, 1, 1, 2, 1};
    const uint64_t n = c.size(), nodes = l.nodes_.size();
    const uint64_t of[kPhases] = {1, n, nodes, l.parents_.size(), nodes, n, n};
    return phased_progress(w, kPhases, phase, phase < kDone ? frac(phase == kArrays ? 0 : pos, of[phase]) : 1.0);
  }

  const char* stage() const { return "lineage: base models"; }

  Lineage take() { return std::move(l); }
};

template class SlicedBuilder<detail::LineageState, Lineage>;

LineageBuilder::LineageBuilder(const Catalogue& cat) : SlicedBuilder(std::make_unique<detail::LineageState>(cat)) {}

Lineage::Lineage(const Catalogue& c) {
  LineageBuilder b(c);
  finish(b);
  *this = b.take();
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

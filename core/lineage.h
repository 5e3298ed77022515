// Lineage: which models a model was made from (its base models) and which were made from it, from
// the model card's base_model (cardData.base_model in Hub JSON, the base_model column in CSV) and
// the Hub's base_model tags ("base_model:ORG/NAME", "base_model:finetune:ORG/NAME", with adapter,
// quantized and merge as the other relations). Parents and children are stored in CSR form:
// memory linear in the catalogue.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "catalogue.h"
#include "job.h"
#include "string_pool.h"

namespace hfrec {

// How a model was made from its base model, as the Hub's base_model tags say; unspecified when
// only the card (or a plain tag) names the base.
enum class Relation : uint8_t { unspecified, finetune, adapter, quantized, merge };
// "", "finetune", "adapter", "quantized" or "merge".
std::string_view relation_name(Relation r);

// One base model of a row.
struct Parent {
  uint32_t row = kMissing;  // the parent's row, or kMissing when the catalogue does not hold it
  uint32_t node = 0;        // the parent's id in the lineage (Lineage::node_id)
  Relation relation = Relation::unspecified;
};

// The lineage of a catalogue, built once (linear in rows and tags); read-only afterwards.
// Gotchas:
// - Ids match exactly: a card naming "google-bert/bert-base-uncased" does not find a row with the
//   legacy id "bert-base-uncased".
// - A model naming itself as its base is ignored; cycles are kept as the cards state them.
// - A parent is listed once per row (the card's and the tags' mentions merged; the first relation
//   a tag gives is kept), in the order the card, then the tags, name them.
namespace detail {
struct LineageState;
}

class Lineage {
 public:
  Lineage() = default;
  explicit Lineage(const Catalogue& cat);

  // True when no row names a base model.
  bool empty() const { return links_ == 0; }
  // Rows of the catalogue it was built from.
  size_t rows() const { return parent_offsets_.size() - 1; }
  // A row's base models.
  std::span<const Parent> parents(uint32_t row) const {
    return {parents_.data() + parent_offsets_[row], parents_.data() + parent_offsets_[row + 1]};
  }
  // The rows that name this row as a base model, in row order.
  std::span<const uint32_t> children(uint32_t row) const {
    const uint32_t n = row_node_[row];
    if (n == kMissing) return {};
    return {children_.data() + child_offsets_[n], children_.data() + child_offsets_[n + 1]};
  }
  // The rows that name a node (Parent::node) as a base model, in row order.
  std::span<const uint32_t> children_of(uint32_t node) const {
    return {children_.data() + child_offsets_[node], children_.data() + child_offsets_[node + 1]};
  }
  // How many other rows share at least one base model with this row (external bases included).
  size_t siblings(uint32_t row) const;
  // Those rows, ascending.
  std::vector<uint32_t> sibling_rows(uint32_t row) const;
  // The model id of a parent (in the catalogue or not).
  std::string_view node_id(uint32_t node) const { return nodes_.str(node); }

  // Counts for `hfrec stats`: rows with at least one base model, parent links, links whose parent
  // is in the catalogue, rows that are a base model of some row in it.
  size_t rows_with_parents() const { return rows_with_parents_; }
  size_t links() const { return links_; }
  size_t links_in_catalogue() const { return links_in_catalogue_; }
  size_t rows_with_children() const { return rows_with_children_; }

 private:
  friend struct detail::LineageState;
  std::vector<uint32_t> parent_offsets_{0};  // row r's parents are parents_[parent_offsets_[r] ..)
  std::vector<Parent> parents_;
  StringPool nodes_;                     // every parent id named
  std::vector<uint32_t> child_offsets_;  // node n's children are children_[child_offsets_[n] ..)
  std::vector<uint32_t> children_;
  std::vector<uint32_t> row_node_;  // a row's node (its id named as a parent), or kMissing
  size_t links_ = 0, links_in_catalogue_ = 0, rows_with_parents_ = 0, rows_with_children_ = 0;
};

extern template class SlicedBuilder<detail::LineageState, Lineage>;

// Lineage(cat) in slices (the app builds it at the end of a load: at 1M rows, at once, one step of
// 61-71 ms natively). Phases: per-tag and per-row arrays, the rows' parents (rows), the parents'
// rows (ids named), children counted, their offsets, the children (rows), rows with children. The
// catalogue must outlive the builder.
class LineageBuilder : public SlicedBuilder<detail::LineageState, Lineage> {
 public:
  explicit LineageBuilder(const Catalogue& cat);
};

// The base model a "base_model:..." tag names and its relation; false for any other tag (and for
// one naming no model).
bool parse_base_model_tag(std::string_view tag, std::string_view& id, Relation& relation);

}  // namespace hfrec

// Attribute space: the notebook's one-hot "attributes" of a catalogue (pandas get_dummies of
// pipeline_tag, architectures, model_type and library_name), its identical rows grouped.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalogue.h"
#include "job.h"
#include "row_groups.h"

namespace hfrec {

// One-hot of pipeline_tag, architectures (raw cell, brackets stripped), model_type, library_name.
struct AttributeSpace {
  // Category names as pandas get_dummies prints them ("pipeline_tag_fill-mask"); ordered by
  // column, then value.
  std::vector<std::string> names;
  std::vector<uint8_t> field;                       // 0 pipeline_tag, 1 architectures, 2 model_type, 3 library_name
  std::vector<std::string> values;                  // the value part of each name
  std::unordered_map<std::string, uint32_t> index;  // name -> column
  Groups groups;                                    // binary rows; a catalogue row's is its group's
  // Column of a field's value, or kMissing.
  uint32_t column(int field_no, std::string_view value) const;
};

// Field names for attribute categories (index by AttributeSpace::field).
inline constexpr const char* kAttributeFields[4] = {"pipeline_tag", "architectures", "model_type", "library_name"};

// The attribute space in one call (runs AttributeBuilder to the end). `order` is tie_order(cat)
// when the caller has it (else it is computed).
AttributeSpace build_attributes(const Catalogue& cat, const std::vector<uint32_t>* order = nullptr);

namespace detail {
struct AttributeState;
}  // namespace detail
extern template class SlicedBuilder<detail::AttributeState, AttributeSpace>;

// build_attributes() in slices (see row_groups.h's builders), in phases: value scan (rows), value
// sort, one-hot (rows), collapse. stage() says which ("attributes: one-hot").
class AttributeBuilder : public SlicedBuilder<detail::AttributeState, AttributeSpace> {
 public:
  AttributeBuilder(const Catalogue& cat, const std::vector<uint32_t>& order);
};

}  // namespace hfrec

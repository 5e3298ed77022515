// Parser for the Python list literals that Hub CSV dumps hold: "['pytorch', 'bert']", "[None]".
#pragma once
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace hfrec {

struct ListLimits {
  size_t max_items = 10000;
  size_t max_depth = 32;
};

// Parses a Python list (or tuple) literal of strings. None items are dropped, a dict item
// contributes its keys, numbers and booleans their text, nested lists are flattened.
// The error names the 1-based character offset within the cell and what was expected.
Result<std::vector<std::string>> parse_list_literal(std::string_view cell, ListLimits limits = {});
// The same parse without a string per item: items are views into the cell, or into `scratch` for
// items with escapes, valid while both live (both are cleared first). Returns the error message
// (as above), empty on success.
std::string parse_list_literal(std::string_view cell, const ListLimits& limits, std::vector<std::string_view>& items,
                               std::deque<std::string>& scratch);

// Python repr of a list of strings: ['a', "it's"]; inverse of parse_list_literal for strings.
std::string python_list_repr(const std::vector<std::string>& items);

}  // namespace hfrec

// libFuzzer target: parse_list_literal on arbitrary bytes.
// Invariants: no crash, no stack overflow (depth limit); limits hold; errors are valid UTF-8 for valid
// UTF-8 input; for any parsed list, parse(python_list_repr(items)) == items.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/list_literal.h"
#include "core/text.h"

using namespace hfrec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view cell(reinterpret_cast<const char*>(data), size);
  const ListLimits limits{.max_items = 64, .max_depth = 8};
  auto r = parse_list_literal(cell, limits);
  if (!r.ok()) {
    if (r.error().empty()) std::abort();
    if (utf8_valid(cell) && !utf8_valid(r.error())) std::abort();
    return 0;
  }
  const std::vector<std::string>& items = r.value();
  if (items.size() > limits.max_items) std::abort();
  if (utf8_valid(cell))
    for (const auto& item : items)
      if (!utf8_valid(item)) std::abort();  // escapes never produce invalid UTF-8
  auto back = parse_list_literal(python_list_repr(items), limits);
  if (!back.ok() || back.value() != items) std::abort();
  return 0;
}

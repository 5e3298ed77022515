// libFuzzer target: the Hub list-models JSON loader (and the format sniffing in load_catalogue).
// Invariants: no crash, no stack exhaustion (depth pre-check), no exception escapes (nlohmann is
// used without exceptions), limits hold, error messages are non-empty valid UTF-8, and the fast
// path for plain model objects reads exactly what the DOM path reads (same error or same rows).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/catalogue.h"
#include "core/text.h"

using namespace hfrec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadLimits limits;
  limits.max_rows = 50;
  limits.list.max_items = 8;
  limits.max_json_depth = 16;
  for (int sniff = 0; sniff < 2; ++sniff) {
    auto r = sniff ? load_catalogue(text, "fuzz", limits) : load_hub_json(text, "fuzz", limits);
    if (!r.ok()) {
      if (r.error().empty() || !utf8_valid(r.error())) std::abort();
      if (!sniff) {  // the DOM path fails the same way
        LoadLimits dom_only = limits;
        dom_only.json_fast_path = false;
        auto d = load_hub_json(text, "fuzz", dom_only);
        if (d.ok() || d.error() != r.error()) std::abort();
      }
      continue;
    }
    const Catalogue& c = r.value();
    if (c.size() == 0 || c.size() > limits.max_rows) std::abort();
    if (!sniff) {
      LoadLimits dom_only = limits;
      dom_only.json_fast_path = false;
      auto d = load_hub_json(text, "fuzz", dom_only);
      if (!d.ok() || d.value().size() != c.size() || d.value().report.columns != c.report.columns) std::abort();
      for (uint32_t row = 0; row < c.size(); ++row) {
        const ModelRecord x = record_of(c, row), y = record_of(d.value(), row);
        if (x.id != y.id || x.author != y.author || x.downloads != y.downloads || x.tags != y.tags ||
            x.architectures != y.architectures || x.datasets != y.datasets || x.pipeline_tag != y.pipeline_tag ||
            x.model_type != y.model_type || x.library_name != y.library_name || x.last_modified != y.last_modified ||
            x.tags_missing != y.tags_missing || x.architectures_missing != y.architectures_missing ||
            x.datasets_missing != y.datasets_missing || x.base_models != y.base_models ||
            c.pool.str(c.architectures_category[row]) != d.value().pool.str(d.value().architectures_category[row]))
          std::abort();
      }
    }
    for (uint32_t row = 0; row < c.size(); ++row) {
      if (c.id(row).empty() || c.find(c.id(row)) != row) std::abort();
      if (c.tags.size(row) > limits.list.max_items) std::abort();
    }
  }
  return 0;
}

// libFuzzer target: CsvReader and the CSV catalogue loader on arbitrary bytes.
// Invariants: no crash, no hang; limits hold; an error is set exactly when reading stops early;
// error messages are valid UTF-8; sliced loading gives the same result as a one-shot load.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue.h"
#include "core/csv_reader.h"
#include "core/text.h"

using namespace hfrec;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Small limits so the fuzzer reaches them.
  const CsvLimits csv{.max_field_bytes = 64, .max_columns = 16};
  {
    CsvReader r(text, csv);
    std::vector<std::string> fields;
    size_t records = 0;
    while (r.next(fields)) {
      if (fields.empty() || fields.size() > csv.max_columns) std::abort();
      for (const auto& f : fields)
        if (f.size() > csv.max_field_bytes) std::abort();
      if (++records > size + 1) std::abort();  // every record consumes input
    }
    if (!r.error().empty() && !utf8_valid(r.error())) std::abort();
  }
  LoadLimits limits;
  limits.csv = csv;
  limits.max_rows = 50;
  limits.list.max_items = 8;
  auto one = load_csv(text, "fuzz", limits);
  if (!one.ok() && (one.error().empty() || !utf8_valid(one.error()))) std::abort();
  if (one.ok() && one.value().size() > limits.max_rows) std::abort();
  CatalogueLoader loader(std::string(text), "fuzz", limits);
  size_t steps = 0;
  while (!loader.step(3))
    if (++steps > size + 2) std::abort();
  auto sliced = loader.take();
  // The sniffing loader may read JSON where load_csv reads CSV; compare only CSV-shaped input.
  if (sliced.ok() && sliced.value().report.format == "csv") {
    if (!one.ok() || one.value().size() != sliced.value().size()) std::abort();
    for (uint32_t row = 0; row < one.value().size(); ++row)
      if (one.value().id(row) != sliced.value().id(row)) std::abort();
  }
  return 0;
}

// libFuzzer target: CsvReader and the CSV catalogue loader on arbitrary bytes.
// Invariants: no crash, no hang; limits hold; an error is set exactly when reading stops early;
// error messages are valid UTF-8; sliced loading gives the same result as a one-shot load, and
// so does a streamed load, its window a few bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
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
  // Streamed a few bytes at a time (the window's size from the input): the same catalogue or the
  // same error as the whole text.
  {
    const size_t window = size ? 1 + data[size - 1] % 13 : 1;
    ByteSource source = [&](uint64_t at, char* to, size_t n) -> size_t {
      if (at > size || n > size - at) std::abort();  // never past the end
      std::memcpy(to, data + at, n);
      return n;
    };
    CatalogueLoader streamed(source, size, "fuzz", limits, window);
    CatalogueLoader whole(std::string(text), "fuzz", limits);
    while (!streamed.step(3)) {}
    while (!whole.step(3)) {}
    auto a = streamed.take(), b = whole.take();
    if (a.ok() != b.ok() || (!a.ok() && a.error() != b.error())) std::abort();
    if (a.ok()) {
      const Catalogue &x = a.value(), &y = b.value();
      if (x.size() != y.size() || x.report.format != y.report.format || x.pool.size() != y.pool.size()) std::abort();
      for (uint32_t row = 0; row < x.size(); ++row) {
        const ModelRecord p = record_of(x, row), q = record_of(y, row);
        if (p.id != q.id || p.tags != q.tags || p.author != q.author || p.downloads != q.downloads ||
            p.last_modified != q.last_modified || p.datasets != q.datasets || p.architectures != q.architectures)
          std::abort();
      }
    }
  }
  // The sniffing loader may read JSON where load_csv reads CSV; compare only CSV-shaped input.
  if (sliced.ok() && sliced.value().report.format == "csv") {
    if (!one.ok() || one.value().size() != sliced.value().size()) std::abort();
    for (uint32_t row = 0; row < one.value().size(); ++row)
      if (one.value().id(row) != sliced.value().id(row)) std::abort();
  }
  return 0;
}

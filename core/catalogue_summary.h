// What a view shows of a catalogue beside its lists, gathered in slices after a load: the code
// points its text uses (the font's glyphs) and how many rows have each value of the filter columns
// (task, library, model type). At 1M rows, gathered at once, it was one ~70 ms step natively
// (the code points 27 ms, the counts 43 ms through a std::map).
#pragma once
#include <cstdint>
#include <vector>

#include "catalogue.h"
#include "job.h"
#include "text.h"

namespace hfrec {

// A value of a column (its pool id) and the rows that have it.
struct ValueCount {
  uint32_t value = 0;
  uint32_t rows = 0;
  bool operator==(const ValueCount&) const = default;
};

struct CatalogueSummary {
  // Every code point beyond ASCII of the catalogue's name, values and ids, with their lowercase
  // forms (soup terms and cluster names are lowercased catalogue text).
  CodePointSet code_points;
  // Per column, each value a row has (missing cells aside), in no particular order.
  std::vector<ValueCount> tasks, libraries, model_types;
};

namespace detail {
struct SummaryState;
}

// The summary in slices: the counts a batch of rows at a time, then the code points a batch of
// strings at a time. Reads the catalogue, which must outlive it.
class CatalogueSummaryBuilder : public SlicedBuilder<detail::SummaryState, CatalogueSummary> {
 public:
  explicit CatalogueSummaryBuilder(const Catalogue& cat);
};

// The summary at once.
CatalogueSummary catalogue_summary(const Catalogue& c);
// Its code points alone.
CodePointSet catalogue_code_points(const Catalogue& c);

}  // namespace hfrec

#include "catalogue_summary.h"

#include <array>
#include <memory>
#include <utility>

#include "sliced.h"

namespace hfrec {

struct detail::SummaryState {
  enum Phase { kSlots, kCount, kValues, kPool, kIds, kDone };
  static constexpr int kPhases = kDone;
  static constexpr int kColumns = 3;  // task, library, model type
  const Catalogue& c;
  const std::array<const std::vector<uint32_t>*, kColumns> columns;
  CatalogueSummary out;
  int phase = kSlots;
  uint64_t pos = 0;
  bool entered = false;
  std::vector<uint32_t> slot;                          // per pool id: its place in `values`, or kMissing
  std::vector<uint32_t> values;                        // the values seen, in order of first appearance
  std::vector<std::array<uint32_t, kColumns>> counts;  // rows per value and column

  explicit SummaryState(const Catalogue& cat)
      : c(cat), columns{&cat.pipeline_tag, &cat.library_name, &cat.model_type} {}

  void enter() {
    if (phase == kPool) out.code_points.add_text(c.name);
    if (phase == kDone) {
      for (char32_t cp : out.code_points.list()) out.code_points.add(to_lower(cp));
      release(slot, values);
      release(counts);
    }
  }

  void count(uint32_t row) {
    for (int k = 0; k < kColumns; ++k) {
      const uint32_t v = (*columns[k])[row];
      if (v == kMissing) continue;
      uint32_t& s = slot[v];
      if (s == kMissing) {
        s = static_cast<uint32_t>(values.size());
        values.push_back(v);
        counts.push_back({});
      }
      ++counts[s][k];
    }
  }

  bool run(const SliceTimer& timer) {
    switch (phase) {
      case kSlots: return grow(slot, c.pool.size(), kMissing, timer);
      case kCount:
        return batches(pos, c.size(), kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto r = static_cast<uint32_t>(b); r < e; ++r) count(r);
        });
      case kValues:
        return batches(pos, values.size(), kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          std::vector<ValueCount>* lists[kColumns] = {&out.tasks, &out.libraries, &out.model_types};
          for (uint64_t i = b; i < e; ++i)
            for (int k = 0; k < kColumns; ++k)
              if (counts[i][k]) lists[k]->push_back({values[i], counts[i][k]});
        });
      case kPool:
        return batches(pos, c.pool.size(), kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto i = static_cast<uint32_t>(b); i < e; ++i) out.code_points.add_text(c.pool.str(i));
        });
      case kIds:
        return batches(pos, c.ids.size(), kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (auto i = static_cast<uint32_t>(b); i < e; ++i) out.code_points.add_text(c.ids.str(i));
        });
      default: return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    static constexpr double w[kPhases] = {1, 4, 0.1, 2, 4};
    const uint64_t of[kPhases] = {1, c.size(), values.size(), c.pool.size(), c.ids.size()};
    return phased_progress(w, kPhases, phase, phase < kDone ? frac(phase == kSlots ? 0 : pos, of[phase]) : 1.0);
  }

  const char* stage() const { return phase < kPool ? "summary: filter values" : "summary: characters"; }

  CatalogueSummary take() { return std::move(out); }
};

template class SlicedBuilder<detail::SummaryState, CatalogueSummary>;

CatalogueSummaryBuilder::CatalogueSummaryBuilder(const Catalogue& cat)
    : SlicedBuilder(std::make_unique<detail::SummaryState>(cat)) {}

CatalogueSummary catalogue_summary(const Catalogue& c) {
  CatalogueSummaryBuilder b(c);
  return run_to_end(b).take();
}

CodePointSet catalogue_code_points(const Catalogue& c) { return catalogue_summary(c).code_points; }

}  // namespace hfrec

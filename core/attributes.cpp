// Attribute space: the notebook's one-hot of four categorical columns, built in phases (value
// scan, value sort, column names, one-hot rows, collapse) that each resume in slices (attributes.h).
#include "attributes.h"

#include <memory>

#include "sliced.h"

namespace hfrec {

namespace {

// Pool strings by text.
struct PoolLess {
  const StringPool* pool;
  bool operator()(uint32_t x, uint32_t y) const { return pool->str(x) < pool->str(y); }
};

}  // namespace

uint32_t AttributeSpace::column(int field_no, std::string_view value) const {
  auto it = index.find(std::string(kAttributeFields[field_no]) + "_" + std::string(value));
  return it == index.end() ? kMissing : it->second;
}

// AttributeBuilder's state: the phases of build_attributes().
struct detail::AttributeState {
  enum Phase { kScan, kSort, kColumns, kOneHot, kCollapse, kDone };
  static constexpr int kPhases = kDone;
  const Catalogue& cat;
  const std::vector<uint32_t>& order;
  AttributeSpace a;
  CsrMatrix matrix;  // one row per catalogue row, until the rows are grouped
  int phase = kScan;
  uint64_t pos = 0;
  bool entered = false;
  const std::vector<uint32_t>* cols[4];
  bool present[4];
  // Column per (field, pool id), ordered by field then value text.
  std::vector<uint32_t> col_of[4];
  std::vector<uint8_t> seen[4];
  std::vector<uint32_t> vals[4];
  uint64_t nnz = 0;
  int sort_field = 0;
  std::unique_ptr<SlicedSort<PoolLess>> sorter;
  int col_field = 0;
  std::unique_ptr<CollapseBuilder> collapse;

  AttributeState(const Catalogue& c, const std::vector<uint32_t>& o)
      : cat(c), order(o), cols{&c.pipeline_tag, &c.architectures_category, &c.model_type, &c.library_name} {
    for (int f = 0; f < 4; ++f) present[f] = cat.has_column(kAttributeFields[f]);
  }

  uint64_t length() const {
    switch (phase) {
      case kScan:
      case kOneHot: return cat.size();
      case kColumns: return col_field < 4 ? vals[col_field].size() : 0;
      default: return 0;
    }
  }

  void enter() {
    switch (phase) {
      case kScan: break;
      case kSort:
        for (auto& s : seen) release(s);
        break;
      case kOneHot:
        matrix.n_cols = static_cast<uint32_t>(a.names.size());
        matrix.indptr.reserve(cat.size() + 1);
        matrix.indices.reserve(nnz);
        break;
      case kCollapse: collapse = std::make_unique<CollapseBuilder>(matrix, order); break;
      case kDone:
        for (auto& c : col_of) release(c);
        break;
      default: break;
    }
  }

  bool run(const SliceTimer& timer) {
    const uint64_t n = length();
    switch (phase) {
      case kScan:
        for (int f = 0; f < 4; ++f) {
          if (!grow(col_of[f], cat.pool.size(), kMissing, timer)) return false;
          if (present[f] && !grow(seen[f], cat.pool.size(), uint8_t{0}, timer)) return false;
        }
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t r = b; r < e; ++r)
            for (int f = 0; f < 4; ++f) {
              if (!present[f]) continue;
              const uint32_t v = (*cols[f])[r];
              if (v == kMissing) continue;
              ++nnz;
              if (!seen[f][v]) {
                seen[f][v] = 1;
                vals[f].push_back(v);
              }
            }
        });
      case kSort:
        while (sort_field < 4) {
          if (!sorter)
            sorter = std::make_unique<SlicedSort<PoolLess>>(std::move(vals[sort_field]), PoolLess{&cat.pool});
          if (!sorter->step(timer)) return false;
          vals[sort_field] = sorter->take();
          sorter.reset();
          ++sort_field;
          if (timer.expired()) return sort_field == 4;
        }
        return true;
      case kColumns:
        while (col_field < 4) {
          const int f = col_field;
          const bool done = batches(pos, length(), kRowBatch, timer, [&](uint64_t b, uint64_t e) {
            for (uint64_t k = b; k < e; ++k) {
              const uint32_t v = vals[f][k];
              auto c = static_cast<uint32_t>(a.names.size());
              col_of[f][v] = c;
              a.names.push_back(std::string(kAttributeFields[f]) + "_" + std::string(cat.pool.str(v)));
              a.values.emplace_back(cat.pool.str(v));
              a.field.push_back(static_cast<uint8_t>(f));
              a.index.emplace(a.names.back(), c);
            }
          });
          if (!done) return false;
          release(vals[f]);
          ++col_field;
          pos = 0;
          if (timer.expired()) return col_field == 4;
        }
        return true;
      case kOneHot:
        return batches(pos, n, kRowBatch, timer, [&](uint64_t b, uint64_t e) {
          for (uint64_t r = b; r < e; ++r) {
            for (int f = 0; f < 4; ++f) {
              const uint32_t v = (*cols[f])[r];
              if (v != kMissing && present[f]) matrix.indices.push_back(col_of[f][v]);
            }
            matrix.indptr.push_back(matrix.indices.size());
          }
        });
      case kCollapse:
        if (!collapse->step(timer)) return false;
        a.groups = collapse->take();
        collapse.reset();
        release(matrix.indptr, matrix.indices, matrix.values);  // the groups hold every row's one-hot now
        return true;
      default: return true;
    }
  }

  bool step(const SliceTimer& timer) { return run_phases(*this, timer); }

  double progress() const {
    static constexpr double w[kPhases] = {4, 1, 0.5, 4, 8};
    double f = 0;
    switch (phase) {
      case kSort: f = (sort_field + (sorter ? sorter->progress() : 0.0)) / 4.0; break;
      case kColumns: f = (col_field + frac(pos, length())) / 4.0; break;
      case kCollapse: f = collapse ? collapse->progress() : 0.0; break;
      default: f = frac(pos, length());
    }
    return phased_progress(w, kPhases, phase, f);
  }

  const char* stage() const {
    switch (phase) {
      case kScan: return "attributes: finding values";
      case kSort: return "attributes: sorting values";
      case kColumns: return "attributes: naming columns";
      case kOneHot: return "attributes: one-hot";
      case kCollapse: return "attributes: grouping identical rows";
      default: return "attributes: done";
    }
  }

  AttributeSpace take() { return std::move(a); }
};

template class SlicedBuilder<detail::AttributeState, AttributeSpace>;

AttributeBuilder::AttributeBuilder(const Catalogue& cat, const std::vector<uint32_t>& order)
    : SlicedBuilder(std::make_unique<detail::AttributeState>(cat, order)) {}

AttributeSpace build_attributes(const Catalogue& cat, const std::vector<uint32_t>* order) {
  return build_in_tie_order<AttributeBuilder>(cat, order);
}

}  // namespace hfrec

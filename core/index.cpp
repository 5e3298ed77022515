// Index: a catalogue with its feature spaces; built in one call or from IndexBuilder's parts, the
// hybrid model on first use, candidate filters as pool ids, and the cached k-means of Method::kmeans.
#include "index.h"

#include "index_builder.h"

namespace hfrec {

Index::Index(Catalogue cat) : Index(build_index_parts(std::move(cat))) {}

Index::Index(IndexParts parts)
    : cat_(std::move(parts.catalogue)),
      order_(std::move(parts.order)),
      attr_(std::move(parts.attributes)),
      soup_(std::move(parts.soup)) {
  if (parts.soup_later) soup_build_ = std::make_unique<SoupBuilder>(cat_, order_);
}

Index::~Index() = default;

const SoupSpace& Index::soup() const {
  if (soup_build_) {
    run_to_end(*soup_build_);
    soup_ = soup_build_->take();
    soup_build_.reset();
  }
  return soup_;
}

bool Index::step_soup(const SliceTimer& timer) {
  if (!soup_build_) return true;
  if (!soup_build_->step(timer)) return false;
  soup();  // takes it
  return true;
}

std::string Index::soup_stage() const { return soup_build_ ? soup_build_->stage() : "ready"; }

double Index::soup_progress() const { return soup_build_ ? soup_build_->progress() : 1.0; }

const HybridModel& Index::hybrid() const {
  if (!hybrid_) hybrid_ = std::make_unique<HybridModel>(cat_);
  return *hybrid_;
}

void Index::adopt_hybrid(HybridModel model) {
  if (!hybrid_) hybrid_ = std::make_unique<HybridModel>(std::move(model));
}

bool Index::passes(uint32_t row, const Filters& f) const { return passes(row, filter_ids(f)); }

Index::FilterIds Index::filter_ids(const Filters& f) const {
  FilterIds ids;
  auto conv = [&](const std::vector<std::string>& in, std::vector<uint32_t>& out, bool& any) {
    any = in.empty();
    for (const auto& v : in) out.push_back(cat_.pool.find(v));  // kMissing matches no row
  };
  conv(f.tasks, ids.tasks, ids.any_task);
  conv(f.libraries, ids.libraries, ids.any_library);
  conv(f.model_types, ids.model_types, ids.any_model_type);
  return ids;
}

bool Index::passes(uint32_t row, const FilterIds& f) const {
  auto ok = [](bool any, const std::vector<uint32_t>& allowed, uint32_t v) {
    if (any) return true;
    if (v == kMissing) return false;
    for (uint32_t a : allowed)
      if (a == v) return true;
    return false;
  };
  return ok(f.any_task, f.tasks, cat_.pipeline_tag[row]) && ok(f.any_library, f.libraries, cat_.library_name[row]) &&
         ok(f.any_model_type, f.model_types, cat_.model_type[row]);
}

KMeansRun Index::attribute_kmeans_run(int k) const {
  const Groups& g = attr_.groups;
  std::vector<double> w(g.size());
  for (uint32_t x = 0; x < g.size(); ++x) w[x] = g.weight(x);
  KMeansParams p;
  p.k = k;
  return KMeansRun(g.rows, w, p);
}

const KMeansResult& Index::attribute_kmeans(int k) const {
  auto it = kmeans_cache_.find(k);
  if (it != kmeans_cache_.end()) return it->second;
  KMeansRun run = attribute_kmeans_run(k);
  run_to_end(run);
  return kmeans_cache_.emplace(k, run.take()).first->second;
}

void Index::adopt_attribute_kmeans(int k, KMeansResult result) { kmeans_cache_.emplace(k, std::move(result)); }

}  // namespace hfrec

// Native benchmarks of the cluster map's geometry on synthetic points: the lasso (points_in_polygon
// over the map grid) and the cluster centres the labels are drawn at, at 100k and 1M points; and
// the lasso table's sort (sort_selection) of two thirds of a generated catalogue, by each column.
// Each runs once per release of a lasso, per header click or per layout in the app, so a step
// over ~50 ms would be felt (issue 16's bound on a step).
//
//   hfrec_bench --benchmark_filter='^map/'
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "catalogue_gen.h"
#include "core/catalogue.h"
#include "core/map_grid.h"
#include "core/map_labels.h"
#include "core/map_lasso.h"
#include "core/selection.h"

namespace {

// n points in clumps over the unit square, a few outside it (as a fitted map has), and their grid.
hfrec::MapGrid clumped_grid(size_t n) {
  std::mt19937 rng(7);
  std::normal_distribution<float> spread(0, 0.06f);
  std::uniform_real_distribution<float> u(-0.02f, 1.02f);
  hfrec::MapPoints m;
  std::vector<float> cx, cy;
  for (int c = 0; c < 40; ++c) {
    cx.push_back(u(rng));
    cy.push_back(u(rng));
  }
  for (size_t i = 0; i < n; ++i) {
    const size_t c = i % cx.size();
    m.x.push_back(i % 10 == 0 ? u(rng) : cx[c] + spread(rng));
    m.y.push_back(i % 10 == 0 ? u(rng) : cy[c] + spread(rng));
  }
  std::vector<int64_t> priority(n);
  for (size_t i = 0; i < n; ++i) priority[i] = static_cast<int64_t>((i * 2654435761u) % 1000);
  return hfrec::build_map_grid(std::move(m), priority).value();
}

// A 48-vertex lasso: a wobbly ring round the map's middle, about two thirds of its area.
hfrec::MapPolygon ring() {
  hfrec::MapPolygon p;
  const double pi = std::acos(-1.0);
  for (int i = 0; i < 48; ++i) {
    const double a = 2 * pi * i / 48, r = 0.46 + 0.03 * std::sin(5 * a);
    p.x.push_back(0.5 + r * std::cos(a));
    p.y.push_back(0.5 + r * std::sin(a));
  }
  return hfrec::normalize_lasso(p);
}

void BM_Lasso(benchmark::State& state) {
  const hfrec::MapGrid g = clumped_grid(static_cast<size_t>(state.range(0)));
  const hfrec::MapPolygon poly = ring();
  size_t selected = 0;
  for (auto _ : state) {
    auto rows = hfrec::points_in_polygon(g, poly);
    selected = rows.size();
    benchmark::DoNotOptimize(rows.data());
  }
  state.counters["selected"] = static_cast<double>(selected);
}
BENCHMARK(BM_Lasso)->Name("map/lasso")->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Centres(benchmark::State& state) {
  const hfrec::MapGrid g = clumped_grid(static_cast<size_t>(state.range(0)));
  std::vector<int32_t> labels(g.points.x.size());
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int32_t>(i % 40);
  for (auto _ : state) {
    auto c = hfrec::cluster_centres(g.points, labels, 40);
    benchmark::DoNotOptimize(c.data());
  }
}
BENCHMARK(BM_Centres)->Name("map/centres")->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// A generated catalogue of `rows` rows (tests/bench/catalogue_gen.h, cached under /tmp).
const hfrec::Catalogue* generated(size_t rows, std::string& error) {
  static std::unique_ptr<hfrec::Catalogue> cat;
  if (cat && cat->size() == rows) return cat.get();
  const std::string path = hfrec::bench::cached_catalogue(std::string(HFREC_SHARED_DATA) + "/hf_models_10k.csv", rows,
                                                          1, hfrec::bench::GenFormat::csv, error);
  if (path.empty()) return nullptr;
  std::ifstream in(path, std::ios::binary);
  auto loaded = hfrec::load_catalogue(std::string(std::istreambuf_iterator<char>(in), {}), "gen");
  if (!loaded.ok()) {
    error = loaded.error();
    return nullptr;
  }
  cat = std::make_unique<hfrec::Catalogue>(std::move(loaded).value());
  return cat.get();
}

void BM_SelectionSort(benchmark::State& state) {
  std::string error;
  const hfrec::Catalogue* cat = generated(static_cast<size_t>(state.range(0)), error);
  if (!cat) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::vector<uint32_t> rows;
  for (uint32_t r = 0; r < cat->size(); ++r)
    if (r % 3) rows.push_back(r);
  std::vector<int32_t> labels(cat->size());
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int32_t>(i % 20);
  const std::vector<std::string> names(20, "cluster");
  const auto column = static_cast<hfrec::SelectionColumn>(state.range(1));
  for (auto _ : state) {
    std::vector<uint32_t> r = rows;
    hfrec::sort_selection(r, *cat, labels, names, {column, true});
    benchmark::DoNotOptimize(r.data());
  }
  state.SetLabel(hfrec::selection_column_name(column));
}
BENCHMARK(BM_SelectionSort)
    ->Name("map/selection_sort")
    ->ArgsProduct({{1'000'000}, {0, 1, 2, 3}})
    ->Unit(benchmark::kMillisecond);

}  // namespace

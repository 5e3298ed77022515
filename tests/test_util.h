// Helpers shared by the tests: the real 10k catalogue when present, small catalogues in code.
#pragma once
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <string>

#include "core/catalogue.h"
#include "core/job.h"

namespace hfrec::testing {

// Path of ../shared/data/hf_models_10k.csv, or "" when it is absent.
inline std::string shared_catalogue_path() {
  std::string p = std::string(HFREC_SHARED_DATA) + "/hf_models_10k.csv";
  std::ifstream f(p);
  return f ? p : std::string();
}

#define HFREC_REQUIRE_SHARED_CATALOGUE(path)                          \
  const std::string path = ::hfrec::testing::shared_catalogue_path(); \
  if (path.empty()) GTEST_SKIP() << "../shared/data/hf_models_10k.csv is absent: test skipped"

// Steps a resumable run (step(timer), progress()) in the smallest slices to its end, checking that
// its progress never goes back; the steps it took.
template <class Run>
int step_to_end(Run& run) {
  int steps = 1;
  double last = 0;
  for (; !run.step(SliceTimer::work(0)); ++steps) {
    EXPECT_GE(run.progress(), last) << "progress went back at step " << steps;
    last = run.progress();
  }
  return steps;
}

}  // namespace hfrec::testing

// The app's controller over a FakePlatform, with the calls the app tests share: run pending work
// in slices as the page does, load a catalogue, parse the API's JSON answers.
#pragma once
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/controller.h"
#include "app/fake_platform.h"

namespace hfrec::app {

struct App {
  AppState state;
  FakePlatform platform;
  Controller controller{state, platform};

  // Runs pending work to the end, in small slices as the page does; returns the slices taken.
  int run() {
    int slices = 0;
    while (controller.tick(1.0) && slices < 1000000) ++slices;
    return slices;
  }
  // Loads a catalogue to the end; returns the load's outcome {ok, rows, error}.
  nlohmann::json load(const std::string& bytes = sample_csv(), const std::string& name = "catalogue.csv") {
    const size_t before = platform.loads.size();
    const int id = controller.begin_load(bytes, name, "");
    run();
    EXPECT_EQ(platform.loads.size(), before + 1);
    EXPECT_EQ(platform.loads.back().first, id);
    return nlohmann::json::parse(platform.loads.back().second);
  }
  nlohmann::json call(const std::string& r) { return nlohmann::json::parse(r); }
  nlohmann::json set(const nlohmann::json& j) { return call(controller.set_json(j.dump())); }
  std::vector<std::string> ids(const ResultList& l) {
    std::vector<std::string> v;
    for (const auto& r : l.rows) v.push_back(r.model_id);
    return v;
  }
};

}  // namespace hfrec::app

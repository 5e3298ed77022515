// A Platform that records what the app asks of the browser, and the project's own catalogue: for
// the app's native tests (tests/app/) and view tests (tests/views/).
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/controller.h"

namespace hfrec::app {

// Records what the app asks of the browser.
struct FakePlatform final : Platform {
  std::vector<std::string> copied, links, urls, hashes;
  std::vector<bool> pushes;
  std::vector<int> positions;
  std::vector<std::pair<int, std::string>> loads, jobs;
  int state_changes = 0, file_dialogs = 0, hub_dialogs = 0;
  void open_file_dialog() override { ++file_dialogs; }
  void open_hub_dialog() override { ++hub_dialogs; }
  void copy_text(const std::string& t) override { copied.push_back(t); }
  void copy_link(const std::string& h) override { links.push_back(h); }
  void open_url(const std::string& u) override { urls.push_back(u); }
  struct Download {
    std::string name, mime, content;
  };
  std::vector<Download> downloads;
  void download(const std::string& n, const std::string& m, const std::string& c) override {
    downloads.push_back({n, m, c});
  }
  void history_go(int) override {}
  void set_url_hash(const std::string& h, bool push, int pos) override {
    hashes.push_back(h);
    pushes.push_back(push);
    positions.push_back(pos);
  }
  void load_finished(int id, const std::string& j) override { loads.emplace_back(id, j); }
  void job_finished(int id, const std::string& j) override { jobs.emplace_back(id, j); }
  void state_changed() override { ++state_changes; }
  std::string page_origin() override { return "https://hfrec.example"; }
};

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The project's own 55-model catalogue (web/catalogue.csv).
inline const std::string& sample_csv() {
  static const std::string csv = read_file(std::string(HFREC_SOURCE_DIR) + "/web/catalogue.csv");
  return csv;
}

}  // namespace hfrec::app

// Catalogue writers: ModelRecords as the notebook's CSV (plus base_model) or as Hub list-models JSON.
#include "record_writer.h"

#include <nlohmann/json.hpp>

#include "hub_api.h"
#include "list_literal.h"

namespace hfrec {

namespace {

void csv_cell(std::string_view v, std::string& out) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string list_cell(const std::vector<std::string>& items, bool missing) {
  return missing ? std::string() : python_list_repr(items);
}

// The base models a record names: its card's (ModelRecord::base_models), else the one its
// base_model tags name (hub::base_model_of, what the column held before cards were read).
std::vector<std::string> base_models_of(const ModelRecord& r) {
  if (!r.base_models.empty()) return r.base_models;
  std::string t = hub::base_model_of(r);
  if (t.empty()) return {};
  return {std::move(t)};
}
// One base model as a bare cell (as the Hub writes one dataset), several as a list literal.
std::string base_model_cell(const ModelRecord& r) {
  const auto b = base_models_of(r);
  return b.empty() ? std::string() : b.size() == 1 ? b[0] : python_list_repr(b);
}
// null, a string, or a list of strings (as model cards write base_model).
nlohmann::json base_model_json(const ModelRecord& r) {
  const auto b = base_models_of(r);
  return b.empty() ? nlohmann::json(nullptr) : b.size() == 1 ? nlohmann::json(b[0]) : nlohmann::json(b);
}

nlohmann::json opt(const std::string& v) { return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v); }
nlohmann::json opt_list(const std::vector<std::string>& v, bool missing) {
  return missing ? nlohmann::json(nullptr) : nlohmann::json(v);
}

}  // namespace

std::string csv_header() {
  std::string h;
  for (const auto& c : hub_columns()) h += c + ",";
  return h + "base_model\n";
}

void append_csv_rows(const std::vector<ModelRecord>& rows, std::string& out) {
  for (const auto& r : rows) {
    // hub_columns(): modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,
    // downloads,library_name.
    const std::string cells[] = {r.id,
                                 r.last_modified,
                                 list_cell(r.tags, r.tags_missing),
                                 r.pipeline_tag,
                                 r.author,
                                 list_cell(r.architectures, r.architectures_missing),
                                 r.model_type,
                                 list_cell(r.datasets, r.datasets_missing),
                                 std::to_string(r.downloads),
                                 r.library_name,
                                 base_model_cell(r)};
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out += ',';
      first = false;
      csv_cell(c, out);
    }
    out += '\n';
  }
}

void append_json_rows(const std::vector<ModelRecord>& rows, std::string& out) {
  bool first = true;
  for (const auto& r : rows) {
    nlohmann::ordered_json o;
    o["id"] = r.id;
    o["modelId"] = r.id;
    o["author"] = opt(r.author);
    o["downloads"] = r.downloads;
    o["lastModified"] = opt(r.last_modified);
    o["library_name"] = opt(r.library_name);
    o["pipeline_tag"] = opt(r.pipeline_tag);
    o["tags"] = opt_list(r.tags, r.tags_missing);
    o["config"] = {{"architectures", opt_list(r.architectures, r.architectures_missing)},
                   {"model_type", opt(r.model_type)}};
    o["cardData"] = {{"datasets", opt_list(r.datasets, r.datasets_missing)}, {"base_model", base_model_json(r)}};
    if (!first) out += ",\n";
    first = false;
    out += o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace hfrec

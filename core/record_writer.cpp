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
                                 hub::base_model_of(r)};
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
    o["cardData"] = {{"datasets", opt_list(r.datasets, r.datasets_missing)},
                     {"base_model", opt(hub::base_model_of(r))}};
    if (!first) out += ",\n";
    first = false;
    out += o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

}  // namespace hfrec

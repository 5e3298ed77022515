// Export: ranked lists as CSV (formula cells neutralised) or JSON, their file names, and a lasso
// selection as CSV (export.h).
#include "export.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>

namespace hfrec {

std::string csv_cell(std::string_view v) {
  bool quote = v.find_first_of(",\"\n\r") != std::string_view::npos;
  std::string o(v);
  // Spreadsheets run cells starting with these as formulas (or, after a TAB or CR, may).
  if (!o.empty() && (o[0] == '=' || o[0] == '+' || o[0] == '-' || o[0] == '@' || o[0] == '\t' || o[0] == '\r')) {
    o = "'" + o;
    quote = true;
  }
  if (!quote) return o;
  std::string q = "\"";
  for (char c : o) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string export_csv(const std::vector<ExportList>& lists) {
  std::string o = "list,rank,modelId,score,downloads,pipeline_tag,library_name,model_type,shared\n";
  for (const ExportList& l : lists)
    for (const ExportRow& r : l.rows) {
      char score[32];
      std::snprintf(score, sizeof score, "%.6f", r.score);
      o += csv_cell(l.method) + "," + std::to_string(r.rank) + "," + csv_cell(r.model_id) + "," + score + "," +
           std::to_string(r.downloads) + "," + csv_cell(r.task) + "," + csv_cell(r.library) + "," +
           csv_cell(r.model_type) + "," + csv_cell(r.shared) + "\n";
    }
  return o;
}

std::string export_selection_csv(const std::vector<ExportSelectionRow>& rows) {
  std::string o = "modelId,downloads,pipeline_tag,library_name,model_type,cluster,cluster_name\n";
  for (const ExportSelectionRow& r : rows)
    o += csv_cell(r.model_id) + "," + std::to_string(r.downloads) + "," + csv_cell(r.task) + "," + csv_cell(r.library) +
         "," + csv_cell(r.model_type) + "," + std::to_string(r.cluster) + "," + csv_cell(r.cluster_name) + "\n";
  return o;
}

nlohmann::json row_json(const ExportRow& r) {
  nlohmann::json o = {
      {"rank", r.rank}, {"modelId", r.model_id}, {"score", r.score},           {"downloads", r.downloads},
      {"task", r.task}, {"library", r.library},  {"model_type", r.model_type}, {"why", r.why}};
  if (r.lineage)
    o["lineage"] = {{"parent", r.lineage->parent.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.lineage->parent)},
                    {"children", r.lineage->children},
                    {"siblings", r.lineage->siblings}};
  return o;
}

std::string export_json(const ExportQuery& q, const std::vector<ExportList>& lists) {
  using nlohmann::json;
  json j;
  j["query"] = q.query;
  j["catalogue"] = q.catalogue;
  j["k"] = q.k;
  j["filters"] = {
      {"tasks", q.filters.tasks}, {"libraries", q.filters.libraries}, {"model_types", q.filters.model_types}};
  j["lists"] = json::array();
  for (const ExportList& l : lists) {
    json rows = json::array();
    for (const ExportRow& r : l.rows) {
      json o = row_json(r);
      o["pipeline_tag"] = r.task;
      o["library_name"] = r.library;
      o["shared"] = r.shared;
      rows.push_back(std::move(o));
    }
    j["lists"].push_back({{"method", l.method}, {"results", rows}});
  }
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string export_file_name(std::string_view query, std::string_view method, std::string_view compare,
                             ExportFormat format) {
  std::string stem;
  for (char c : query) stem += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  if (stem.empty()) stem = "hfrec";
  std::string name = stem + "-" + std::string(method);
  if (!compare.empty()) name += "-vs-" + std::string(compare);
  return name + (format == ExportFormat::csv ? ".csv" : ".json");
}

const char* export_mime(ExportFormat format) { return format == ExportFormat::csv ? "text/csv" : "application/json"; }

}  // namespace hfrec

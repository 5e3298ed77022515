// Export: a ranked list (or two, when comparing methods) as CSV or JSON for download, and the
// models a lasso selected on the map as CSV, with the CSV's text cells neutralised against
// spreadsheet formula injection.
#pragma once
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query.h"

namespace hfrec {

enum class ExportFormat { csv, json };

// A model's place in the catalogue's lineage (core/lineage.h).
struct ExportLineage {
  std::string parent;   // its (first) base model's id, "" when it names none
  size_t children = 0;  // models in the catalogue made from it
  size_t siblings = 0;  // other models sharing a base model with it
};

// One row of an exported list.
struct ExportRow {
  int rank = 0;
  std::string model_id;
  double score = 0;
  int64_t downloads = 0;
  std::string task, library, model_type;
  std::string shared;  // what explains the score, comma-separated
  std::string why;     // the same in words (core/why.h)
  // Set only when the catalogue has lineage: then row_json adds "lineage".
  std::optional<ExportLineage> lineage = std::nullopt;
};

// One ranked model as JSON: {rank, modelId, score, downloads, task, library, model_type, why}, and
// lineage {parent (null when none), children, siblings} when the row has it set.
// The one shape of a recommendation: the CLI, the app's state() and the JSON export all write it,
// each adding the keys it has always had (`shared` as the CLI's array or the app's text; the
// export's pipeline_tag and library_name; state()'s inBoth).
nlohmann::json row_json(const ExportRow& r);

// One method's ranked list.
struct ExportList {
  std::string method;
  std::vector<ExportRow> rows;
};

// What the lists answer (the JSON export's header).
struct ExportQuery {
  std::string query;      // the query model
  std::string catalogue;  // the catalogue's name
  int k = 10;
  Filters filters;
};

// CSV (RFC 4180): a header line, then one line per row of each list, the list's method first.
// - Numbers (rank, score with 6 decimals, downloads) are written as numbers; every text cell goes
//   through csv_cell.
std::string export_csv(const std::vector<ExportList>& lists);

// One model of the map's lasso selection (the table under the map).
struct ExportSelectionRow {
  std::string model_id;
  int64_t downloads = 0;
  std::string task, library, model_type;
  int cluster = 0;           // its cluster's label, -1 for noise
  std::string cluster_name;  // as the table shows it ("noise" for -1)
};

// CSV (RFC 4180) of a lasso selection, in the order given: the header
// "modelId,downloads,pipeline_tag,library_name,model_type,cluster,cluster_name", then one line a
// model; numbers as numbers, every text cell through csv_cell.
std::string export_selection_csv(const std::vector<ExportSelectionRow>& rows);

// JSON: {catalogue, filters, k, lists: [{method, results: [...]}], query}, indented by 2, with a
// final newline; invalid UTF-8 is replaced.
std::string export_json(const ExportQuery& query, const std::vector<ExportList>& lists);

// A text cell for CSV: a cell starting with = + - @ TAB or CR gets a leading apostrophe, so a
// spreadsheet shows it as text instead of running it as a formula (OWASP, "CSV Injection"); such a
// cell, and one holding a comma, quote or line break, is quoted with its quotes doubled.
std::string csv_cell(std::string_view v);

// "<query>-<method>[-vs-<compare>].csv|json", the query's characters other than letters, digits,
// '-' and '.' as '_' ("hfrec" for an empty query).
std::string export_file_name(std::string_view query, std::string_view method, std::string_view compare,
                             ExportFormat format);
// "text/csv" or "application/json".
const char* export_mime(ExportFormat format);

}  // namespace hfrec

// Writes models as a catalogue every hfrec command reads: the notebook's CSV columns plus
// base_model, or a Hub list-models JSON array. Text out only; files are the caller's.
#pragma once
#include <string>
#include <vector>

#include "catalogue.h"

namespace hfrec {

// The CSV header line: hub_columns() in order, then base_model.
std::string csv_header();
// One CSV line per record, quoted as RFC 4180 needs (lists as Python literals, as the notebook's
// pandas wrote them; a missing value or list is an empty cell). base_model: the card's base
// model(s), else the one the base_model tags name; one bare, several as a list literal.
void append_csv_rows(const std::vector<ModelRecord>& rows, std::string& out);

// One Hub list-models object per record, separated by ",\n" (no brackets: the caller opens the
// array with "[\n" and closes it with "\n]\n"). Every field is present, null when missing, so the
// JSON reader sees the same columns as the CSV; base_model goes in cardData (a string, or a list
// when there are several).
void append_json_rows(const std::vector<ModelRecord>& rows, std::string& out);

}  // namespace hfrec

// Share links and history: the view as a link (current_link), written into the URL
// (publish_url), and a link opened or restored by back/forward (apply_link).
#include "app/controller_impl.h"

namespace hfrec::app {

ShareLink Controller::Impl::current_link() const {
  ShareLink l;
  l.model = s.query;
  l.method = s.method;
  l.k = s.k;
  l.tasks = filters.tasks;
  l.libraries = filters.libraries;
  l.model_types = filters.model_types;
  l.compare = s.compare;
  l.view = view_name(s.view);
  clusters.to_link(l);
  map.to_link(l);
  l.extra = link_extra;
  if (s.has_catalogue) {
    l.source = s.catalogue.source;
    l.catalogue = s.catalogue.name;
    l.rows = s.catalogue.rows;
  }
  return l;
}

// Writes the view into the URL: a new history entry when push (and the view changed), else in
// place. The history holds the views visited, so Back undoes a method, k, filter or tab change
// as well as a model change.
void Controller::Impl::publish_url(bool push) {
  s.link_left_out.clear();
  const std::string hash = format_share_link(current_link(), &s.link_left_out);
  if (history_pos < 0) {
    history.assign(1, hash);
    history_pos = 0;
    push = false;
  } else if (push && history[history_pos] != hash) {
    history.resize(history_pos + 1);
    history.push_back(hash);
    history_pos = static_cast<int>(history.size()) - 1;
  } else {
    push = false;
    history[history_pos] = hash;
  }
  s.can_back = history_pos > 0;
  s.can_forward = history_pos + 1 < static_cast<int>(history.size());
  platform.set_url_hash(hash, push, history_pos);
}

std::string Controller::apply_link(std::string_view hash, int history_pos) {
  auto& d = *impl_;
  AppState& s = d.s;
  // A link's map is not laid out by itself when that would be long (as its clustering).
  d.clusters.hold_long_layouts(true);
  // A link's earlier complaints go when another link comes.
  if (d.link_error) s.error.clear();
  d.link_error = false;
  s.link_issues.clear();
  s.link_suggestion.clear();
  // Whole-link limits reject the link; a bad parameter is left out and named in the notice.
  auto parsed = parse_share_link_parts(hash, d.platform.page_origin());
  if (!parsed.ok()) {
    s.error = "This link cannot be opened: " + parsed.error();
    d.link_error = true;
    d.platform.state_changed();
    return fail(s.error);
  }
  // A refused catalogue source refuses the link: its model and filters belong to a catalogue this
  // page will not load, and such a link is more likely hostile than mistyped.
  for (const auto& p : parsed.value().problems)
    if (p.key == "src") {
      s.error = "This link cannot be opened: " + p.error;
      s.link_issues.push_back({p.key, p.value, p.reason});
      d.link_error = true;
      d.platform.state_changed();
      return fail(s.error);
    }
  const ShareLink& l = parsed.value().link;
  d.link_extra = l.extra;
  // The link as a view, applied through the one writer.
  ViewParams v = d.view_params();
  if (!l.method.empty()) parse_method(l.method, v.method);
  Method compare;
  if (!l.compare.empty() && parse_method(l.compare, compare)) v.compare = compare;
  else v.compare.reset();
  if (l.k) v.k = *l.k;
  if (!l.view.empty()) parse_view(l.view, v.view);
  v.filters = Filters{l.tasks, l.libraries, l.model_types};
  v.lasso = l.lasso;  // none in the link: none on the map
  s.notice.clear();
  if (s.has_catalogue && !l.catalogue.empty() &&
      (l.catalogue != s.catalogue.name || (l.rows && *l.rows != s.catalogue.rows))) {
    s.notice = "This link was made with catalogue '" + l.catalogue + "'" +
               (l.rows ? " (" + std::to_string(*l.rows) + " rows)" : "") + "; this page has '" + s.catalogue.name +
               "' (" + std::to_string(s.catalogue.rows) + " rows), so results may differ.";
  }
  auto add_notice = [&](const std::string& text) { s.notice += (s.notice.empty() ? "" : " ") + text; };
  // A cluster count above the catalogue's rows is named now, not when Run fails later.
  std::vector<LinkProblem> problems = parsed.value().problems;
  int cluster_k = l.cluster_k.value_or(0);  // 0: not in the link (ck is at least 1)
  if (d.index && cluster_k > 0 && static_cast<size_t>(cluster_k) > d.index->catalogue().size()) {
    const std::string rows = std::to_string(d.index->catalogue().size());
    problems.push_back({"ck", std::to_string(cluster_k), "is above the catalogue's " + rows + " rows",
                        "parameter 'ck': must be at most the catalogue's " + rows + " rows"});
    cluster_k = 0;
  }
  if (!problems.empty()) {
    std::string text = "This link's ";
    for (size_t i = 0; i < problems.size(); ++i) {
      text += (i ? "; " : "") + describe_link_problem(problems[i]);
      s.link_issues.push_back({problems[i].key, problems[i].value, problems[i].reason});
    }
    add_notice(text + "; kept the rest of the link.");
  }
  if (!l.algo.empty() || l.view == "clusters") {
    ClusterParams& p = v.cluster;
    if (!l.algo.empty()) p.algo = l.algo;
    if (!l.features.empty()) p.features = l.features;
    if (cluster_k > 0) p.k = cluster_k;
    if (l.eps) p.eps = *l.eps;
    if (l.min_samples) p.min_samples = *l.min_samples;
    if (l.seed) p.seed = *l.seed;
    p.cut = l.cut ? *l.cut : -1;
    v.map = MapView{l.cx.value_or(0.5), l.cy.value_or(0.5), l.zoom.value_or(1)};
    v.layout = l.layout.empty() ? "umap" : l.layout;  // a link without the key: the default
    v.map_features = l.map_features.empty() ? "clusters" : l.map_features;
    const bool same = s.clusters.has_result && s.clusters.params == p;
    v.run_cluster = !l.algo.empty() && d.index && !same && !d.held_back(p);
    v.focus = l.focus.value_or(kFocusNone);
  }
  json result = ok_json();
  if (history_pos >= 0 && history_pos < static_cast<int>(d.history.size())) d.history_pos = history_pos;
  if (!l.model.empty()) {
    const Catalogue* cat = d.index ? &d.index->catalogue() : nullptr;
    const Suggestion sug = cat ? suggest_model(*cat, l.model) : Suggestion{};
    // Quoted short and visibly as data, so a link cannot make the app "say" a sentence.
    const std::string not_in =
        "The link's model '" + excerpt(l.model, 60) + "' is not in catalogue '" + excerpt(s.catalogue.name, 60) + "'";
    if (sug.kind == SuggestKind::exact) {
      v.query = l.model;
    } else if (sug.kind == SuggestKind::case_only) {
      // The same id in other letter case: use it, and say so.
      v.query = cat->id(sug.row);
      add_notice(not_in + "; opened '" + v.query + "', the same id in other letter case.");
      s.link_issues.push_back({"model", l.model, "is not in the catalogue; opened '" + v.query + "'"});
    } else {
      s.error = not_in;
      if (sug.kind != SuggestKind::none) {
        s.link_suggestion = cat->id(sug.row);
        s.error += "; did you mean '" + s.link_suggestion + "'?";
      }
      d.link_error = true;
      s.link_issues.push_back({"model", l.model, "is not in the catalogue"});
      result = {{"ok", false}, {"error", s.error}};
    }
  } else {
    v.query.clear();
  }
  // A clustering the link asks for that cannot start leaves the rest of the link applied.
  if (!d.apply_view(v).ok()) {
    v.run_cluster = false;
    d.apply_view(v);
  }
  if (history_pos < 0) d.publish_url(false);
  json issues = json::array();
  for (const auto& i : s.link_issues) issues.push_back({{"key", i.key}, {"value", i.value}, {"reason", i.reason}});
  result["problems"] = issues;
  result["suggestion"] = s.link_suggestion;
  return dump(result);
}

std::string Controller::share_link() const { return format_share_link(impl_->current_link()); }

}  // namespace hfrec::app

// Clustering of a catalogue: a request becomes a ClusterJob (k-means, Ward or DBSCAN on a feature
// space, then labels per row, names, metrics and the map) or an ElbowJob, run in slices (clustering.h).
//
// Index of this file:
// [SECTION] Names of algorithms and feature spaces
// [SECTION] The rows to cluster, labels and metrics
// [SECTION] ClusterJob: one clustering in slices; cluster() and recut_ward()
// [SECTION] ElbowJob: k-means for a range of k
#include "clustering.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

namespace hfrec {

//-----------------------------------------------------------------------------
// [SECTION] Names of algorithms and feature spaces
//-----------------------------------------------------------------------------

const char* algo_name(ClusterAlgo a) {
  switch (a) {
    case ClusterAlgo::kmeans: return "kmeans";
    case ClusterAlgo::ward: return "ward";
    case ClusterAlgo::dbscan: return "dbscan";
  }
  return "?";
}
const char* feature_space_name(FeatureSpace f) {
  switch (f) {
    case FeatureSpace::attributes: return "attributes";
    case FeatureSpace::soup: return "soup";
    case FeatureSpace::tfidf: return "tfidf";
  }
  return "?";
}
const char* dbscan_metric_name(DbscanMetric m) { return m == DbscanMetric::cosine ? "cosine" : "euclidean"; }

bool parse_algo(std::string_view s, ClusterAlgo& out) {
  for (ClusterAlgo a : {ClusterAlgo::kmeans, ClusterAlgo::ward, ClusterAlgo::dbscan})
    if (s == algo_name(a)) return out = a, true;
  return false;
}
bool parse_feature_space(std::string_view s, FeatureSpace& out) {
  for (FeatureSpace f : {FeatureSpace::attributes, FeatureSpace::soup, FeatureSpace::tfidf})
    if (s == feature_space_name(f)) return out = f, true;
  return false;
}
bool parse_dbscan_metric(std::string_view s, DbscanMetric& out) {
  for (DbscanMetric m : {DbscanMetric::cosine, DbscanMetric::euclidean})
    if (s == dbscan_metric_name(m)) return out = m, true;
  return false;
}

namespace {

//-----------------------------------------------------------------------------
// [SECTION] The rows to cluster, labels and metrics
//-----------------------------------------------------------------------------

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Clock = std::chrono::steady_clock;

// The rows to cluster: distinct feature rows of the chosen space, their weights and column names.
struct Space {
  const Groups* groups = nullptr;
  CsrMatrix own;                    // tf-idf rows (the other spaces use the index's matrices)
  const CsrMatrix* rows = nullptr;  // null: `own`
  std::vector<double> weights;
  const CsrMatrix& matrix() const { return rows ? *rows : own; }
  std::vector<std::string> names;
};

Space make_space(const Index& idx, FeatureSpace f) {
  Space s;
  if (f == FeatureSpace::attributes) {
    const AttributeSpace& a = idx.attributes();
    s.groups = &a.groups;
    s.rows = &a.groups.rows;
    for (size_t c = 0; c < a.values.size(); ++c) {
      // Architectures categories keep the notebook's quotes ("'BertForMaskedLM'"); show them bare.
      // A missing architectures cell is the category "nan" in the notebook.
      const std::string& v = a.values[c];
      std::string t = v;
      t.erase(std::remove(t.begin(), t.end(), '\''), t.end());
      s.names.push_back(a.field[c] == 1 && v == "nan" ? "(no architectures)" : t.empty() ? v : t);
    }
  } else {
    const SoupSpace& sp = idx.soup();
    s.groups = &sp.groups;
    s.names = sp.terms;
    if (f == FeatureSpace::soup) {
      s.rows = &sp.groups.rows;
    } else {  // TfidfVectorizer: count · idf, each row l2-normalised
      const CsrMatrix& c = sp.groups.rows;
      s.own = c;
      s.own.values.resize(c.nnz());
      for (size_t r = 0; r < c.rows(); ++r) {
        double sq = 0;
        for (uint64_t q = c.indptr[r]; q < c.indptr[r + 1]; ++q) {
          const double v = double(c.value(q)) * sp.idf[c.indices[q]];
          sq += v * v;
        }
        const double inv = sq > 0 ? 1.0 / std::sqrt(sq) : 0.0;
        for (uint64_t q = c.indptr[r]; q < c.indptr[r + 1]; ++q)
          s.own.values[q] = static_cast<float>(double(c.value(q)) * sp.idf[c.indices[q]] * inv);
      }
    }
  }
  s.weights.resize(s.groups->size());
  for (uint32_t g = 0; g < s.groups->size(); ++g) s.weights[g] = s.groups->weight(g);
  return s;
}

std::vector<int32_t> rows_from_groups(const Groups& g, const std::vector<int32_t>& group_labels) {
  std::vector<int32_t> out(g.group_of.size());
  for (size_t r = 0; r < out.size(); ++r) out[r] = group_labels[g.group_of[r]];
  return out;
}

// Renumbers clusters by size (largest first), ties by first row; returns the sizes.
std::vector<uint32_t> normalize(std::vector<int32_t>& labels) {
  std::vector<uint32_t> size;
  std::vector<uint32_t> first;
  for (uint32_t r = 0; r < labels.size(); ++r) {
    const int32_t l = labels[r];
    if (l == kNoise) continue;
    if (size_t(l) >= size.size()) {
      size.resize(size_t(l) + 1, 0);
      first.resize(size_t(l) + 1, std::numeric_limits<uint32_t>::max());
    }
    ++size[l];
    first[l] = std::min(first[l], r);
  }
  std::vector<int32_t> order;
  for (size_t l = 0; l < size.size(); ++l)
    if (size[l]) order.push_back(static_cast<int32_t>(l));
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    if (size[a] != size[b]) return size[a] > size[b];
    return first[a] < first[b];
  });
  std::vector<int32_t> ren(size.size(), kNoise);
  std::vector<uint32_t> sizes;
  for (size_t i = 0; i < order.size(); ++i) {
    ren[order[i]] = static_cast<int32_t>(i);
    sizes.push_back(size[order[i]]);
  }
  for (auto& l : labels)
    if (l != kNoise) l = ren[l];
  return sizes;
}

std::string validate(const Index& idx, const ClusterRequest& r) {
  const size_t n = idx.catalogue().size();
  if (n == 0) return "the catalogue has no rows";
  if ((r.algo == ClusterAlgo::kmeans || (r.algo == ClusterAlgo::ward && r.ward_height < 0)) &&
      (r.k < 1 || size_t(r.k) > n))
    return "k must be from 1 to " + std::to_string(n) + " (the number of rows), got " + std::to_string(r.k);
  if (r.algo == ClusterAlgo::dbscan && !(r.eps > 0 && std::isfinite(r.eps)))
    return "eps must be a positive number, got " + std::to_string(r.eps);
  if (r.algo == ClusterAlgo::dbscan && r.min_samples < 1)
    return "min_samples must be at least 1, got " + std::to_string(r.min_samples);
  if (r.algo == ClusterAlgo::kmeans && r.restarts < 1)
    return "restarts must be at least 1, got " + std::to_string(r.restarts);
  return "";
}

// Metrics of a labelling but the silhouette and Davies-Bouldin, whose run (O(k²) at large k) it
// returns set up.
std::unique_ptr<DaviesBouldinRun> linear_metrics(const Space& s, const std::vector<int32_t>& labels, ClusterMetrics& m,
                                                 bool with_inertia) {
  LabelledPoints pts = labelled_points(*s.groups, s.matrix(), labels);
  if (with_inertia) m.inertia = within_ss(pts);
  m.calinski_harabasz = calinski_harabasz(pts);
  m.noise = static_cast<size_t>(std::count(labels.begin(), labels.end(), kNoise));
  return std::make_unique<DaviesBouldinRun>(pts);
}

// Metrics of a labelling without the silhouette.
void quick_metrics(const Space& s, const std::vector<int32_t>& labels, ClusterMetrics& m, bool with_inertia) {
  std::unique_ptr<DaviesBouldinRun> db = linear_metrics(s, labels, m, with_inertia);
  run_to_end(*db);
  m.davies_bouldin = db->value();
}

LabelledPoints silhouette_points(const Space& s, const std::vector<int32_t>& labels, size_t sample, uint64_t seed,
                                 size_t& rows_used) {
  if (sample > 0 && sample < labels.size()) {
    std::vector<uint32_t> sub = sample_rows(labels.size(), sample, seed);
    rows_used = 0;
    for (uint32_t r : sub) rows_used += labels[r] != kNoise;
    return labelled_points(*s.groups, s.matrix(), labels, &sub);
  }
  rows_used = labels.size() - static_cast<size_t>(std::count(labels.begin(), labels.end(), kNoise));
  return labelled_points(*s.groups, s.matrix(), labels);
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] ClusterJob: one clustering in slices; cluster() and recut_ward()
//-----------------------------------------------------------------------------

struct ClusterJob::Impl {
  const Index& idx;
  ClusterRequest req;
  Space space;
  enum class Phase { algo, labels, metrics, davies_bouldin, silhouette, names, map, done } phase = Phase::algo;
  std::unique_ptr<KMeansRun> km;
  std::unique_ptr<WardRun> wr;
  std::unique_ptr<DbscanRun> db;
  std::unique_ptr<DaviesBouldinRun> dbi;
  LabelledPoints sil_pts;
  std::unique_ptr<SilhouetteRun> sil;
  std::unique_ptr<ProjectionRun> proj;
  ClusterResult res;
  bool taken = false;

  Impl(const Index& index, const ClusterRequest& r) : idx(index), req(r), space(make_space(index, r.features)) {
    res.request = r;
    res.metrics.silhouette = res.metrics.davies_bouldin = res.metrics.calinski_harabasz = kNaN;
    switch (r.algo) {
      case ClusterAlgo::kmeans:
        km = std::make_unique<KMeansRun>(space.matrix(), space.weights,
                                         KMeansParams{.k = r.k, .restarts = r.restarts, .seed = r.seed});
        break;
      case ClusterAlgo::ward: wr = std::make_unique<WardRun>(space.matrix(), space.weights); break;
      case ClusterAlgo::dbscan:
        db = std::make_unique<DbscanRun>(space.matrix(), space.weights,
                                         DbscanParams{.eps = r.eps, .min_samples = r.min_samples, .metric = r.metric});
        break;
    }
  }

  // One unit per catalogue row for a phase that cannot stop part-way (see ClusterJob).
  void charge_rows(const SliceTimer& t) const { t.charge(idx.catalogue().size()); }

  void labels_ready(std::vector<int32_t> labels, const SliceTimer& t) {
    charge_rows(t);
    res.sizes = normalize(labels);
    res.labels = std::move(labels);
    phase = req.metrics ? Phase::metrics : Phase::names;
  }

  bool step(const SliceTimer& t) {
    while (phase != Phase::done) {
      switch (phase) {
        case Phase::algo:
          if (!(km ? km->step(t) : wr ? wr->step(t) : db->step(t))) return false;
          phase = Phase::labels;  // in a piece of its own, after the deadline check below
          break;
        case Phase::labels:
          if (km) {
            KMeansResult r = km->take();
            res.metrics.inertia = r.inertia;
            labels_ready(rows_from_groups(*space.groups, std::vector<int32_t>(r.labels.begin(), r.labels.end())), t);
          } else if (wr) {
            res.dendrogram = expand_groups(wr->take(), *space.groups);
            labels_ready(req.ward_height >= 0 ? cut_by_height(res.dendrogram, req.ward_height)
                                              : cut_by_k(res.dendrogram, size_t(req.k)),
                         t);
          } else {
            labels_ready(rows_from_groups(*space.groups, db->labels()), t);
          }
          break;
        case Phase::metrics:
          charge_rows(t);
          dbi = linear_metrics(space, res.labels, res.metrics, req.algo != ClusterAlgo::kmeans);
          phase = Phase::davies_bouldin;
          break;
        case Phase::davies_bouldin:
          if (!dbi->step(t)) return false;
          res.metrics.davies_bouldin = dbi->value();
          dbi.reset();
          phase = Phase::silhouette;  // its set-up runs in the next slice
          break;
        case Phase::silhouette:
          if (!sil) {
            charge_rows(t);
            sil_pts =
                silhouette_points(space, res.labels, req.silhouette_sample, req.seed, res.metrics.silhouette_rows);
            sil = std::make_unique<SilhouetteRun>(sil_pts);
            if (t.expired()) return false;
          }
          if (!sil->step(t)) return false;
          res.metrics.silhouette = sil->value();
          sil.reset();
          sil_pts = LabelledPoints{};
          phase = Phase::names;
          break;
        case Phase::names:
          charge_rows(t);
          res.clusters = describe_clusters(idx.catalogue(), *space.groups, space.matrix(), space.names, res.labels,
                                           static_cast<int>(res.sizes.size()));
          if (req.projection) {
            phase = Phase::map;  // its set-up runs in the next slice
          } else {
            phase = Phase::done;
          }
          break;
        case Phase::map:
          if (!proj) {
            proj = std::make_unique<ProjectionRun>(*space.groups, space.matrix(), ProjectionParams{.seed = req.seed});
            charge_rows(t);
            if (t.expired()) return false;
          }
          if (!proj->step(t)) return false;
          res.map = proj->take();
          proj.reset();
          phase = Phase::done;
          break;
        case Phase::done: break;
      }
      // The metrics and names phases and the silhouette's and map's set-ups cannot stop part-way (a
      // few ms each at 10k): each starts in a slice of its own rather than after what the last
      // phase left of one.
      if (t.expired() || phase == Phase::metrics || phase == Phase::names || phase == Phase::map ||
          (phase == Phase::silhouette && !sil))
        break;
    }
    return phase == Phase::done;
  }

  double progress() const {
    // Rough shares: the algorithm 60%, Davies-Bouldin 5%, silhouette 20%, names and map 15%.
    switch (phase) {
      case Phase::algo: return 0.6 * (km ? km->progress() : wr ? wr->progress() : db->progress());
      case Phase::labels:
      case Phase::metrics: return 0.6;
      case Phase::davies_bouldin: return 0.6 + 0.05 * dbi->progress();
      case Phase::silhouette: return 0.65 + 0.2 * (sil ? sil->progress() : 0.0);
      case Phase::names: return 0.85;
      case Phase::map: return 0.87 + (proj ? 0.13 * proj->progress() : 0.0);
      case Phase::done: return 1.0;
    }
    return 1.0;
  }

  std::string stage() const {
    switch (phase) {
      case Phase::algo:
      case Phase::labels:
        if (km) return km->stage();
        if (wr) return "Ward merges";
        return "DBSCAN neighbourhoods";
      case Phase::metrics:
      case Phase::davies_bouldin: return "quality metrics";
      case Phase::silhouette: return "silhouette";
      case Phase::names: return "naming clusters";
      case Phase::map: return "2-D map";
      case Phase::done: return "done";
    }
    return "";
  }
};

ClusterJob::ClusterJob(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClusterJob::~ClusterJob() = default;

bool ClusterJob::step(const SliceTimer& timer) {
  if (cancelled_) return true;
  const auto t0 = Clock::now();
  const bool done = impl_->step(timer);
  impl_->res.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
  return done;
}
double ClusterJob::progress() const { return impl_->progress(); }
std::string ClusterJob::stage() const { return cancelled_ ? "cancelled" : impl_->stage(); }

Result<ClusterResult> ClusterJob::take() {
  if (cancelled_) return Error{"clustering cancelled"};
  if (impl_->phase != Impl::Phase::done) return Error{"clustering not finished: call step() until it returns true"};
  if (impl_->taken) return Error{"clustering result already taken"};
  impl_->taken = true;
  return std::move(impl_->res);
}

double estimate_cluster_seconds(const Index& index, const ClusterRequest& r) {
  const Groups& g = r.features == FeatureSpace::attributes ? index.attributes().groups : index.soup().groups;
  const double n = static_cast<double>(g.size());
  if (n == 0) return 0;
  const double ops = static_cast<double>(g.rows.nnz()) / n + 4;  // per distance
  const double d = g.rows.n_cols;
  double seconds = 0;
  switch (r.algo) {
    case ClusterAlgo::kmeans: {
      const double k = std::clamp(static_cast<double>(r.k), 1.0, n);
      seconds = std::max(1, r.restarts) * n * k * (8 + std::log(k)) * ops * 5.2e-9 + k * k * d * 1.1e-8;
      break;
    }
    case ClusterAlgo::ward: {
      seconds = n * n * ops * 3.0e-9;
      // Davies-Bouldin on the cut: k² centroid distances (0.6 s at k = 9000 on the 10k catalogue).
      // k-means' k²·d term above covers its own.
      const double k = std::clamp(static_cast<double>(r.k), 1.0, static_cast<double>(index.catalogue().size()));
      if (r.metrics) seconds += k * k * 7e-9;
      break;
    }
    case ClusterAlgo::dbscan: seconds = n * n * ops * 3.0e-9; break;  // its cluster count is not known up front
  }
  if (r.metrics) {
    const double m = r.silhouette_sample ? std::min(n, static_cast<double>(r.silhouette_sample)) : n;
    seconds += m * m * ops * 0.7e-9;
  }
  return seconds;
}

Result<std::unique_ptr<ClusterJob>> start_cluster(const Index& index, const ClusterRequest& request) {
  const std::string err = validate(index, request);
  if (!err.empty()) return Error{err};
  return std::unique_ptr<ClusterJob>(new ClusterJob(std::make_unique<ClusterJob::Impl>(index, request)));
}

Result<ClusterResult> cluster(const Index& index, const ClusterRequest& request) {
  auto job = start_cluster(index, request);
  if (!job) return Error{job.error()};
  run_to_end(*job.value());
  return job.value()->take();
}

Result<ClusterResult> recut_ward(const Index& index, const ClusterResult& ward, int k, double height) {
  if (ward.request.algo != ClusterAlgo::ward || ward.dendrogram.n_leaves != index.catalogue().size())
    return Error{"recut_ward needs a Ward result of this catalogue"};
  if (height < 0 && (k < 1 || size_t(k) > index.catalogue().size()))
    return Error{"k must be from 1 to " + std::to_string(index.catalogue().size()) + " (the number of rows), got " +
                 std::to_string(k)};
  ClusterResult out;
  out.request = ward.request;
  out.request.k = k;
  out.request.ward_height = height;
  out.dendrogram = ward.dendrogram;
  out.map = ward.map;
  Space space = make_space(index, ward.request.features);
  std::vector<int32_t> labels =
      height >= 0 ? cut_by_height(ward.dendrogram, height) : cut_by_k(ward.dendrogram, size_t(k));
  out.sizes = normalize(labels);
  out.labels = std::move(labels);
  out.metrics.silhouette = out.metrics.davies_bouldin = out.metrics.calinski_harabasz = kNaN;
  if (out.request.metrics) {
    quick_metrics(space, out.labels, out.metrics, true);
    LabelledPoints pts = silhouette_points(space, out.labels, out.request.silhouette_sample, out.request.seed,
                                           out.metrics.silhouette_rows);
    out.metrics.silhouette = silhouette(pts);
  }
  out.clusters = describe_clusters(index.catalogue(), *space.groups, space.matrix(), space.names, out.labels,
                                   static_cast<int>(out.sizes.size()));
  return out;
}

//-----------------------------------------------------------------------------
// [SECTION] ElbowJob: k-means for a range of k
//-----------------------------------------------------------------------------

struct ElbowJob::Impl {
  const Index& idx;
  ElbowRequest req;
  Space space;
  int k;
  std::unique_ptr<KMeansRun> km;
  std::unique_ptr<DaviesBouldinRun> dbi;
  LabelledPoints sil_pts;
  std::unique_ptr<SilhouetteRun> sil;
  ElbowRow row;
  std::vector<ElbowRow> rows;

  Impl(const Index& index, const ElbowRequest& r)
      : idx(index), req(r), space(make_space(index, r.features)), k(r.k_min) {
    start_k();
  }
  void start_k() {
    km = std::make_unique<KMeansRun>(space.matrix(), space.weights,
                                     KMeansParams{.k = k, .restarts = req.restarts, .seed = req.seed});
  }
  bool done() const { return k > req.k_max; }
  std::optional<KMeansResult> finished;  // the k-means just done, until its labels are
  std::vector<int32_t> labels;           // of the finished k-means, until its metrics are done
  bool step(const SliceTimer& t) {
    while (!done()) {
      if (km) {
        if (!km->step(t)) return false;
        finished = km->take();
        km.reset();
      } else if (finished) {
        t.charge(idx.catalogue().size());  // one unit per row: this phase cannot stop part-way
        labels =
            rows_from_groups(*space.groups, std::vector<int32_t>(finished->labels.begin(), finished->labels.end()));
        row = ElbowRow{k, finished->inertia, kNaN, kNaN, kNaN};
        finished.reset();
      } else if (!sil) {
        t.charge(idx.catalogue().size());  // one unit per row: this phase cannot stop part-way
        ClusterMetrics m;
        quick_metrics(space, labels, m, false);
        row.davies_bouldin = m.davies_bouldin;
        row.calinski_harabasz = m.calinski_harabasz;
        size_t used = 0;
        sil_pts = silhouette_points(space, labels, req.silhouette_sample, req.seed, used);
        sil = std::make_unique<SilhouetteRun>(sil_pts);
      } else {
        if (!sil->step(t)) return false;
        row.silhouette = sil->value();
        sil.reset();
        rows.push_back(row);
        if (++k <= req.k_max) start_k();
      }
      if (t.expired()) break;
    }
    return done();
  }
  double progress() const {
    const double span = req.k_max - req.k_min + 1;
    if (done()) return 1.0;
    const double within = km ? 0.5 * km->progress() : sil ? 0.5 + 0.5 * sil->progress() : 0.5;
    return (k - req.k_min + within) / span;
  }
};

ElbowJob::ElbowJob(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ElbowJob::~ElbowJob() = default;
bool ElbowJob::step(const SliceTimer& timer) { return cancelled_ || impl_->step(timer); }
double ElbowJob::progress() const { return impl_->progress(); }
std::string ElbowJob::stage() const {
  if (cancelled_) return "cancelled";
  if (impl_->done()) return "done";
  return "k = " + std::to_string(impl_->k) +
         (impl_->km    ? ": " + impl_->km->stage()
          : impl_->sil ? ": silhouette"
                       : ": metrics");
}
const std::vector<ElbowRow>& ElbowJob::rows() const { return impl_->rows; }
Result<std::vector<ElbowRow>> ElbowJob::take() {
  if (cancelled_) return Error{"elbow cancelled"};
  if (!impl_->done()) return Error{"elbow not finished: call step() until it returns true"};
  return std::move(impl_->rows);
}

Result<std::unique_ptr<ElbowJob>> start_elbow(const Index& index, const ElbowRequest& r) {
  const size_t n = index.catalogue().size();
  if (n == 0) return Error{"the catalogue has no rows"};
  if (r.k_min < 1 || r.k_max < r.k_min || size_t(r.k_max) > n)
    return Error{"k range must satisfy 1 <= k-min <= k-max <= " + std::to_string(n) + " (the number of rows), got " +
                 std::to_string(r.k_min) + ".." + std::to_string(r.k_max)};
  if (r.restarts < 1) return Error{"restarts must be at least 1, got " + std::to_string(r.restarts)};
  return std::unique_ptr<ElbowJob>(new ElbowJob(std::make_unique<ElbowJob::Impl>(index, r)));
}

Result<std::vector<ElbowRow>> elbow(const Index& index, const ElbowRequest& request) {
  auto job = start_elbow(index, request);
  if (!job) return Error{job.error()};
  run_to_end(*job.value());
  return job.value()->take();
}

}  // namespace hfrec

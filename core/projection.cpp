// Projection: PCA of a feature space by randomized SVD on the implicitly centred sparse rows, in
// slices, giving each catalogue row a point on the 2-D map (projection.h).
#include "projection.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cassert>
#include <cmath>

#include "kmeans.h"

namespace hfrec {

using Mat = Eigen::MatrixXd;

struct ProjectionRun::Impl {
  const Groups& g;
  const CsrMatrix& m;
  ProjectionParams p;
  size_t G, d;
  int l;
  std::vector<double> sw;  // sqrt(weight)
  Eigen::VectorXd mu;      // weighted column mean
  Mat Y;                   // G × l
  int stage = 0;           // 0: A·Ω, 1..2q: power iterations (alternating), then finish
  bool finished = false;
  Projection out;

  Impl(const Groups& groups, const CsrMatrix& rows, const ProjectionParams& params)
      : g(groups), m(rows), p(params), G(rows.rows()), d(rows.n_cols) {
    l = static_cast<int>(std::min<size_t>(size_t(2 + std::max(0, p.oversample)), std::max<size_t>(1, std::min(G, d))));
    sw.resize(G);
    mu = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(d));
    double wsum = 0;
    for (size_t i = 0; i < G; ++i) {
      const double w = g.weight(static_cast<uint32_t>(i));
      sw[i] = std::sqrt(w);
      wsum += w;
      for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) mu[m.indices[q]] += w * m.value(q);
    }
    if (wsum > 0) mu /= wsum;
    if (G == 0 || d == 0) finished = true;
  }

  // A·B for the centred weighted matrix A = diag(sqrt w)(X - 1 muᵀ): (G × d)(d × c).
  Mat times(const Mat& B) const {
    Mat out(static_cast<Eigen::Index>(G), B.cols());
    const Eigen::RowVectorXd muB = mu.transpose() * B;
    for (size_t i = 0; i < G; ++i) {
      Eigen::RowVectorXd r = -muB;
      for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) r += double(m.value(q)) * B.row(m.indices[q]);
      out.row(static_cast<Eigen::Index>(i)) = sw[i] * r;
    }
    return out;
  }
  // Aᵀ·C: (d × G)(G × c).
  Mat times_t(const Mat& C) const {
    Mat out = Mat::Zero(static_cast<Eigen::Index>(d), C.cols());
    Eigen::RowVectorXd colsum = Eigen::RowVectorXd::Zero(C.cols());
    for (size_t i = 0; i < G; ++i) {
      const Eigen::RowVectorXd ci = sw[i] * C.row(static_cast<Eigen::Index>(i));
      colsum += ci;
      for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) out.row(m.indices[q]) += double(m.value(q)) * ci;
    }
    out -= mu * colsum;
    return out;
  }
  static Mat orth(const Mat& M) {
    Eigen::HouseholderQR<Mat> qr(M);
    return qr.householderQ() * Mat::Identity(M.rows(), std::min(M.rows(), M.cols()));
  }

  void unit() {
    if (stage == 0) {
      ClusterRng rng(p.seed);
      Mat omega(static_cast<Eigen::Index>(d), l);
      for (Eigen::Index j = 0; j < omega.cols(); ++j)
        for (Eigen::Index i = 0; i < omega.rows(); ++i) omega(i, j) = (rng.next() >> 63) ? 1.0 : -1.0;
      Y = times(omega);
    } else if (stage <= p.power_iters) {
      Y = times(orth(times_t(orth(Y))));
    } else {
      finish();
      finished = true;
      return;
    }
    ++stage;
  }

  void finish() {
    const Mat Q = orth(Y);      // G × l
    const Mat Bt = times_t(Q);  // d × l  (B = Qᵀ A)
    Eigen::JacobiSVD<Mat> svd(Bt, Eigen::ComputeThinU | Eigen::ComputeThinV);
    Mat V = svd.matrixU();  // d × l: right singular vectors of A
    const Eigen::VectorXd s = svd.singularValues();
    const int comps = static_cast<int>(std::min<Eigen::Index>(2, V.cols()));
    double wsum = 0;
    for (size_t i = 0; i < G; ++i) wsum += sw[i] * sw[i];
    for (int c = 0; c < comps; ++c) {
      // Fixed sign: the largest absolute loading is positive (first of equals).
      Eigen::Index arg = 0;
      for (Eigen::Index j = 1; j < V.rows(); ++j)
        if (std::abs(V(j, c)) > std::abs(V(arg, c))) arg = j;
      if (V(arg, c) < 0) V.col(c) *= -1.0;
      out.variance[c] = s[c] * s[c] / std::max(1.0, wsum - 1);
    }
    double total = 0;
    for (size_t i = 0; i < G; ++i) {
      double r = 0;
      for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) r += double(m.value(q)) * m.value(q);
      total += sw[i] * sw[i] * r;
    }
    out.total_variance = (total - wsum * mu.squaredNorm()) / std::max(1.0, wsum - 1);
    // Coordinates of each group: (x - mu)·v.
    out.group_xy.assign(2 * G, 0.0f);
    Eigen::VectorXd muv = Eigen::VectorXd::Zero(2);
    for (int c = 0; c < comps; ++c) muv[c] = mu.dot(V.col(c));
    float lo[2] = {0, 0}, hi[2] = {0, 0};
    for (size_t i = 0; i < G; ++i)
      for (int c = 0; c < comps; ++c) {
        double v = -muv[c];
        for (uint64_t q = m.indptr[i]; q < m.indptr[i + 1]; ++q) v += double(m.value(q)) * V(m.indices[q], c);
        out.group_xy[2 * i + c] = static_cast<float>(v);
        lo[c] = i ? std::min(lo[c], float(v)) : float(v);
        hi[c] = i ? std::max(hi[c], float(v)) : float(v);
      }
    // Identical rows: a sunflower disc around the shared point, first member (most downloaded)
    // at the centre, spacing a fraction of the map's extent.
    const double extent = std::max({double(hi[0] - lo[0]), double(hi[1] - lo[1]), 1e-9});
    const double step = p.ring_step * extent;
    const double golden = 2.399963229728653;  // pi (3 - sqrt 5)
    out.xy.assign(2 * g.group_of.size(), 0.0f);
    for (size_t i = 0; i < G; ++i) {
      const uint32_t* mem = g.members.data() + g.member_ptr[i];
      for (uint32_t j = 0; j < g.weight(static_cast<uint32_t>(i)); ++j) {
        const double r = step * std::sqrt(double(j)), a = golden * j;
        out.xy[2 * mem[j]] = static_cast<float>(out.group_xy[2 * i] + r * std::cos(a));
        out.xy[2 * mem[j] + 1] = static_cast<float>(out.group_xy[2 * i + 1] + r * std::sin(a));
      }
    }
  }
};

ProjectionRun::ProjectionRun(const Groups& groups, const CsrMatrix& rows, const ProjectionParams& params)
    : impl_(std::make_unique<Impl>(groups, rows, params)) {}
ProjectionRun::~ProjectionRun() = default;

bool ProjectionRun::step(const SliceTimer& timer) {
  while (!impl_->finished) {
    timer.charge(impl_->g.group_of.size());  // one pass over the points, the last over every row
    impl_->unit();
    if (timer.expired()) break;
  }
  return impl_->finished;
}
bool ProjectionRun::done() const { return impl_->finished; }
double ProjectionRun::progress() const {
  return impl_->finished ? 1.0 : double(impl_->stage) / double(impl_->p.power_iters + 2);
}
Projection ProjectionRun::take() { return std::move(impl_->out); }

Projection project(const Groups& groups, const CsrMatrix& rows, const ProjectionParams& params) {
  ProjectionRun run(groups, rows, params);
  run_to_end(run);
  return run.take();
}

}  // namespace hfrec

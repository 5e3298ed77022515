// IndexBuilder: tie order, attribute space and soup space built one after another in slices,
// then handed over as IndexParts or an Index (index_builder.h).
#include "index_builder.h"

#include <algorithm>
#include <utility>

namespace hfrec {

struct IndexBuilder::Impl {
  enum Stage { kTieOrder, kAttributes, kSoup, kDone, kTaken };
  Catalogue cat;
  std::vector<uint32_t> order;
  AttributeSpace attr;
  SoupSpace soup;
  int stage = kTieOrder;
  bool soup_later = false;
  std::unique_ptr<TieOrderBuilder> tie;
  std::unique_ptr<AttributeBuilder> attr_builder;
  std::unique_ptr<SoupBuilder> soup_builder;

  Impl(Catalogue c, bool later) : cat(std::move(c)), soup_later(later), tie(std::make_unique<TieOrderBuilder>(cat)) {}

  bool step(const SliceTimer& timer) {
    while (stage < kDone) {
      switch (stage) {
        case kTieOrder:
          if (!tie->step(timer)) return false;
          order = tie->take();
          tie.reset();
          attr_builder = std::make_unique<AttributeBuilder>(cat, order);
          break;
        case kAttributes:
          if (!attr_builder->step(timer)) return false;
          attr = attr_builder->take();
          attr_builder.reset();
          if (soup_later) {
            stage = kDone;
            return true;
          }
          soup_builder = std::make_unique<SoupBuilder>(cat, order);
          break;
        case kSoup:
          if (!soup_builder->step(timer)) return false;
          soup = soup_builder->take();
          soup_builder.reset();
          break;
        default: break;
      }
      ++stage;
      if (timer.expired()) return stage >= kDone;
    }
    return true;
  }

  double progress() const {
    // Shares of the native time on a million generated rows (tie order ~20%, attributes ~5%).
    static constexpr double w[3] = {0.20, 0.05, 0.75};
    const double total = soup_later ? w[0] + w[1] : 1.0;
    double done = 0;
    for (int s = 0; s < std::min<int>(stage, 3); ++s) done += w[s];
    switch (stage) {
      case kTieOrder: return (done + w[0] * tie->progress()) / total;
      case kAttributes: return (done + w[1] * attr_builder->progress()) / total;
      case kSoup: return done + w[2] * soup_builder->progress();
      default: return 1.0;
    }
  }

  std::string stage_name() const {
    switch (stage) {
      case kTieOrder: return "sorting models by downloads";
      case kAttributes: return attr_builder->stage();
      case kSoup: return soup_builder->stage();
      default: return "ready";
    }
  }
};

IndexBuilder::IndexBuilder(Catalogue cat, SoupWhen soup)
    : impl_(std::make_unique<Impl>(std::move(cat), soup == SoupWhen::later)) {}
IndexBuilder::~IndexBuilder() = default;

bool IndexBuilder::step(const SliceTimer& timer) {
  if (cancelled_) {
    impl_.reset();  // frees the catalogue and the partial spaces now
    return true;
  }
  if (!impl_ || impl_->stage >= Impl::kDone) return true;
  return impl_->step(timer);
}

double IndexBuilder::progress() const {
  shown_ = std::max(shown_, impl_ ? impl_->progress() : 1.0);
  return shown_;
}

std::string IndexBuilder::stage() const {
  if (cancelled_) return "cancelled";
  if (!impl_) return "done";
  return impl_->stage_name();
}

Result<IndexParts> IndexBuilder::take_parts() {
  if (cancelled_) return Error{"indexing was cancelled"};
  if (!impl_ || impl_->stage == Impl::kTaken) return Error{"the index was already taken"};
  if (impl_->stage != Impl::kDone) return Error{"indexing is not finished: call step() until it returns true"};
  impl_->stage = Impl::kTaken;
  return IndexParts{std::move(impl_->cat), std::move(impl_->order), std::move(impl_->attr), std::move(impl_->soup),
                    impl_->soup_later};
}

Result<std::unique_ptr<Index>> IndexBuilder::take() {
  Result<IndexParts> parts = take_parts();
  if (!parts.ok()) return Error{parts.error()};
  return std::make_unique<Index>(std::move(parts).value());
}

IndexParts build_index_parts(Catalogue cat, IndexBuilder::SoupWhen soup) {
  IndexBuilder b(std::move(cat), soup);
  run_to_end(b);
  return std::move(b.take_parts()).value();
}

}  // namespace hfrec

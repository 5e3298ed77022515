// IndexBuilder: builds an Index in slices (tie order, attribute space, soup space), so a browser
// tab keeps drawing frames while a million-row catalogue is indexed (issues 3 and 5).
#pragma once
#include <memory>
#include <string>

#include "catalogue.h"
#include "job.h"
#include "recommender.h"
#include "result.h"

namespace hfrec {

// A Job that indexes a catalogue; the result is identical to Index(Catalogue) (with the soup later:
// once the Index has built it).
// - Usage: IndexBuilder b(std::move(cat)); each frame b.step(8); once it returns true, b.take().
// - The builder owns the catalogue until take(); it is not movable (the stages point into it).
class IndexBuilder : public Job {
 public:
  // SoupWhen::later stops after the attribute space: the Index builds its soup itself, in slices
  // (Index::step_soup) or when first needed, so a catalogue is usable by the attribute methods
  // and hybrid sooner (the app; the soup was three quarters of the index's time).
  enum class SoupWhen { now, later };
  explicit IndexBuilder(Catalogue cat, SoupWhen soup = SoupWhen::now);
  ~IndexBuilder() override;
  IndexBuilder(const IndexBuilder&) = delete;
  IndexBuilder& operator=(const IndexBuilder&) = delete;

  // Works until the timer expires; true once finished or cancelled. Work units (SliceTimer): one
  // per catalogue row, group or vocabulary term handled, a 16th per flat array element (counts,
  // prefix sums, merged sort keys), a 256th per element zero-filled; no piece exceeds 1024 units.
  using Job::step;
  bool step(const SliceTimer& timer) override;
  // Fraction done in [0, 1]; monotone.
  double progress() const override;
  // The current stage for a progress bar ("soup: tokenizing").
  std::string stage() const override;
  // The index, once step() returned true; an error when cancelled, unfinished or already taken.
  Result<std::unique_ptr<Index>> take();
  // The built parts instead of an Index (same conditions as take()).
  Result<IndexParts> take_parts();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  mutable double shown_ = 0;  // progress already reported: the stages' estimates are not monotone
};

// Builds the parts in one call (what Index(Catalogue) runs; with SoupWhen::later, an Index made
// from them builds its soup when it is first needed).
IndexParts build_index_parts(Catalogue cat, IndexBuilder::SoupWhen soup = IndexBuilder::SoupWhen::now);

}  // namespace hfrec

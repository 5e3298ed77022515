// Job: a long computation done in slices (each well under a 16 ms frame), with progress and cancel,
// so a browser tab keeps drawing while it runs.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

namespace hfrec {

// The deadline of one step(): a wall-clock budget (the app), or a budget of work units (tests and
// benchmarks: the same slices on every machine, with no clock read).
// - A step charge()s the work it does and calls expired() between pieces of it; a piece is the work
//   charged between two calls, i.e. what a step can do past its deadline. A unit is one row, point
//   or candidate pair a loop visits (each stepper's header says what it charges).
// - The timer remembers the largest piece, so a test can hold the slicing to a bound.
// - Work done between two expired() calls but not charged is invisible here: charge where you work.
class SliceTimer {
 public:
  // Expires budget_ms milliseconds from now (0: at the first check).
  explicit SliceTimer(double budget_ms)
      : end_(std::chrono::steady_clock::now() + std::chrono::microseconds(static_cast<long long>(budget_ms * 1000))) {}
  // Expires once `units` work units have been charged (0: at the first check).
  static SliceTimer work(uint64_t units) {
    SliceTimer t;
    t.by_work_ = true;
    t.budget_ = units;
    return t;
  }
  // Records work done since the last check.
  void charge(uint64_t units) const { charged_ += units; }
  // True when the budget is spent; ends the current piece of work.
  bool expired() const {
    largest_ = std::max(largest_, charged_ - mark_);
    mark_ = charged_;
    return by_work_ ? charged_ >= budget_ : std::chrono::steady_clock::now() >= end_;
  }
  // Units charged so far.
  uint64_t charged() const { return charged_; }
  // The most units charged between two checks (the piece still open included).
  uint64_t largest_piece() const { return std::max(largest_, charged_ - mark_); }

 private:
  SliceTimer() = default;
  std::chrono::steady_clock::time_point end_{};
  bool by_work_ = false;
  uint64_t budget_ = 0;
  mutable uint64_t charged_ = 0, mark_ = 0, largest_ = 0;
};

class Job {
 public:
  virtual ~Job() = default;
  // Works until `timer` expires; returns true once finished (or cancelled).
  virtual bool step(const SliceTimer& timer) = 0;
  // Works for about budget_ms milliseconds (subclasses: `using Job::step;`).
  bool step(double budget_ms) { return step(SliceTimer(budget_ms)); }
  // Fraction done in [0, 1].
  virtual double progress() const = 0;
  // What it is doing now, for a progress bar ("k-means restart 3/10").
  virtual std::string stage() const = 0;
  // Asks the job to stop at its next slice; step() then returns true and the result is an error.
  void cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }

 protected:
  bool cancelled_ = false;
};

// The public face of a resumable builder whose state is hidden in its .cpp (the pimpl idiom), so
// the builders do not each spell out the same forwarding: step, progress, stage and take go to Impl.
// - A builder derives from SlicedBuilder<Impl, Out> and adds its constructor. Its .cpp defines Impl
//   (step(timer), progress(), stage(), take()), includes core/sliced.h (the forwarding's
//   definitions) and instantiates `template class SlicedBuilder<Impl, Out>;`.
// - Not copyable or movable: a builder may point into what it was given.
template <class Impl, class Out>
class SlicedBuilder {
 public:
  ~SlicedBuilder();
  SlicedBuilder(const SlicedBuilder&) = delete;
  SlicedBuilder& operator=(const SlicedBuilder&) = delete;
  // Works until the timer expires; true when the result is complete.
  bool step(const SliceTimer& timer);
  // Fraction done in [0, 1], monotone.
  double progress() const;
  // What it is doing now, for a progress bar ("soup: tokenizing").
  const char* stage() const;
  // The result (once, after step() returned true).
  Out take();

 protected:
  explicit SlicedBuilder(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// Runs a job, or any resumable run with step(const SliceTimer&), to its end with no deadline: the
// CLI, the one-call forms of the runs (kmeans(), ward(), ...) and a build the app needs at once.
template <class Run>
Run& run_to_end(Run& run) {
  const SliceTimer unbounded = SliceTimer::work(std::numeric_limits<uint64_t>::max());
  while (!run.step(unbounded)) {}
  return run;
}

}  // namespace hfrec

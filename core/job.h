// Job: a long computation done in slices (each well under a 16 ms frame), with progress and cancel,
// so a browser tab keeps drawing while it runs.
#pragma once
#include <chrono>
#include <memory>
#include <string>

namespace hfrec {

class Job {
 public:
  virtual ~Job() = default;
  // Works for about budget_ms milliseconds; returns true once finished (or cancelled).
  virtual bool step(double budget_ms) = 0;
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

// Deadline helper for step() implementations.
class SliceTimer {
 public:
  explicit SliceTimer(double budget_ms)
      : end_(std::chrono::steady_clock::now() + std::chrono::microseconds(static_cast<long long>(budget_ms * 1000))) {}
  bool expired() const { return std::chrono::steady_clock::now() >= end_; }

 private:
  std::chrono::steady_clock::time_point end_;
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

// Runs a job to completion (for the CLI and tests).
inline void run_to_end(Job& job) {
  while (!job.step(1e9)) {
  }
}

}  // namespace hfrec

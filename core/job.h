// Job: a long computation done in slices (each well under a 16 ms frame), with progress and cancel,
// so a browser tab keeps drawing while it runs.
#pragma once
#include <chrono>
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

// Runs a job to completion (for the CLI and tests).
inline void run_to_end(Job& job) {
  while (!job.step(1e9)) {
  }
}

}  // namespace hfrec

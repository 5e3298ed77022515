// Result<T>: a value or an error message, returned at every boundary where input can be bad.
#pragma once
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace hfrec {

// An error that says what and where ("line 17, column 'downloads': not an integer").
struct Error {
  std::string message;
};

// A value or an Error; check ok() before value(). Nothing in core throws for bad user data.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  const std::string& error() const { assert(!ok()); return std::get<1>(v_).message; }

 private:
  std::variant<T, Error> v_;
};

// Result<void> equivalent.
struct Status {
  bool ok_ = true;
  std::string message;
  static Status Ok() { return {}; }
  static Status Fail(std::string m) { return {false, std::move(m)}; }
  bool ok() const { return ok_; }
};

}  // namespace hfrec

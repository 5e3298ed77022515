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
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const std::string& error() const {
    assert(!ok());
    return std::get<1>(v_).message;
  }

 private:
  std::variant<T, Error> v_;
};

// Success or an Error, for calls that return nothing else.
template <>
class Result<void> {
 public:
  Result() = default;
  Result(Error e) : ok_(false), message_(std::move(e.message)) {}
  static Result Ok() { return {}; }
  static Result Fail(std::string m) { return Error{std::move(m)}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const std::string& error() const {
    assert(!ok_);
    return message_;
  }

 private:
  bool ok_ = true;
  std::string message_;
};
using Status = Result<void>;

}  // namespace hfrec

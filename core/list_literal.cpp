// Python list literal parser for Hub CSV cells (quotes, escapes, None, nesting), and the repr that
// writes one back (list_literal.h).
#include "list_literal.h"

#include <cctype>
#include <deque>

#include "text.h"

namespace hfrec {
namespace {

struct Parser {
  std::string_view s;
  ListLimits limits;
  size_t i = 0;
  std::string err;
  std::vector<std::string_view>& out;  // items: views into s, or into scratch
  std::deque<std::string>& scratch;    // items that had escapes, unescaped

  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  }
  bool fail(const std::string& what) {
    if (err.empty()) {
      std::string found = "end of cell";
      if (i < s.size()) {
        // The whole code point, so the message stays valid UTF-8.
        size_t j = i;
        char32_t cp = utf8_next(s, j);
        found.assign(1, '\'');
        if (cp == 0xFFFD && j - i == 1) {  // an invalid byte: shown as \xNN
          const auto b = static_cast<unsigned char>(s[i]);
          found.append("\\x").push_back("0123456789abcdef"[b >> 4]);
          found.push_back("0123456789abcdef"[b & 15]);
        } else {
          found.append(s.substr(i, j - i));
        }
        found.push_back('\'');
        if (static_cast<unsigned char>(s[i]) < 0x20) found = "a control character";
      }
      err.append("character ").append(std::to_string(i + 1)).append(": expected ").append(what);
      err.append(", found ").append(found);
    }
    return false;
  }
  // A limit was exceeded: the message names the limit, not the character found.
  bool over_limit(const std::string& what, size_t at) {
    if (err.empty()) err = "character " + std::to_string(at + 1) + ": " + what;
    return false;
  }
  // Adds an item that started at character `at`.
  bool emit(std::string_view v, size_t at) {
    if (out.size() >= limits.max_items)
      return over_limit("more than " + std::to_string(limits.max_items) + " items (limit max_items)", at);
    out.push_back(v);
    return true;
  }
  // A quoted string at s[i]. Without a backslash it is a view into the cell; with one it is
  // unescaped into a new scratch string.
  bool string(std::string_view& out_v) {
    const char q = s[i++];
    const size_t begin = i;
    i = find_first_of3(s, i, q, '\\', '\\');
    if (i < s.size() && s[i] == q) {
      out_v = s.substr(begin, i - begin);
      ++i;
      return true;
    }
    std::string& v = scratch.emplace_back(s.substr(begin, i - begin));
    while (i < s.size()) {
      char c = s[i];
      if (c == q) {
        ++i;
        out_v = v;
        return true;
      }
      if (c == '\\') {
        if (i + 1 >= s.size()) break;
        char e = s[i + 1];
        i += 2;
        switch (e) {
          case 'n': v += '\n'; break;
          case 't': v += '\t'; break;
          case 'r': v += '\r'; break;
          case '0': v += '\0'; break;
          case '\\': v += '\\'; break;
          case '\'': v += '\''; break;
          case '"': v += '"'; break;
          case 'x':
          case 'u':
          case 'U': {
            int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            if (i + len > s.size()) {
              i -= 2;
              return fail("a complete \\" + std::string(1, e) + " escape");
            }
            char32_t cp = 0;
            for (int k = 0; k < len; ++k) {
              char h = s[i + k];
              int d = (h >= '0' && h <= '9')   ? h - '0'
                      : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                      : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                               : -1;
              if (d < 0) {
                i += k;
                return fail("a hexadecimal digit");
              }
              cp = cp * 16 + d;
            }
            i += len;
            // Lone surrogates (\ud800) would make invalid UTF-8: they become U+FFFD.
            utf8_append(v, (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ? 0xFFFD : cp);
            break;
          }
          default: v += '\\'; v += e;
        }
        continue;
      }
      // Copy the run up to the next quote or backslash at once.
      const size_t e = find_first_of3(s, i + 1, q, '\\', '\\');
      v.append(s.data() + i, e - i);
      i = e;
    }
    return fail(std::string("a closing ") + q);
  }
  bool atom(std::string_view& v) {
    size_t st = i;
    while (i < s.size() &&
           (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '-' || s[i] == '+' || s[i] == '_'))
      ++i;
    if (i == st) return fail("a string, None, a number, a list or a dict");
    v = s.substr(st, i - st);
    if (v == "None" || v == "True" || v == "False" || v == "nan" || v == "inf") return true;
    if (std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '-' || v[0] == '+' || v[0] == '.') return true;
    i = st;
    return fail("a quoted string (bare words are not Python literals)");
  }
  // value: string | atom | list | dict; emit_it: add to out
  bool value(size_t depth, bool emit_it) {
    ws();
    if (i >= s.size()) return fail("a value");
    const char c = s[i];
    const size_t at = i;
    if (c == '\'' || c == '"') {
      std::string_view v;
      if (!string(v)) return false;
      return emit_it ? emit(v, at) : true;
    }
    if (c == '[' || c == '(') return seq(depth + 1, emit_it);
    if (c == '{') return dict(depth + 1, emit_it);
    std::string_view v;
    if (!atom(v)) return false;
    if (v == "None" || !emit_it) return true;
    return emit(v, at);
  }
  bool seq(size_t depth, bool emit_it) {
    if (depth > limits.max_depth)
      return over_limit("nested deeper than " + std::to_string(limits.max_depth) + " levels (limit max_depth)", i);
    char close = s[i] == '[' ? ']' : ')';
    ++i;
    ws();
    if (i < s.size() && s[i] == close) {
      ++i;
      return true;
    }
    while (true) {
      if (!value(depth, emit_it)) return false;
      ws();
      if (i < s.size() && s[i] == ',') {
        ++i;
        ws();
        if (i < s.size() && s[i] == close) {
          ++i;
          return true;
        }
        continue;
      }
      if (i < s.size() && s[i] == close) {
        ++i;
        return true;
      }
      return fail(std::string("',' or '") + close + "'");
    }
  }
  bool dict(size_t depth, bool emit_it) {
    if (depth > limits.max_depth)
      return over_limit("nested deeper than " + std::to_string(limits.max_depth) + " levels (limit max_depth)", i);
    ++i;
    ws();
    if (i < s.size() && s[i] == '}') {
      ++i;
      return true;
    }
    while (true) {
      if (!value(depth, emit_it)) return false;  // key
      ws();
      if (i >= s.size() || s[i] != ':') return fail("':'");
      ++i;
      if (!value(depth, false)) return false;  // value is ignored
      ws();
      if (i < s.size() && s[i] == ',') {
        ++i;
        ws();
        if (i < s.size() && s[i] == '}') {
          ++i;
          return true;
        }
        continue;
      }
      if (i < s.size() && s[i] == '}') {
        ++i;
        return true;
      }
      return fail("',' or '}'");
    }
  }
};

}  // namespace

std::string parse_list_literal(std::string_view cell, const ListLimits& limits, std::vector<std::string_view>& items,
                               std::deque<std::string>& scratch) {
  items.clear();
  scratch.clear();
  Parser p{cell, limits, 0, {}, items, scratch};
  p.ws();
  if (p.i >= cell.size() || (cell[p.i] != '[' && cell[p.i] != '(')) {
    p.fail("a list such as ['a', 'b']");
    return p.err;
  }
  if (!p.seq(1, true)) return p.err;
  p.ws();
  if (p.i < cell.size()) p.fail("end of cell after the list");
  return p.err;
}

Result<std::vector<std::string>> parse_list_literal(std::string_view cell, ListLimits limits) {
  std::vector<std::string_view> items;
  std::deque<std::string> scratch;
  std::string err = parse_list_literal(cell, limits, items, scratch);
  if (!err.empty()) return Error{err};
  return std::vector<std::string>(items.begin(), items.end());
}

std::string python_list_repr(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t k = 0; k < items.size(); ++k) {
    if (k) out += ", ";
    const std::string& v = items[k];
    char q = (v.find('\'') != std::string::npos && v.find('"') == std::string::npos) ? '"' : '\'';
    out += q;
    for (char c : v) {
      if (c == '\\') out += "\\\\";
      else if (c == q) {
        out += '\\';
        out += c;
      } else if (c == '\n') out += "\\n";
      else if (c == '\t') out += "\\t";
      else if (c == '\r') out += "\\r";
      else out += c;
    }
    out += q;
  }
  out += "]";
  return out;
}

}  // namespace hfrec

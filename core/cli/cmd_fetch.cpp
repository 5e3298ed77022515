// hfrec fetch: pages through the Hub's model listing into a catalogue file, resumable.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>

#include "../catalogue.h"
#include "../hub_api.h"
#include "../record_writer.h"
#include "args.h"
#include "http.h"

namespace hfrec::cli {

namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, const std::string& tail) {
  if (s.size() < tail.size()) return false;
  for (size_t i = 0; i < tail.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - tail.size() + i])) != tail[i]) return false;
  return true;
}

// The catalogue file, valid after every page: CSV grows by lines; a JSON array is closed after
// every page and reopened (its closing "\n]\n" cut) before the next.
class Output {
 public:
  Output(std::string path, bool json) : path_(std::move(path)), json_(json) {}

  // Starts the file afresh (CSV: the header line).
  Status create() {
    std::ofstream f(path_, std::ios::binary | std::ios::trunc);
    if (json_) f << "[\n]\n";
    else f << csv_header();
    f.flush();
    if (!f) return Status::Fail(path_ + ": cannot write the file");
    return Status::Ok();
  }

  // Appends models; `before` is how many the file already holds.
  Status append(const std::vector<ModelRecord>& rows, size_t before) {
    if (rows.empty()) return Status::Ok();
    std::string text;
    if (json_) {
      std::error_code ec;
      const auto size = fs::file_size(path_, ec);
      std::string tail(3, '\0');
      {
        std::ifstream in(path_, std::ios::binary);
        if (!ec && size >= 3) in.seekg(static_cast<std::streamoff>(size - 3)), in.read(tail.data(), 3);
      }
      if (ec || size < 3 || tail != "\n]\n")
        return Status::Fail(path_ +
                            ": does not end as hfrec fetch left it (\"\\n]\\n\"); start again without --resume");
      fs::resize_file(path_, size - 3, ec);
      if (ec) return Status::Fail(path_ + ": cannot write the file (" + ec.message() + ")");
      text = before ? ",\n" : "\n";
      append_json_rows(rows, text);
      text += "\n]\n";
    } else {
      append_csv_rows(rows, text);
    }
    std::ofstream f(path_, std::ios::binary | std::ios::app);
    f << text;
    f.flush();
    if (!f) return Status::Fail(path_ + ": cannot write the file");
    return Status::Ok();
  }

 private:
  std::string path_;
  bool json_;
};

Status save_state(const std::string& path, const hub::ResumeState& s) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << hub::resume_state_json(s);
    f.flush();
    if (!f) return Status::Fail(path + ": cannot write the resume state");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::Fail(path + ": cannot write the resume state (" + ec.message() + ")");
  return Status::Ok();
}

int usage_error(const Args& a) {
  for (const auto& e : a.errors) std::fprintf(stderr, "hfrec fetch: %s\n", printable(e).c_str());
  std::fprintf(stderr, "run 'hfrec --help' for usage\n");
  return kExitUsage;
}

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int cmd_fetch(const Args& in) {
  Args a = in;
  hub::ListParams p;
  hub::RetryPolicy policy;
  const std::string out = a.get("--out");
  if (out.empty()) a.errors.push_back("--out FILE.csv or FILE.json is required");
  const bool json = ends_with(out, ".json");
  if (!out.empty() && !json && !ends_with(out, ".csv"))
    a.errors.push_back("--out must name a .csv or .json file, got '" + out + "'");
  long long n = static_cast<long long>(p.n), page = 1000, retries = policy.max_retries, base_ms = policy.base_ms;
  a.get_int("--limit", n, 0, 100'000'000);
  a.get_int("--page-size", page, 1, 1000);
  a.get_int("--retries", retries, 0, 100);
  a.get_int("--retry-base-ms", base_ms, 0, 3'600'000);
  p.n = static_cast<size_t>(n);
  p.page_size = static_cast<size_t>(page);
  policy.max_retries = static_cast<int>(retries);
  policy.base_ms = base_ms;
  // Test-only: how long one Retry-After second lasts, so tests honour it without waiting.
  if (const char* s = std::getenv("HFREC_FETCH_SECOND_MS"); s && *s) policy.second_ms = std::atoll(s);
  const std::string state_path = a.has("--resume") ? a.get("--resume") : out + ".resume.json";

  // Resuming: the state file, when it exists, says where to go on.
  std::optional<hub::ResumeState> resume;
  if (a.has("--resume") && fs::exists(state_path)) {
    std::ifstream f(state_path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto s = hub::parse_resume_state(text);
    if (!s.ok()) a.errors.push_back("--resume " + state_path + ": " + s.error());
    else resume = s.value();
  }
  if (resume) {
    auto same = [&](const char* opt, const std::string& was, std::string& now) {
      if (!a.has(opt)) now = was;
      else if (a.get(opt) != was)
        a.errors.push_back(std::string("--resume ") + state_path + " was written for " + opt + " " + was + ", not " +
                           a.get(opt));
    };
    same("--hub", resume->host, p.host);
    same("--sort", resume->sort, p.sort);
    if (!a.has("--limit")) p.n = resume->n;
  } else {
    p.host = a.get("--hub", p.host);
    p.sort = a.get("--sort", p.sort);
  }
  if (a.errors.empty())
    if (auto url = hub::first_page_url(p); !url.ok()) a.errors.push_back(url.error());
  if (!a.errors.empty()) return usage_error(a);

  Output file(out, json);
  std::vector<std::string> known;
  std::optional<Result<hub::Pager>> made;
  if (resume && resume->rows > 0) {
    auto partial = load_catalogue_file(out);
    if (!partial.ok()) {
      std::fprintf(stderr, "hfrec fetch: --resume: the partial catalogue cannot be read: %s\n",
                   partial.error().c_str());
      return kExitUsage;
    }
    for (uint32_t r = 0; r < partial.value().size(); ++r) known.emplace_back(partial.value().id(r));
    made.emplace(hub::Pager::resume(p, *resume, known, policy));
  } else if (resume) {
    made.emplace(hub::Pager::resume(p, *resume, known, policy));
  } else {
    made.emplace(hub::Pager::start(p, policy));
  }
  if (!made->ok()) {
    std::fprintf(stderr, "hfrec fetch: %s\n", made->error().c_str());
    return kExitUsage;
  }
  hub::Pager& pager = made->value();
  if (!resume || resume->rows == 0) {
    if (Status s = file.create(); !s.ok()) {
      std::fprintf(stderr, "hfrec fetch: %s\n", s.error().c_str());
      return kExitUsage;
    }
  }
  if (resume) std::fprintf(stderr, "hfrec fetch: resuming with %zu models in %s\n", pager.rows(), out.c_str());

  std::string no_client;
  auto client = make_curl_client(&no_client);
  if (!client) {
    std::fprintf(stderr, "hfrec fetch: libcurl could not start: %s\n", no_client.c_str());
    return kExitFetchFailed;
  }
  const bool tty = isatty(2);
  const std::string of = p.n ? " of " + std::to_string(p.n) : "";
  auto finish_line = [&] {
    if (tty) std::fputc('\n', stderr);
  };
  auto stop = [&](const std::string& why) {
    finish_line();
    std::fprintf(stderr, "hfrec fetch: %s\n", why.c_str());
    Status s = save_state(state_path, pager.state());
    std::fprintf(
        stderr, "hfrec fetch: stopped with %s in %s (partial); %s\n", plural(pager.rows(), "model", "models").c_str(),
        out.c_str(),
        s.ok() ? ("go on with: hfrec fetch --out " + out + " --resume " + state_path).c_str() : s.error().c_str());
    return kExitFetchFailed;
  };

  std::string ended = "the resume state says the listing had finished";
  while (!pager.finished()) {
    hub::Reply reply = client->get(pager.url());
    hub::Step step = pager.feed(reply, static_cast<int64_t>(std::time(nullptr)));
    if (step.kind == hub::Step::wait) {
      finish_line();
      std::fprintf(stderr, "hfrec fetch: %s\n", step.message.c_str());
      std::this_thread::sleep_for(std::chrono::milliseconds(step.wait_ms));
      continue;
    }
    if (Status s = file.append(step.rows, pager.rows() - step.rows.size()); !s.ok()) return stop(s.error());
    if (step.kind == hub::Step::failed) return stop(step.message);
    if (!pager.finished()) {
      if (Status s = save_state(state_path, pager.state()); !s.ok()) return stop(s.error());
    }
    std::fprintf(stderr, tty ? "\rhfrec fetch: %zu%s models, %s" : "hfrec fetch: %zu%s models, %s\n", pager.rows(),
                 of.c_str(), plural(pager.pages(), "page", "pages").c_str());
    ended = step.message;
  }
  finish_line();
  if (pager.rows() == 0) return stop("the Hub listed no models");
  std::error_code ec;
  fs::remove(state_path, ec);
  std::fprintf(stderr, "hfrec fetch: wrote %s to %s (%s; %s, %s, %s)\n",
               plural(pager.rows(), "model", "models").c_str(), out.c_str(), ended.c_str(),
               plural(pager.pages(), "page", "pages").c_str(), plural(pager.retries(), "retry", "retries").c_str(),
               plural(pager.rate_limited(), "rate-limited wait", "rate-limited waits").c_str());
  return 0;
}

}  // namespace hfrec::cli

// Share links: round trips, strict validation of untrusted hashes, URL building.
#include "core/share_link.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace hfrec {
namespace {

constexpr const char* kOrigin = "https://example.github.io";

TEST(ShareLink, RoundTrip) {
  ShareLink l;
  l.model = "facebook/bart-large-cnn";
  l.method = "tfidf";
  l.k = 25;
  l.tasks = {"summarization", "text generation & more"};
  l.libraries = {"transformers"};
  l.model_types = {"bart"};
  l.compare = "jaccard";
  l.view = "results";
  l.source = "https://example.org/data.csv?x=1&y=2";
  l.catalogue = "data.csv";
  l.rows = 10000;
  l.extra = {{"future", "x y"}};
  std::string h = format_share_link(l);
  EXPECT_EQ(h,
            "#model=facebook/bart-large-cnn&method=tfidf&k=25&task=summarization&task=text%20generation%20%26%20more"
            "&library=transformers&type=bart&compare=jaccard&view=results"
            "&src=https%3A//example.org/data.csv%3Fx%3D1%26y%3D2&cat=data.csv&rows=10000&future=x%20y");
  auto p = parse_share_link(h, kOrigin);
  ASSERT_TRUE(p.ok()) << p.error();
  const ShareLink& r = p.value();
  EXPECT_EQ(r.model, l.model);
  EXPECT_EQ(r.method, l.method);
  EXPECT_EQ(r.k, 25);
  EXPECT_EQ(r.tasks, l.tasks);
  EXPECT_EQ(r.libraries, l.libraries);
  EXPECT_EQ(r.model_types, l.model_types);
  EXPECT_EQ(r.compare, l.compare);
  EXPECT_EQ(r.view, l.view);
  EXPECT_EQ(r.source, l.source);
  EXPECT_EQ(r.catalogue, l.catalogue);
  EXPECT_EQ(r.rows, 10000u);
  EXPECT_EQ(r.extra, l.extra);
  EXPECT_EQ(format_share_link(r), h);
}

TEST(ShareLink, EmptyHash) {
  for (const char* h : {"", "#", "#&&", "&"}) {
    auto p = parse_share_link(h, kOrigin);
    ASSERT_TRUE(p.ok()) << h;
    EXPECT_TRUE(p.value().model.empty());
  }
  EXPECT_EQ(format_share_link(ShareLink{}), "#");
}

TEST(ShareLink, ModelIdsAreEncoded) {
  ShareLink l;
  l.model = "a b/<script>&k=1#x";
  std::string h = format_share_link(l);
  EXPECT_EQ(h, "#model=a%20b/%3Cscript%3E%26k%3D1%23x");
  EXPECT_EQ(parse_share_link(h, kOrigin).value().model, l.model);
}

TEST(ShareLink, ErrorsNameTheParameter) {
  auto err = [](const char* h) {
    auto p = parse_share_link(h, kOrigin);
    return p.ok() ? std::string("ok") : p.error();
  };
  EXPECT_EQ(err("#k=0"), "parameter 'k': must be an integer from 1 to 100, got '0'");
  EXPECT_EQ(err("#k=101"), "parameter 'k': must be an integer from 1 to 100, got '101'");
  EXPECT_EQ(err("#k=1e3"), "parameter 'k': must be an integer from 1 to 100, got '1e3'");
  EXPECT_EQ(err("#k="), "parameter 'k': must be an integer from 1 to 100, got ''");
  EXPECT_EQ(err("#method=bm25"),
            "parameter 'method': unknown method 'bm25' (one of jaccard, cosine, tfidf, knn, kmeans, hybrid)");
  EXPECT_EQ(err("#model=%zz"), "parameter 'model': bad escape '%zz' at byte 0");
  EXPECT_EQ(err("#model=abc%2"), "parameter 'model': truncated escape '%' at byte 3");
  EXPECT_EQ(err("#model="), "parameter 'model': empty model id");
  EXPECT_EQ(err("#model=%0a"), "parameter 'model': contains control characters");
  EXPECT_EQ(err("#model=%ff"), "parameter 'model': not valid UTF-8");
  EXPECT_EQ(err("#view=%3Cb%3E"), "parameter 'view': unknown view '<b>' (results, clusters)");
  EXPECT_EQ(err("#src=javascript:alert(1)"),
            "parameter 'src': catalogue URL 'javascript:alert(1)' is not https: or this site's own");
  EXPECT_EQ(err("#rows=-1"), "parameter 'rows': must be a row count, got '-1'");
  EXPECT_EQ(err(("#" + std::string(20000, 'a')).c_str()), "link too long: 20000 bytes (at most 16384)");
}

TEST(ShareLink, PartsKeepTheValidParameters) {
  auto r = parse_share_link_parts("#model=bert-base-uncased&method=magic&k=5000&task=fill-mask&view=results", kOrigin);
  ASSERT_TRUE(r.ok()) << r.error();
  const ShareLinkParts& p = r.value();
  EXPECT_EQ(p.link.model, "bert-base-uncased");
  EXPECT_EQ(p.link.method, "");
  EXPECT_FALSE(p.link.k.has_value());
  EXPECT_EQ(p.link.tasks, std::vector<std::string>{"fill-mask"});
  EXPECT_EQ(p.link.view, "results");
  ASSERT_EQ(p.problems.size(), 2u);
  EXPECT_EQ(p.problems[0].key, "method");
  EXPECT_EQ(p.problems[0].value, "magic");
  EXPECT_EQ(describe_link_problem(p.problems[0]),
            "method=magic is not a method (one of jaccard, cosine, tfidf, knn, kmeans, hybrid)");
  EXPECT_EQ(p.problems[1].key, "k");
  EXPECT_EQ(p.problems[1].value, "5000");
  EXPECT_EQ(describe_link_problem(p.problems[1]), "k=5000 is above the limit 100");
  // The strict parser rejects the same link with the first problem's message.
  auto strict = parse_share_link("#model=bert-base-uncased&method=magic&k=5000", kOrigin);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error(), p.problems[0].error);
  // What was kept is a link the strict parser accepts.
  EXPECT_EQ(format_share_link(p.link), "#model=bert-base-uncased&task=fill-mask&view=results");
  EXPECT_TRUE(parse_share_link(format_share_link(p.link), kOrigin).ok());
}

TEST(ShareLink, PartsDescribeEachProblem) {
  auto describe = [](const std::string& h) {
    auto r = parse_share_link_parts(h, kOrigin);
    if (!r.ok()) return "error: " + r.error();
    std::string out;
    for (const auto& p : r.value().problems) out += (out.empty() ? "" : " | ") + describe_link_problem(p);
    return out;
  };
  EXPECT_EQ(describe("#k=0"), "k=0 is below the minimum 1");
  EXPECT_EQ(describe("#k=-99999999999"), "k=-99999999999 is below the minimum 1");
  EXPECT_EQ(describe("#k=99999999999"), "k=99999999999 is above the limit 100");
  EXPECT_EQ(describe("#k=ten"), "k=ten is not an integer from 1 to 100");
  EXPECT_EQ(describe("#k="), "k= is not an integer from 1 to 100");
  EXPECT_EQ(describe("#model=abc%2&view=map"),
            "model=abc%2 is not percent-encoded correctly (truncated escape '%' at byte 3) | "
            "view=map is not a view (results, clusters)");
  EXPECT_EQ(describe("#model=%0a"), "model=\\x0A contains control characters");
  EXPECT_EQ(describe("#src=javascript:alert(1)&zoom=0"),
            "src=javascript:alert(1) is not an https: URL or this site's own | "
            "zoom=0 is not a number from 0.25 to 100000");
  EXPECT_EQ(describe("#model=" + std::string(70, 'x') + "&model="), "model= is empty");
  EXPECT_EQ(describe("#task=" + std::string(300, 'x')),
            "task=" + std::string(60, 'x') + "... is longer than 256 bytes");
  // Whole-link limits still reject the whole link.
  EXPECT_EQ(describe("#" + std::string(20000, 'a')), "error: link too long: 20000 bytes (at most 16384)");
}

TEST(ShareLink, PartsAgreeWithTheStrictParser) {
  // Each strict error is the first problem of the lenient parse, and a valid link has none.
  for (const char* h : {"#k=0", "#k=101", "#method=bm25", "#model=%zz", "#model=", "#model=%ff", "#view=x",
                        "#algo=optics", "#features=pixels", "#ck=0", "#eps=nan", "#cut=-1", "#cx=inf", "#focus=-2",
                        "#seed=-3", "#rows=-1", "#src=http://x.org/a.csv", "#%zz=1", "#task=a&k=0&method=x"}) {
    auto strict = parse_share_link(h, kOrigin);
    auto parts = parse_share_link_parts(h, kOrigin);
    ASSERT_FALSE(strict.ok()) << h;
    ASSERT_TRUE(parts.ok()) << h;
    ASSERT_FALSE(parts.value().problems.empty()) << h;
    EXPECT_EQ(parts.value().problems[0].error, strict.error()) << h;
  }
  const char* good = "#model=a/b&method=tfidf&k=7&task=t&view=clusters&algo=ward&ck=5&zoom=2&future=1";
  auto parts = parse_share_link_parts(good, kOrigin);
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(parts.value().problems.empty());
  EXPECT_EQ(format_share_link(parts.value().link), format_share_link(parse_share_link(good, kOrigin).value()));
}

// The lasso (issue 15): written as the kept polygon with raw commas, read back bit for bit; a bad
// one is left out with its reason and the rest of the link applies.
TEST(ShareLink, LassoRoundTripAndMalformedValues) {
  ShareLink l;
  l.view = "clusters";
  l.algo = "kmeans";
  l.lasso = MapPolygon{{0.1, 0.9, 0.5000004}, {0.2, 0.2, 0.85}};
  const std::string h = format_share_link(l);
  EXPECT_EQ(h, "#view=clusters&algo=kmeans&lasso=0.100000,0.200000,0.900000,0.200000,0.500000,0.850000");
  auto p = parse_share_link(h, kOrigin);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p.value().lasso.x, (std::vector<double>{0.1, 0.9, 0.5}));
  EXPECT_EQ(p.value().lasso.y, (std::vector<double>{0.2, 0.2, 0.85}));
  EXPECT_EQ(format_share_link(p.value()), h);
  // Percent-encoded commas read the same.
  auto enc = parse_share_link("#lasso=0.1%2C0.2%2C0.9%2C0.2%2C0.5%2C0.85", kOrigin);
  ASSERT_TRUE(enc.ok()) << enc.error();
  EXPECT_EQ(enc.value().lasso.x, p.value().lasso.x);

  auto describe = [](const std::string& hash) {
    auto r = parse_share_link_parts(hash, kOrigin);
    if (!r.ok()) return "error: " + r.error();
    std::string out;
    for (const auto& q : r.value().problems) out += (out.empty() ? "" : " | ") + describe_link_problem(q);
    return out;
  };
  EXPECT_EQ(describe("#lasso=0,0,1,0,1"), "lasso=0,0,1,0,1 is not a lasso (5 numbers: x,y pairs need an even count)");
  EXPECT_EQ(describe("#lasso=0,0,1,1"), "lasso=0,0,1,1 is not a lasso (2 points: a lasso has 3 to 64)");
  EXPECT_EQ(describe("#lasso=0,0,1,0,nan,1"),
            "lasso=0,0,1,0,nan,1 is not a lasso (number 5 ('nan') is not a number from -1 to 2)");
  EXPECT_EQ(describe("#lasso=0.5,0.5,0.5,0.5,0.5,0.5"),
            "lasso=0.5,0.5,0.5,0.5,0.5,0.5 is not a lasso (fewer than 3 distinct points)");
  EXPECT_EQ(describe("#lasso=" + std::string(3000, '1')),
            "lasso=" + std::string(60, '1') + "... is longer than 2048 bytes");
  auto strict = parse_share_link("#lasso=0,0,1,0,1", kOrigin);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.error(), "parameter 'lasso': not a lasso: 5 numbers: x,y pairs need an even count");
  // The rest of the link still applies.
  auto rest = parse_share_link_parts("#view=clusters&lasso=1,2,3&algo=ward&ck=4", kOrigin);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest.value().link.view, "clusters");
  EXPECT_EQ(rest.value().link.algo, "ward");
  EXPECT_EQ(rest.value().link.cluster_k, 4);
  EXPECT_TRUE(rest.value().link.lasso.x.empty());
  ASSERT_EQ(rest.value().problems.size(), 1u);
  EXPECT_EQ(rest.value().problems[0].key, "lasso");
  // A 500-point lasso is written with 64 vertices.
  ShareLink big;
  for (int i = 0; i < 500; ++i) {
    big.lasso.x.push_back(0.5 + 0.4 * std::cos(i * 0.01256637));
    big.lasso.y.push_back(0.5 + 0.4 * std::sin(i * 0.01256637));
  }
  auto back = parse_share_link(format_share_link(big), kOrigin);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back.value().lasso.x.size(), kMaxLassoVertices);
}

TEST(ShareLink, ClusterViewRoundTrip) {
  ShareLink l;
  l.view = "clusters";
  l.algo = "dbscan";
  l.features = "tfidf";
  l.cluster_k = 12;
  l.eps = 0.35;
  l.min_samples = 4;
  l.seed = 7;
  l.cut = 1.25;
  l.focus = -1;
  l.zoom = 3.5;
  l.cx = 0.1;
  l.cy = 0.625;
  l.layout = "pca";
  l.map_features = "hybrid";
  std::string h = format_share_link(l);
  EXPECT_EQ(h,
            "#view=clusters&algo=dbscan&features=tfidf&ck=12&eps=0.35&min_samples=4&seed=7&cut=1.25&focus=-1"
            "&zoom=3.5&cx=0.1&cy=0.625&layout=pca&map=hybrid");
  auto p = parse_share_link(h, kOrigin);
  ASSERT_TRUE(p.ok()) << p.error();
  const ShareLink& r = p.value();
  EXPECT_EQ(r.algo, "dbscan");
  EXPECT_EQ(r.features, "tfidf");
  EXPECT_EQ(r.cluster_k, 12);
  EXPECT_EQ(r.eps, 0.35);
  EXPECT_EQ(r.min_samples, 4);
  EXPECT_EQ(r.seed, 7u);
  EXPECT_EQ(r.cut, 1.25);
  EXPECT_EQ(r.focus, -1);
  EXPECT_EQ(r.zoom, 3.5);
  EXPECT_EQ(r.cx, 0.1);
  EXPECT_EQ(r.cy, 0.625);
  EXPECT_EQ(r.layout, "pca");
  EXPECT_EQ(r.map_features, "hybrid");
  EXPECT_TRUE(r.extra.empty());
  EXPECT_EQ(format_share_link(r), h);
  // Doubles survive exactly.
  l = ShareLink{};
  l.zoom = 1.0 / 3;
  EXPECT_EQ(parse_share_link(format_share_link(l), kOrigin).value().zoom, 1.0 / 3);
}

TEST(ShareLink, ClusterViewErrors) {
  auto err = [](const char* h) {
    auto p = parse_share_link(h, kOrigin);
    return p.ok() ? std::string("ok") : p.error();
  };
  EXPECT_EQ(err("#algo=optics"), "parameter 'algo': unknown algorithm 'optics' (kmeans, ward, dbscan)");
  EXPECT_EQ(err("#features=pixels"), "parameter 'features': unknown feature space 'pixels' (attributes, soup, tfidf)");
  EXPECT_EQ(err("#ck=0"), "parameter 'ck': must be an integer from 1 to 100000, got '0'");
  EXPECT_EQ(err("#min_samples=x"), "parameter 'min_samples': must be an integer from 1 to 100000, got 'x'");
  EXPECT_EQ(err("#eps=0"), "parameter 'eps': must be a number in (0, 1000], got '0'");
  EXPECT_EQ(err("#eps=nan"), "parameter 'eps': must be a number in (0, 1000], got 'nan'");
  EXPECT_EQ(err("#eps=0x1p-2"), "parameter 'eps': must be a number in (0, 1000], got '0x1p-2'");
  EXPECT_EQ(err("#cut=-1"), "parameter 'cut': must be a number >= 0, got '-1'");
  EXPECT_EQ(err("#zoom=1e9"), "parameter 'zoom': must be a number from 0.25 to 100000, got '1e9'");
  EXPECT_EQ(err("#cx=inf"), "parameter 'cx': must be a number from -10 to 11, got 'inf'");
  EXPECT_EQ(err("#focus=-2"), "parameter 'focus': must be a cluster from -1 to 100000, got '-2'");
  EXPECT_EQ(err("#seed=-3"), "parameter 'seed': must be a non-negative integer, got '-3'");
  EXPECT_EQ(err("#layout=tsne"), "parameter 'layout': unknown map layout 'tsne' (umap, pca)");
  EXPECT_EQ(err("#layout=UMAP"), "parameter 'layout': unknown map layout 'UMAP' (umap, pca)");
  EXPECT_EQ(err("#layout="), "parameter 'layout': unknown map layout '' (umap, pca)");
  EXPECT_EQ(parse_share_link("#layout=umap", kOrigin).value().layout, "umap");
  EXPECT_EQ(err("#map=pca"), "parameter 'map': unknown map space 'pca' (clusters, attributes, soup, tfidf, hybrid)");
  EXPECT_EQ(err("#map="), "parameter 'map': unknown map space '' (clusters, attributes, soup, tfidf, hybrid)");
  for (const char* m : {"clusters", "attributes", "soup", "tfidf", "hybrid"})
    EXPECT_EQ(parse_share_link(std::string("#map=") + m, kOrigin).value().map_features, m);
  EXPECT_EQ(err("#view=clusters&algo=ward&ck=5&cut=0&zoom=0.25&cx=-10&cy=11&seed=18446744073709551615"), "ok");
}

TEST(ShareLink, TooManyParameters) {
  std::string h = "#";
  for (int i = 0; i < 201; ++i) h += "task=a&";
  auto p = parse_share_link(h, kOrigin);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error(), "link has more than 200 parameters");
}

TEST(ShareLink, CatalogueUrls) {
  EXPECT_TRUE(is_allowed_catalogue_url("https://example.org/a.csv", kOrigin));
  EXPECT_TRUE(is_allowed_catalogue_url("HTTPS://example.org/a.csv", kOrigin));
  EXPECT_TRUE(is_allowed_catalogue_url("/data/a.csv", kOrigin));
  EXPECT_TRUE(is_allowed_catalogue_url("catalogue.csv", kOrigin));
  EXPECT_TRUE(is_allowed_catalogue_url("./x/catalogue.csv?v=2", kOrigin));
  EXPECT_TRUE(is_allowed_catalogue_url("http://localhost:8000/a.csv", "http://localhost:8000"));
  EXPECT_FALSE(is_allowed_catalogue_url("http://localhost:8001/a.csv", "http://localhost:8000"));
  EXPECT_FALSE(is_allowed_catalogue_url("http://example.org/a.csv", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("javascript:alert(1)", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("JavaScript:alert(1)", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("data:text/csv,modelId", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("file:///etc/passwd", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("blob:https://x/1", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("//evil.example/a.csv", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("https://user:pw@evil.example/a.csv", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("https:/\\evil.example", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("https://", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("https://a.org/\n", kOrigin));
  EXPECT_FALSE(is_allowed_catalogue_url("", kOrigin));
}

TEST(ShareLink, HuggingFaceUrls) {
  EXPECT_EQ(huggingface_url("gpt2"), "https://huggingface.co/gpt2");
  EXPECT_EQ(huggingface_url("facebook/bart-large-cnn"), "https://huggingface.co/facebook/bart-large-cnn");
  EXPECT_EQ(huggingface_url("a b/c?d#e"), "https://huggingface.co/a%20b/c%3Fd%23e");
  EXPECT_EQ(huggingface_url("../admin"), "");
  EXPECT_EQ(huggingface_url("a//b"), "");
  EXPECT_EQ(huggingface_url(""), "");
}

TEST(ShareLink, PercentCoding) {
  EXPECT_EQ(percent_encode("a/b c~"), "a%2Fb%20c~");
  EXPECT_EQ(percent_encode("a/b", true), "a/b");
  EXPECT_EQ(percent_decode("a%2Fb+c").value(), "a/b+c");
  EXPECT_FALSE(percent_decode("%").ok());
  EXPECT_FALSE(percent_decode("%4").ok());
}

// Every field of two links, doubles compared exactly.
::testing::AssertionResult same_link(const ShareLink& a, const ShareLink& b) {
  auto fail = [](const char* field) { return ::testing::AssertionFailure() << "field " << field << " differs"; };
  if (a.source != b.source) return fail("source");
  if (a.catalogue != b.catalogue) return fail("catalogue");
  if (a.rows != b.rows) return fail("rows");
  if (a.model != b.model) return fail("model");
  if (a.method != b.method) return fail("method");
  if (a.k != b.k) return fail("k");
  if (a.tasks != b.tasks || a.libraries != b.libraries || a.model_types != b.model_types) return fail("filters");
  if (a.compare != b.compare) return fail("compare");
  if (a.view != b.view) return fail("view");
  if (a.algo != b.algo) return fail("algo");
  if (a.features != b.features) return fail("features");
  if (a.cluster_k != b.cluster_k) return fail("cluster_k");
  if (a.eps != b.eps) return fail("eps");
  if (a.min_samples != b.min_samples) return fail("min_samples");
  if (a.seed != b.seed) return fail("seed");
  if (a.cut != b.cut) return fail("cut");
  if (a.focus != b.focus) return fail("focus");
  if (a.zoom != b.zoom) return fail("zoom");
  if (a.cx != b.cx || a.cy != b.cy) return fail("cx/cy");
  if (a.extra != b.extra) return fail("extra");
  return ::testing::AssertionSuccess();
}

// The keys a hash holds, %XX escapes decoded: what comes before the first '=' of each
// '&'-separated item (the test's own reading of the link syntax, to know what an error may name).
std::vector<std::string> keys_of(std::string_view h) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (!h.empty() && h[0] == '#') h.remove_prefix(1);
  std::vector<std::string> keys;
  for (size_t start = 0; start <= h.size();) {
    const size_t amp = std::min(h.find('&', start), h.size());
    const std::string_view item = h.substr(start, amp - start);
    start = amp + 1;
    if (item.empty()) continue;
    const std::string_view s = item.substr(0, item.find('='));
    std::string key;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
        key += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
        i += 2;
      } else {
        key += s[i];
      }
    }
    keys.push_back(key);
  }
  return keys;
}

// Seeded hostile links: known and unknown keys with valid, out-of-range and malformed values, bad
// escapes, control bytes, invalid UTF-8, stray '=' '&' '#', over-long keys, too many pairs, too
// many bytes, and plain byte noise. Whatever parse_share_link makes of one:
// - a link it accepts formats to a hash that parses to the same link, field for field, and formats
//   the same again; its catalogue source is an allowed URL;
// - an error names the parameter at fault ("parameter 'k': ..." for a key the input holds, or
//   "parameter name '...'" for a key that is not text), or is one of the two whole-link limits.
TEST(ShareLink, ParsedLinksRoundTripAndErrorsNameTheParameter) {
  // Values a key accepts (two of every decimal kind need all 17 digits to survive); each pair gets
  // one of its key's three times in four, else anything from `values`.
  const std::map<std::string, std::vector<std::string>> valid = {
      {"model", {"gpt2", "facebook/bart-large-cnn", "a%20b%2Fc%26d"}},
      {"method", {"cosine", "knn"}},
      {"compare", {"tfidf", "jaccard"}},
      {"k", {"1", "10", "100"}},
      {"task", {"text%20generation", "fill-mask"}},
      {"view", {"results", "clusters"}},
      {"algo", {"kmeans", "ward", "dbscan"}},
      {"features", {"attributes", "soup", "tfidf"}},
      {"ck", {"1", "100000"}},
      {"min_samples", {"5"}},
      {"seed", {"0", "18446744073709551615"}},
      {"eps", {"0.35", "0.30000000000000004", "1e-12", "1000"}},
      {"cut", {"0", "2.718281828459045", "1e12"}},
      {"focus", {"-1", "3"}},
      {"zoom", {"0.25", "0.33333333333333331", "100000"}},
      {"cx", {"-10", "0.1", "0.30000000000000004"}},
      {"cy", {"11", "0.625", "0.33333333333333331"}},
      {"src", {"https://example.org/a.csv?x=1%26y=2", "/data/a.csv"}},
      {"cat", {"data.csv"}},
      {"rows", {"10000", "0"}},
      {"future", {"x%20y", ""}}};
  std::vector<std::string> keys;
  for (const auto& [k, v] : valid) keys.push_back(k);
  for (const char* k : {"m", "library", "type", "x%20y", "%6Bey", "%zz", "%4", ""}) keys.push_back(k);
  keys.push_back(std::string(70, 'q'));
  const std::vector<std::string> values = {"gpt2",
                                           "bm25",
                                           "0",
                                           "101",
                                           "-1",
                                           "1e3",
                                           "1e9",
                                           "nan",
                                           "inf",
                                           "0x1p-2",
                                           "-0",
                                           "optics",
                                           "pixels",
                                           "18446744073709551616",
                                           "javascript:alert(1)",
                                           "//evil.example/a.csv",
                                           "%ff",
                                           "%0a",
                                           "%zz",
                                           "%4",
                                           "",
                                           "=",
                                           "x=y",
                                           "%C3%A9t%C3%A9",
                                           std::string(300, 'v')};
  std::mt19937_64 rng(19);
  size_t accepted = 0, refused = 0, named = 0;
  for (int round = 0; round < 6000; ++round) {
    std::string h = rng() % 2 ? "#" : "";
    const size_t pairs = round % 500 == 7 ? 201 : rng() % 6;
    for (size_t p = 0; p < pairs; ++p) {
      if (p) h += rng() % 20 ? "&" : "&&";
      const std::string& key = keys[rng() % keys.size()];
      h += key;
      auto ok = valid.find(key);
      if (ok != valid.end() && rng() % 4) h += "=" + ok->second[rng() % ok->second.size()];
      else if (rng() % 15) h += "=" + values[rng() % values.size()];
      if (rng() % 40 == 0) h += static_cast<char>(rng() % 256);  // a stray byte
    }
    if (round % 1000 == 3) h += std::string(17000, 'a');
    if (round % 97 == 0) {  // byte noise
      h.clear();
      for (size_t i = rng() % 64; i > 0; --i) h += static_cast<char>(rng() % 256);
    }
    SCOPED_TRACE(::testing::PrintToString(h.substr(0, 200)));
    auto p = parse_share_link(h, kOrigin);
    if (p.ok()) {
      ++accepted;
      if (!p.value().source.empty()) {
        EXPECT_TRUE(is_allowed_catalogue_url(p.value().source, kOrigin));
      }
      const std::string once = format_share_link(p.value());
      auto again = parse_share_link(once, kOrigin);
      ASSERT_TRUE(again.ok()) << once << ": " << again.error();
      EXPECT_TRUE(same_link(again.value(), p.value())) << once;
      EXPECT_EQ(format_share_link(again.value()), once);
      continue;
    }
    ++refused;
    const std::string& e = p.error();
    const size_t bytes = h.size() - (!h.empty() && h[0] == '#');
    if (e == "link too long: " + std::to_string(bytes) + " bytes (at most 16384)") {
      EXPECT_GT(bytes, 16384u);
      continue;
    }
    if (e == "link has more than 200 parameters") {
      EXPECT_GT(pairs, 200u);
      continue;
    }
    ++named;
    if (e.rfind("parameter name '", 0) == 0) continue;  // a key that is not text, quoted as written
    bool names_a_key = false;
    for (const std::string& k : keys_of(h)) names_a_key = names_a_key || e.rfind("parameter '" + k + "': ", 0) == 0;
    EXPECT_TRUE(names_a_key) << "the error names no parameter of the link: " << e;
  }
  // Both outcomes are common, so neither invariant holds vacuously.
  EXPECT_GT(accepted, 1000u);
  EXPECT_GT(named, 1000u);
  EXPECT_EQ(accepted + refused, 6000u);
}

// The writer writes only what the reader takes back (issue 16, item 10): a model id over 1,024
// bytes or with a control character, a catalogue name over 256 bytes and filter values past the
// link's 200 parameters are left out and named; the rest comes back with no problems.
TEST(ShareLink, TheWriterWritesOnlyWhatTheReaderTakes) {
  ShareLink l;
  l.model = std::string(1025, 'a');
  l.method = "cosine";
  l.catalogue = std::string(257, 'c');
  for (int i = 0; i < 250; ++i) l.tasks.push_back("task-" + std::to_string(i));
  l.view = "clusters";
  l.algo = "kmeans";
  l.cluster_k = 5;
  std::vector<std::string> left;
  const std::string hash = format_share_link(l, &left);
  auto parts = parse_share_link_parts(hash, "https://example.org");
  ASSERT_TRUE(parts.ok()) << parts.error();
  EXPECT_TRUE(parts.value().problems.empty());
  const ShareLink& got = parts.value().link;
  EXPECT_EQ(got.model, "");
  EXPECT_EQ(got.catalogue, "");
  EXPECT_EQ(got.method, "cosine");
  EXPECT_EQ(got.view, "clusters");
  EXPECT_EQ(got.cluster_k, 5);
  // 200 parameters: method, view, algo, ck and the first 196 tasks.
  ASSERT_EQ(got.tasks.size(), 196u);
  EXPECT_EQ(got.tasks.back(), "task-195");
  ASSERT_EQ(left.size(), 2u + 54u);
  EXPECT_EQ(left[0], "model");
  EXPECT_EQ(left[1], "cat");
  EXPECT_EQ(left[2], "task");
  // A control character in a model id: left out; an id of exactly 1,024 bytes goes in.
  ShareLink m;
  m.model = "a\x1b]0;x";
  left.clear();
  EXPECT_EQ(format_share_link(m, &left), "#");
  EXPECT_EQ(left, std::vector<std::string>{"model"});
  m.model = std::string(1024, 'b');
  left.clear();
  auto back = parse_share_link(format_share_link(m, &left), "https://example.org");
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back.value().model, m.model);
  EXPECT_TRUE(left.empty());
}

}  // namespace
}  // namespace hfrec

// Why in words (core/why.h): raw reasons traced to the query's metadata and said plainly.
#include "core/why.h"

#include <gtest/gtest.h>

#include "core/index.h"

namespace hfrec {
namespace {

// Three made-up rows: the first is the query in most tests.
const char* kCsv =
    "modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name\n"
    "org/alpha,,\"['transformers', 'arxiv:1810.04805', 'has_space', 'dataset:squad', 'license:mit', 'en']\","
    "fill-mask,org,['BertForMaskedLM'],bert,,10,transformers\n"
    "org/beta,,\"['transformers', 'arxiv:1810.04805', 'has_space', 'en']\",fill-mask,,['BertForMaskedLM'],bert,,5,\n"
    "other/gamma,,\"['text-classification']\",,,,,,1,\n";

Catalogue catalogue() {
  auto c = load_csv(kCsv, "why.csv");
  EXPECT_TRUE(c.ok()) << c.error();
  return std::move(c).value();
}

TEST(Why, ASoupTermIsTracedToTheTagItCameFrom) {
  const Catalogue cat = catalogue();
  EXPECT_EQ(trace_reasons(cat, 0, {"arxiv181004805"}), (std::vector<Reason>{{"paper", "arxiv:1810.04805"}}));
  EXPECT_EQ(trace_reasons(cat, 0, {"hasspace"}), (std::vector<Reason>{{"tag", "has_space"}}));
  EXPECT_EQ(trace_reasons(cat, 0, {"datasetsquad"}), (std::vector<Reason>{{"dataset", "squad"}}));
  EXPECT_EQ(trace_reasons(cat, 0, {"bertformaskedlm"}), (std::vector<Reason>{{"architecture", "BertForMaskedLM"}}));
  // The task is a value, tokenized without deleting its hyphen: "fill-mask" gives "fill" and "mask".
  EXPECT_EQ(trace_reasons(cat, 0, {"fill", "mask"}), (std::vector<Reason>{{"task", "fill-mask"}}));
  EXPECT_EQ(why_in_words(cat, 0, {"arxiv181004805", "hasspace", "transformers"}),
            "both cite arXiv:1810.04805 · both have a Space · both tagged “transformers” · same library: transformers");
  // Reasons about one field read as one, at most 3 values, where the first stood.
  EXPECT_EQ(why_in_words(cat, 0, {"transformers", "hasspace", "en", "arxiv181004805", "licensemit"}),
            "both tagged “transformers”, “en” · same library: transformers · both have a Space · both cite "
            "arXiv:1810.04805 · same licence: mit");
}

TEST(Why, NanNamesTheQuerysEmptyFields) {
  const Catalogue cat = catalogue();
  EXPECT_EQ(trace_reasons(cat, 1, {"nan"}), (std::vector<Reason>{{"missing", "author"}, {"missing", "library"}}));
  EXPECT_EQ(why_in_words(cat, 1, {"nan"}), "neither lists an author or a library");
  EXPECT_EQ(why_in_words(cat, 2, {"nan"}), "neither lists a task or an author or an architecture");
}

TEST(Why, AttributeLabelsAndHybridTermsAreSaidByField) {
  const Catalogue cat = catalogue();
  EXPECT_EQ(why_in_words(cat, 0, {"pipeline_tag=fill-mask", "library_name=transformers", "model_type=bert"}),
            "same task: fill-mask · same library: transformers · same model type: bert");
  // Architectures are the notebook's category of the whole list ("nan" when there is none).
  EXPECT_EQ(why_in_words(cat, 0, {"architectures='BertForMaskedLM', 'BertModel'", "architectures=nan"}),
            "same architecture: BertForMaskedLM, BertModel · neither lists an architecture");
  EXPECT_EQ(why_in_words(cat, 0,
                         {"tag:has_space (0.12)", "paper:arxiv:1810.04805 (0.40)", "ngram:^be+ber (0.05)",
                          "popularity (0.03)", "head:ForMaskedLM (0.2)"}),
            "both have a Space · both cite arXiv:1810.04805 · similar names · popular · same task head: ForMaskedLM");
}

// Hybrid's lower-cased terms are said as the query spells them: the head as in its architecture
// ("formaskedlm" of BertForMaskedLM), the shared 4-grams as the word of its name that holds most
// of them.
TEST(Why, HybridHeadsAndNameGramsAreSaidAsTheQuerySpellsThem) {
  const char* csv =
      "modelId,lastModified,tags,pipeline_tag,author,architectures,model_type,datasets,downloads,library_name\n"
      "google/bert-base-uncased,,,fill-mask,google,\"['BertModel', 'BertForMaskedLM']\",bert,,10,transformers\n"
      "gpt2,,,text-generation,,['GPT2LMHeadModel'],gpt2,,5,transformers\n";
  auto loaded = load_csv(csv, "why.csv");
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  const Catalogue& cat = loaded.value();
  EXPECT_EQ(trace_reasons(cat, 0, {"head:formaskedlm (0.19)"}), (std::vector<Reason>{{"head", "ForMaskedLM"}}));
  EXPECT_EQ(trace_reasons(cat, 1, {"head:lmheadmodel (0.19)"}), (std::vector<Reason>{{"head", "LMHeadModel"}}));
  EXPECT_EQ(trace_reasons(cat, 1, {"head:formaskedlm (0.19)"}), (std::vector<Reason>{{"head", "formaskedlm"}}));
  // "base" holds one of the grams, "uncased" three: the word with most of them.
  EXPECT_EQ(trace_reasons(cat, 0, {"ngram:ncas+unca+^bas+case (0.07)"}),
            (std::vector<Reason>{{"name_part", "uncased"}}));
  EXPECT_EQ(trace_reasons(cat, 0, {"ngram:^gpt+gpt2 (0.07)"}), (std::vector<Reason>{{"name", ""}}));
  EXPECT_EQ(why_in_words(cat, 0, {"head:formaskedlm (0.19)", "ngram:ncas+unca (0.07)", "ngram:^ber+bert (0.02)"}),
            "same task head: ForMaskedLM · similar names: “uncased”, “bert”");
  // A free-text query has no row to trace to.
  EXPECT_EQ(trace_reasons(cat, kMissing, {"ngram:ncas+unca (0.07)"}), (std::vector<Reason>{{"name", ""}}));
}

TEST(Why, AFreeTextQueryKeepsItsTermsAndAValueIsSaidOnce) {
  const Catalogue cat = catalogue();
  EXPECT_EQ(why_in_words(cat, kMissing, {"bert", "squad"}), "both mention “bert”, “squad”");
  EXPECT_EQ(trace_reasons(cat, 0, {"pipeline_tag=fill-mask", "fill", "mask"}),
            (std::vector<Reason>{{"task", "fill-mask"}}));
  EXPECT_EQ(why_in_words(cat, 0, {"a", "b", "c"}, 0), "");
}

// Every reason a cosine list gives for a model query comes from the query's own metadata: no term
// is left untraced (the soup's tokenizer and the tracer agree).
TEST(Why, EveryCosineReasonForAModelQueryIsTraced) {
  Index idx(catalogue());
  for (uint32_t q = 0; q < idx.catalogue().size(); ++q) {
    RecommendParams p;
    p.method = Method::cosine;
    p.k = 5;
    auto recs = idx.recommend(idx.catalogue().id(q), p);
    ASSERT_TRUE(recs.ok()) << recs.error();
    for (const auto& rec : recs.value()) {
      for (const Reason& r : trace_reasons(idx.catalogue(), q, rec.shared))
        EXPECT_NE(r.field, "term") << idx.catalogue().id(q) << " → " << r.value;
    }
  }
}

}  // namespace
}  // namespace hfrec

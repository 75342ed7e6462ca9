// The reference Cloud's compact stand-ins for the strings and documents it keeps for a whole run: each must give
// back exactly what it was given, since what the Cloud sends is built from them.
#include "cloud/compact_text.hpp"
#include "cloud/stored_json.hpp"
#include "util/timestamp.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

namespace i1sim::cloud::compact_text_test {
namespace {

TEST(CloudCompactText, SymReadsBackWhatItWasGivenAndEqualValuesShareOneCopy) {
  Sym a;
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.str(), "");
  a = "inProgress";
  Sym b(std::string("inProgress"));
  EXPECT_EQ(a.str(), "inProgress");
  EXPECT_TRUE(a == b);
  EXPECT_EQ(&a.str(), &b.str()); // one copy
  b = std::string("a product name longer than fifteen characters");
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(a == std::string_view("inProgress"));
  EXPECT_TRUE(a != "completed");
  const nlohmann::json j{{"state", a}};
  EXPECT_EQ(j.dump(), R"({"state":"inProgress"})");
}

TEST(CloudCompactText, StampGivesBackEveryTextExactly) {
  for (const double t : {0.0, 0.000001, 90.25, 86399.999999, 2'592'000.5, 123456.789012, -1.5}) {
    const std::string text = iso_timestamp(t);
    Stamp s;
    s = text;
    EXPECT_FALSE(s.empty());
    EXPECT_EQ(s.str(), text);
  }
  // Texts iso_timestamp() would not write are kept as they are, not normalised.
  for (const std::string text :
       {"2026-01-01T00:00:00Z", "not a time", "2026-01-01T00:00:00.0000001Z", "2026-13-01T00:00:00.000000Z",
        "2026-02-31T00:00:00.000000Z"}) { // the last one parses (as 3 March)
    Stamp s;
    s = text;
    EXPECT_EQ(s.str(), text);
    const Stamp copy = s;
    EXPECT_EQ(copy.str(), text);
  }
  Stamp none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none.str(), "");
  none = std::string();
  EXPECT_TRUE(none.empty());
  const nlohmann::json j = Stamp(none);
  EXPECT_EQ(j, "");
}

TEST(CloudCompactText, StoredJsonKeepsEqualTextsOnceAndGivesTheDocumentBack) {
  TextPool pool;
  const nlohmann::json doc = {{"serviceCharacteristic", {{{"name", "vCPU"}, {"value", 4}}}}, {"x", 0.1}};
  const StoredJson a(doc, pool);
  const StoredJson b(nlohmann::json::parse(doc.dump()), pool);
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(a.text().data(), b.text().data());
  EXPECT_EQ(a.text(), doc.dump());
  EXPECT_EQ(a.get(), doc);
  const StoredJson other(nlohmann::json::array(), pool);
  EXPECT_EQ(pool.size(), 2u);
  EXPECT_EQ(other.get(), nlohmann::json::array());
  const StoredJson null(nullptr, pool);
  EXPECT_TRUE(null.is_null());
  EXPECT_TRUE(null.get().is_null());
  EXPECT_EQ(pool.size(), 2u);
}

} // namespace
} // namespace i1sim::cloud::compact_text_test

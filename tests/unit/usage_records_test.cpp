// The accounting oracle's compact store of usage records: lookup, key order, and texts read back as written.
#include "conformance/oracles/accounting/accounting_oracle.hpp"

#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

namespace i1sim::conformance::accounting::usage_records_test {
namespace {

DeliveredUsage usage(const std::string& id, const std::string& service, const std::string& customer) {
  DeliveredUsage d;
  d.id = id;
  d.service = service;
  d.customer = customer;
  d.start_ms = 0;
  d.end_ms = 3'600'000;
  d.vcpu_ms = 7'200'000;
  d.ram_mib_ms = 1;
  d.storage_mib_ms = 2;
  d.amount = 42;
  return d;
}

TEST(UsageRecords, FindsEveryRecordAmongManyAndNeverMovesOne) {
  UsageRecords book;
  std::vector<const Record*> first_seen;
  std::vector<std::string> keys;
  for (int i = 0; i < 20'000; ++i) // enough to grow the index several times and fill several blocks
    keys.push_back(std::string(static_cast<std::size_t>(i % 37), 'k') + std::to_string(i));
  for (const auto& key : keys) {
    bool fresh = false;
    Record& r = book.find_or_add(key, fresh);
    ASSERT_TRUE(fresh) << key;
    r.amount = static_cast<std::int64_t>(key.size());
    first_seen.push_back(&r);
  }
  ASSERT_EQ(book.size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Record* found = book.find(keys[i]);
    ASSERT_EQ(found, first_seen[i]) << keys[i];
    EXPECT_EQ(book.key(*found), keys[i]);
    EXPECT_EQ(found->amount, static_cast<std::int64_t>(keys[i].size()));
    bool fresh = true;
    EXPECT_EQ(&book.find_or_add(keys[i], fresh), first_seen[i]);
    EXPECT_FALSE(fresh);
  }
  EXPECT_EQ(book.find("k-never-added"), nullptr);
  EXPECT_EQ(book.size(), keys.size());
}

TEST(UsageRecords, FindsNothingWhenEmpty) {
  const UsageRecords book;
  EXPECT_EQ(book.find("USG-0000001"), nullptr);
  EXPECT_TRUE(book.by_key().empty());
}

TEST(UsageRecords, ListsRecordsInTheOrderAMapOfTheirKeysWould) {
  UsageRecords book;
  std::map<std::string, int> expected;
  const std::vector<std::string> keys = {"USG-10", "USG-9",   "(no id, event 4)",  "usg-1",  "USG-1",
                                         "Z",      "USG-100", "\xc3\xa9t\xc3\xa9", "USG-1a", "A"};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    bool fresh = false;
    book.find_or_add(keys[i], fresh).first_event = i + 1;
    expected[keys[i]] = static_cast<int>(i + 1);
  }
  book.sort_by_key();
  ASSERT_EQ(book.by_key().size(), expected.size());
  std::size_t at = 0;
  for (const auto& [key, event] : expected) {
    EXPECT_EQ(book.key(*book.by_key()[at]), key);
    EXPECT_EQ(book.by_key()[at]->first_event, static_cast<std::uint64_t>(event));
    ++at;
  }
}

TEST(UsageRecords, ReadsServiceCustomerAndOperatorBackAsDelivered) {
  UsageRecords book;
  bool fresh = false;
  Record& a = book.find_or_add("USG-1", fresh);
  book.fill(a, usage("USG-1", "svc-a", "cust-1"), "", "op-x");
  Record& b = book.find_or_add("USG-2", fresh);
  book.fill(b, usage("USG-2", "svc-b", "cust-1"), "", "");
  EXPECT_EQ(book.service(a), "svc-a");
  EXPECT_EQ(book.service(b), "svc-b");
  EXPECT_EQ(book.customer(a), "cust-1");
  EXPECT_EQ(book.customer(b), "cust-1");
  EXPECT_EQ(book.op(a), "op-x");
  EXPECT_EQ(book.op(b), "");
  EXPECT_EQ(book.id(a), "USG-1");
  EXPECT_EQ(a.amount, 42);
  EXPECT_EQ(a.end_ms, 3'600'000);
}

TEST(UsageRecords, KeepsUsageDatesExactlyAsWritten) {
  const std::vector<std::string> dates = {
      "2026-01-02T00:00:00.000000Z", // the producer's own writing
      "2026-01-02T00:00:00Z",        // the same instant, written shorter
      "2026-01-02T00:00:00.000400Z", // finer than a millisecond
      "2025-12-31T23:00:00.000000Z", // before simulated time 0
      "yesterday",
      "",
  };
  UsageRecords book;
  for (std::size_t i = 0; i < dates.size(); ++i) {
    bool fresh = false;
    const std::string id = "USG-" + std::to_string(i);
    Record& r = book.find_or_add(id, fresh);
    book.fill(r, usage(id, "svc", "cust"), dates[i], "op");
  }
  for (std::size_t i = 0; i < dates.size(); ++i) {
    const Record& r = *book.find("USG-" + std::to_string(i));
    EXPECT_EQ(book.usage_date(r), dates[i]);
    EXPECT_EQ(book.has_usage_date(r), !dates[i].empty()) << dates[i];
    if (!dates[i].empty()) {
      EXPECT_EQ(book.usage_ms(r), iso_ms(dates[i])) << dates[i];
    }
  }
  EXPECT_EQ(book.usage_ms(*book.find("USG-0")), 86'400'000); // a day after 2026-01-01T00:00:00Z
}

TEST(UsageRecords, TellsARedeliveryThatDiffersInAnyField) {
  UsageRecords book;
  bool fresh = false;
  Record& r = book.find_or_add("USG-1", fresh);
  const DeliveredUsage first = usage("USG-1", "svc", "cust");
  book.fill(r, first, "2026-01-01T01:00:00.000000Z", "op");
  EXPECT_TRUE(book.same(r, first));
  DeliveredUsage d = first;
  d.service = "svc-2";
  EXPECT_FALSE(book.same(r, d));
  d = first;
  d.customer = "";
  EXPECT_FALSE(book.same(r, d));
  d = first;
  d.amount = 43;
  EXPECT_FALSE(book.same(r, d));
  d = first;
  d.storage_mib_ms = 3;
  EXPECT_FALSE(book.same(r, d));
  d = first;
  d.id = "";
  EXPECT_FALSE(book.same(r, d));

  // A record that named no id is kept under where it came, and reads as having no id.
  Record& anonymous = book.find_or_add("(no id, event 9)", fresh);
  DeliveredUsage none = usage("", "svc", "cust");
  book.fill(anonymous, none, "", "op");
  EXPECT_EQ(book.id(anonymous), "");
  EXPECT_EQ(book.key(anonymous), "(no id, event 9)");
  EXPECT_TRUE(book.same(anonymous, none));
  none.id = "(no id, event 9)";
  EXPECT_FALSE(book.same(anonymous, none));
}

TEST(UsageRecords, KeepsADateAtThePeriodsEndAsAFlagAndAnyOtherAsWritten) {
  UsageRecords book;
  const std::vector<std::string> dates = {
      "2026-01-01T01:00:00.000000Z", // the period's end (3,600,000 ms), as the producer writes it
      "2026-01-01T02:00:00.000000Z", // as the producer writes a date, but not the period's end
      "2026-01-01T01:00:00Z",        // the period's end, written otherwise
  };
  for (std::size_t i = 0; i < dates.size(); ++i) {
    bool fresh = false;
    const std::string id = "USG-" + std::to_string(i);
    book.fill(book.find_or_add(id, fresh), usage(id, "svc", "cust"), dates[i], "op");
  }
  const std::vector<std::int64_t> ms = {3'600'000, 7'200'000, 3'600'000};
  for (std::size_t i = 0; i < dates.size(); ++i) {
    const Record& r = *book.find("USG-" + std::to_string(i));
    EXPECT_EQ(book.usage_date(r), dates[i]);
    EXPECT_EQ(book.usage_ms(r), ms[i]) << dates[i];
    EXPECT_TRUE(book.has_usage_date(r));
  }
}

TEST(UsageRecords, FindsARecordByTheNameABillGivesItsId) {
  UsageRecords book;
  bool fresh = false;
  Record& r = book.find_or_add("USG-1", fresh);
  book.fill(r, usage("USG-1", "svc", "cust"), "", "op");
  EXPECT_EQ(book.find(book.name("USG-1")), &r);
  EXPECT_EQ(book.text(book.name("USG-1")), "USG-1");
  EXPECT_EQ(book.find(book.name("USG-2")), nullptr); // billed, never delivered
  EXPECT_EQ(book.find(book.name("svc")), nullptr);   // a name, but no record's
  EXPECT_EQ(book.find(std::uint32_t{1'000'000}), nullptr);
  Record& later = book.find_or_add("USG-2", fresh); // delivered after the bill named it
  EXPECT_TRUE(fresh);
  EXPECT_EQ(book.find(book.name("USG-2")), &later);
}

} // namespace
} // namespace i1sim::conformance::accounting::usage_records_test

// The Telecom OSS finds the request an answer belongs to by the number in its correlation id (an array index
// instead of a map of every correlation id ever sent): only the exact spelling it sent may be recognised, or a
// foreign or mangled id would be taken for one of its requests instead of reported as response.unexpected.
#include "telecom/telecom.hpp"

#include <gtest/gtest.h>

namespace i1sim::telecom::request_numbers_test {
namespace {

TEST(RequestNumbers, EveryCorrelationIdSentGivesBackItsNumber) {
  for (const std::uint64_t n : {1ULL, 7ULL, 42ULL, 9999999ULL, 10000000ULL, 123456789012ULL}) {
    EXPECT_EQ(request_number(request_corr(n)), n) << request_corr(n);
  }
  EXPECT_EQ(request_corr(1), "REQ-0000001");
  EXPECT_EQ(request_corr(12345678), "REQ-12345678");
}

TEST(RequestNumbers, OtherSpellingsAreNoRequestOfTheOss) {
  for (const char* corr :
       {"", "REQ-", "REQ-0000000", "REQ-000001", "REQ-00000001", "REQ-01234567", "REQ-000000x", "REQ-0000001 ",
        "req-0000001", "PRB-000001", "XREQ-0000001", "REQ--000001", "REQ-0000000000000000001", "REQ-+000001"}) {
    EXPECT_EQ(request_number(corr), 0U) << '"' << corr << '"';
  }
}

} // namespace
} // namespace i1sim::telecom::request_numbers_test

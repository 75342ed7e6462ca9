// The bill oracle moved into the product (conformance/oracles/bill_oracle.hpp); this keeps the tests' old name.
#pragma once

#include "conformance/oracles/bill_oracle.hpp"

namespace i1sim::test {

using conformance::bill_differences;
using conformance::BillDifference;
using conformance::BillKey;
using conformance::difference_table;
using conformance::expected_bills;
using conformance::expected_usage;
using conformance::ExpectedBill;
using conformance::ExpectedUsage;
using conformance::issued_bills;
using conformance::usage_differences;
using conformance::UsageDifference;

} // namespace i1sim::test

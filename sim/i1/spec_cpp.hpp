// Renders the I1 specification as a public C++ header of constexpr tables, so the code's message model is
// derived from the specification instead of restating it (`i1sim spec cpp` writes sim/include/i1sim/i1_v1.hpp).
#pragma once

#include "i1/spec.hpp"

#include <string>

namespace i1sim::spec {

/// A self-contained C++20 header, namespace i1sim::v<major>: the version, one constant per operation,
/// notification and enum value, and tables of the operations (with their REST binding), notifications, enums,
/// types (fields with type text and mandatory flag) and state machines; op::find and event::find look an
/// operation or a notification up by name. Only std::string_view, std::array, std::span and small structs: no
/// heap, usable in constant expressions. Deterministic, in the order the specification is written, one entry a
/// line, and fenced with clang-format off/on so that formatting the repository leaves it as generated.
///
/// A name that is a C++ keyword (or a name the header itself uses in that scope, such as `values`) gets a
/// trailing underscore: ItemActionType::delete_. Other characters an identifier cannot hold become '_'.
/// Throws SpecError (file:line:col) when two names of one scope would become the same identifier, or when a
/// name is empty; nothing is rendered then.
std::string render_cpp_header(const Spec& spec);

} // namespace i1sim::spec

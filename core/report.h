// SPDX-License-Identifier: MIT
#pragma once

#include "evaluate.h"
#include "formula.h"

namespace paramscope::core {

/// "124,439,808"
std::string groupDigits(Count n);
/// "124.44M", "4.30B", "1,536" below ten thousand.
std::string compactCount(Count n);

/// A design with its numbers: everything the reports and views show, computed once.
struct Counted {
    Design design;
    Evaluation evaluation;
    std::vector<NodeFormula> formulas;
};
/// Compiles (if needed), evaluates and derives formulas; the Error is the evaluation's.
Result<Counted> count(Design design);

/// One node as a table row, in pre-order.
struct Row {
    const Module* module = nullptr;
    int depth = 0;
    std::string label; ///< "wte", or "0-11" for a repeated list entry
    std::string shape; ///< "Embedding(50257, 768)", "12 x GPT2Block", "GPT2Model"
    Count count = 0; ///< for one copy of every enclosing repeated block
    Count overall = 0; ///< across all copies of enclosing blocks: what it adds to the total
    Count multiplicity = 1; ///< copies of enclosing blocks; INT64_MAX when that does not fit (only
                            ///< for a node that counts nothing, since overall is part of the total)
    double share = 0; ///< overall / total
};

/// Shape as PyTorch prints it: "Linear(in_features=768, out_features=2304, bias=True)".
std::string shapeText(const Module& m, const NodeValue& v);
/// Label a node is printed with: its name, or its index range "0-11" for a repeated entry.
std::string labelText(const Module& m, const NodeValue& v);

/// The table rows of @p c (overall counts never exceed the total, so they cannot overflow).
std::vector<Row> rows(const Counted& c);

/// Output formats of `paramscope-cli count`.
enum class Format { Text, Json, Csv, Markdown, Latex };
std::optional<Format> parseFormat(std::string_view name);
std::string report(const Counted& c, Format format);

} // namespace paramscope::core

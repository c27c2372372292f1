// SPDX-License-Identifier: MIT
#pragma once

#include "breakdown.h"
#include "report.h"

#include <optional>
#include <string>
#include <vector>

namespace paramscope::core {

/// One figure of two designs: A's, B's, and what they share.
struct ComparedCount {
    std::optional<Count> a; ///< nullopt where A has no such part
    std::optional<Count> b;

    /// b − a (a missing side counts 0). Exact: both are counts of at most 2^63 − 1.
    Count difference() const { return b.value_or(0) - a.value_or(0); }
    /// b / a, or nullopt when a is missing or 0.
    std::optional<double> ratio() const;
};

/// A module of either design, matched by its path ("transformer.h.*.attn"; a second unnamed
/// run under one list is "*#2").
struct ComparedModule {
    std::string key;
    std::string label; ///< "attn", "0-11" (A's where A has it)
    int depth = 0;
    std::string moduleA, moduleB; ///< the classes, empty on the side that lacks it
    ComparedCount count; ///< one copy of every enclosing repeated block
    ComparedCount overall; ///< across all copies: what it adds to the total
};

/// A component (attention, MLP, experts …), matched by role: what tells apart designs whose
/// modules are named differently (Llama's mlp, Mixtral's block_sparse_moe).
struct ComparedComponent {
    Component component;
    ComparedCount count;
};

/// A hyperparameter of either design whose value differs (or that only one has).
struct ComparedSymbol {
    std::string name;
    std::optional<Count> a, b;
    std::string description;
};

/// Two designs side by side.
struct Comparison {
    std::string nameA, nameB;
    ComparedCount total, nonEmbedding;
    std::optional<ComparedCount> active; ///< when either routes experts
    std::vector<ComparedSymbol> hyperparameters; ///< those that differ, in A's order then B's
    std::vector<ComparedComponent> components; ///< those either design has
    std::vector<ComparedModule> modules; ///< A's tree order, B's extra modules after their neighbours
};

/// Compares @p a with @p b (B − A, B / A).
Result<Comparison> compare(const Counted& a, const Counted& b);

/// "+230,383,360", "−788,529,152", "0".
std::string signedCount(Count n);
/// "2.85×", or "—" when there is no ratio.
std::string ratioText(const std::optional<double>& r);

/// The comparison as `paramscope-cli diff` prints it (text, json, csv, markdown, latex).
std::string compareReport(const Comparison& c, Format format);

} // namespace paramscope::core

// SPDX-License-Identifier: MIT
#pragma once

#include "report.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace paramscope::core {

/// What a derivation reads: a compiled design, its evaluation and its formulas, held elsewhere (a
/// Counted, or the app's document, which keeps them apart and must not copy a design per slider step).
struct CountedRef {
    const Design& design;
    const Evaluation& evaluation;
    const std::vector<NodeFormula>& formulas;

    CountedRef(const Counted& c) // NOLINT(google-explicit-constructor): a Counted is one
        : design(c.design)
        , evaluation(c.evaluation)
        , formulas(c.formulas)
    {
    }
    CountedRef(const Design& d, const Evaluation& e, const std::vector<NodeFormula>& f)
        : design(d)
        , evaluation(e)
        , formulas(f)
    {
    }
};

/// A module found by a dotted path as a user writes it.
struct ResolvedPath {
    const Module* module = nullptr;
    std::string shown; ///< the path as asked, normalised ("transformer.h.0.attn")
    std::string canonical; ///< Design::path() ("transformer.h.*.attn")
};

/// Finds the module at @p path in @p c: names separated by dots, where a repeated list entry is
/// `*`, its index range (`0-11`) or any layer index in it (`transformer.h.5.attn`). The empty
/// path is the root. The Error names the path asked and the nearest module that does exist
/// (and the closest child name, when one is close), so that a typo says how to fix it.
Result<ResolvedPath> resolvePath(const CountedRef& c, std::string_view path);

/// One line of a derivation: an equation that ends in an exact count.
struct DerivationStep {
    enum class Kind {
        Formula, ///< the formula of one copy, its values, the result: 4E² + 4E = 4·768² + 4·768 = 2,362,368
        Tensor, ///< a leaf's shape: nf·nx + nf = 2304 × 768 + 2304 = 1,771,776
        Children, ///< a container's children added up: c_attn + c_proj = 1,771,776 + 590,592 = …
        Copies, ///< a repeated block: L × 7,087,872 = 12 × 7,087,872 = 85,054,464
        Active, ///< routed experts, per token: Xk × each = 2 × … = …
        Shared, ///< a tied leaf: its weight is counted where it lives
    };
    Kind kind = Kind::Formula;
    /// Formula, Tensor, Copies, Active: an ASCII expression ("4*E^2 + 4*E", "L", "nf*nx + nf");
    /// Shared: the path of the module whose weight is shared.
    std::string formula;
    /// The value of each name in formula (symbols, or a leaf's argument names).
    std::map<std::string, Count> values;
    /// Children: (label, count) of each child; Copies and Active: ("", count of one copy).
    std::vector<std::pair<std::string, Count>> parts;
    Count result = 0;
};

/// Where a node's count comes from, step by step, at the current hyperparameter values.
struct Derivation {
    std::string path; ///< as asked ("transformer.h.0.attn"); empty for the root
    std::string canonical; ///< "transformer.h.*.attn"
    std::string title; ///< "attn: GPT2Attention", "GPT2LMHeadModel", "h.0-11: 12 × GPT2Block"
    std::string module; ///< the class ("GPT2Attention")
    std::string shape; ///< as PyTorch prints it
    Count count = 0; ///< what the node holds, its own copies included (one copy of enclosing blocks)
    Count overall = 0; ///< across all copies of enclosing blocks: what it adds to the total
    Count multiplicity = 1; ///< copies of the enclosing blocks
    Count total = 0; ///< the design's total
    std::string where; ///< derived symbols the formula substituted ("F = 4*E"), if any
    std::string formulaError; ///< why no formula is shown (too large), if so; the count is exact
    std::vector<DerivationStep> steps;
};

/// The derivation of @p m in @p c (which must belong to it).
Derivation derive(const CountedRef& c, const Module& m, std::string path = {});
/// The derivation of the module at @p path (see resolvePath()).
Result<Derivation> derive(const CountedRef& c, std::string_view path);

/// How a derivation is written out.
enum class DerivationFormat { Text, Markdown, Latex, Json };
std::optional<DerivationFormat> parseDerivationFormat(std::string_view name);

/// One step as one line of Unicode text: "4E² + 4E = 4·768² + 4·768 = 2,362,368".
std::string stepText(const DerivationStep& s);
/// The same as LaTeX math (no $ around it): "4E^{2} + 4E = 4 \cdot 768^{2} + … = 2{,}362{,}368".
std::string stepLatex(const DerivationStep& s);
/// What a step stands for, for a label in front of it: "one copy", "children", "12 copies" …
std::string stepLabel(const DerivationStep& s);

/// The whole derivation in @p format (text for a terminal, Markdown and LaTeX for notes and slides,
/// JSON for programs).
std::string renderDerivation(const Derivation& d, DerivationFormat format);

} // namespace paramscope::core

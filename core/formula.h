// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"
#include "polynomial.h"

namespace paramscope::core {

/// A count formula as a reader wants it: a sum whose repeated parts stay grouped,
/// "VE + PE + L(12E² + 13E) + 2E", and whose other terms are merged and simplified.
class Formula {
public:
    Formula() = default;
    explicit Formula(const Polynomial& p);

    /// The sum, like terms merged, repeated groups with the same multiplier merged.
    static Result<Formula> add(const Formula& a, const Formula& b);
    /// @p copies × this: "L(12E² + 13E)"; a single term simply multiplies ("LE").
    Result<Formula> repeated(const Polynomial& copies) const;
    /// Everything multiplied out.
    Result<Polynomial> expanded() const;

    std::string format(const FormulaStyle& style) const;

private:
    struct Item {
        Polynomial multiplier; ///< constant 1 for a plain term
        Polynomial body; ///< one term when plain
    };
    bool hasGroups() const;
    Status merge(const Item& item);

    std::vector<Item> m_items;
};

/// The formulas of one node, in the hyperparameters left after substituting derived ones.
struct NodeFormula {
    std::string each; ///< one copy ("12E² + 13E")
    std::string total; ///< all copies ("L(12E² + 13E)"); equals each when not repeated
    std::string eachAscii; ///< the same in ASCII ("12*E^2 + 13*E")
    std::string totalAscii;
    std::string where; ///< derived hyperparameters that were substituted ("D = E/H"), if any
    Polynomial polynomial; ///< total, multiplied out (for checks and sweeps)
    bool ok = true; ///< false when there is no formula to show (the count is still exact)
    std::string error; ///< when not ok, why: "formula too large to show: more than 1000 terms"
};

/// Formulas of every node (by Module::index). They depend only on the structure: recompute
/// after an edit, not after a value change. @p design must be compiled.
std::vector<NodeFormula> computeFormulas(const Design& design);

/// Each hyperparameter as a polynomial in the set ones (derived ones substituted where that
/// stays a Laurent polynomial; otherwise kept as their own symbol).
std::vector<Polynomial> symbolAtoms(const Design& design);

/// @p p collected by powers of the symbol @p x, highest first: "12L·E² + (V + P + 13L + 2)·E".
std::string formatCollected(const Polynomial& p, int x, const FormulaStyle& style);

} // namespace paramscope::core

// SPDX-License-Identifier: MIT
#pragma once

#include "checked.h"
#include "result.h"

#include <map>
#include <span>
#include <string>
#include <vector>

namespace paramscope::core {

/// Largest number of terms a formula may have: beyond it a formula is unreadable, and
/// refusing it bounds the work of a product (kMaxFormulaTerms² partial products).
inline constexpr std::size_t kMaxFormulaTerms = 1000;
/// Largest exponent of a symbol in a formula (E^64); more than any architecture needs, and
/// a value of 2 or more raised to it would overflow 64 bits anyway.
inline constexpr int kMaxFormulaExponent = 64;

/// An exact fraction num/den with den > 0, in lowest terms.
struct Rational {
    Count num = 0;
    Count den = 1;

    static std::optional<Rational> make(Count num, Count den);
    bool isZero() const { return num == 0; }
    bool operator==(const Rational&) const = default;
};

/// A product of symbols with integer (possibly negative) exponents: {symbol index -> exponent},
/// sorted by index, no zero exponents.
using Monomial = std::vector<std::pair<int, int>>;

/// A Laurent polynomial with rational coefficients over symbol indices. Formulas are these:
/// derived symbols substitute in and cancel (H · (E/H) · E = E²). Any overflow of a coefficient
/// fails the operation rather than giving a wrong formula, and so does a result with more than
/// kMaxFormulaTerms terms or an exponent beyond ±kMaxFormulaExponent.
class Polynomial {
public:
    Polynomial() = default;
    static Polynomial constant(Count c);
    static Polynomial symbol(int index);

    bool isZero() const { return m_terms.empty(); }
    /// Exactly one term.
    bool isMonomial() const { return m_terms.size() == 1; }
    /// Has a negative exponent somewhere.
    bool isLaurent() const;
    const std::map<Monomial, Rational>& terms() const { return m_terms; }

    static Result<Polynomial> add(const Polynomial& a, const Polynomial& b);
    static Result<Polynomial> sub(const Polynomial& a, const Polynomial& b);
    static Result<Polynomial> mul(const Polynomial& a, const Polynomial& b);
    /// Division by a single term only.
    static Result<Polynomial> div(const Polynomial& a, const Polynomial& b);
    static Result<Polynomial> pow(const Polynomial& a, Count exponent);
    Result<Polynomial> negated() const;

    /// Replaces symbol @p index by @p value everywhere (value must not be Laurent where the
    /// exponent is negative unless it is a monomial).
    Result<Polynomial> substitute(int index, const Polynomial& value) const;

    /// Exact value at @p values (indices into it); fails on overflow or a non-integer result.
    Result<Count> evaluate(std::span<const Count> values) const;

    bool operator==(const Polynomial&) const = default;

private:
    bool accumulate(Monomial m, const Rational& c);

    std::map<Monomial, Rational> m_terms; // no zero coefficients
};

/// How formulas are written: the symbols' names by index, and the reading order
/// (symbols first by the order they are declared).
struct FormulaStyle {
    std::span<const std::string> names;
    bool ascii = false; ///< "4*E^2 + 4*E" instead of "4E² + 4E"
};

/// "12E² + 13E": terms by falling degree, then by declaration order; negative exponents
/// as a quotient ("KE²/H").
std::string formatPolynomial(const Polynomial& p, const FormulaStyle& style);

/// One term's monomial part, e.g. "E²" or "VE"; empty for the constant term.
std::string formatMonomial(const Monomial& m, const FormulaStyle& style, bool withDenominator = true);

} // namespace paramscope::core

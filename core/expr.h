// SPDX-License-Identifier: MIT
#pragma once

#include "checked.h"
#include "result.h"

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace paramscope::core {

class Polynomial;

/// An integer expression over named hyperparameters: literals, names, + - * / ^ and parentheses.
/// Division is exact (a remainder is an error naming both sides); ^ takes a literal exponent
/// (at most 16) and binds tighter than unary minus: -E^2 is -(E^2).
/// Kept as postfix code so that it copies cheaply and evaluates without recursion.
class Expr {
public:
    Expr() = default;

    /// Parses @p text; the error says at which character and why.
    static Result<Expr> parse(const std::string& text);
    /// A literal.
    static Expr constant(Count value);

    const std::string& text() const { return m_text; }
    bool isEmpty() const { return m_code.empty(); }
    /// The literal value when the expression is a plain number.
    std::optional<Count> constantValue() const;

    /// Names used, in order of first appearance.
    std::vector<std::string> names() const;
    /// Resolves each name to an index into the values that evaluate() is given;
    /// @p lookup returns -1 for an unknown name, which is then reported.
    Status bind(const std::function<int(const std::string&)>& lookup);

    /// Exact value for bound names. Errors: overflow, inexact or zero division, negative exponent.
    Result<Count> evaluate(std::span<const Count> values) const;

    /// The expression as a Laurent polynomial in the bound indices, with each index replaced
    /// by @p atoms[index]. Fails only when a division is by something that is not a monomial.
    Result<Polynomial> toPolynomial(std::span<const Polynomial> atoms) const;

    bool operator==(const Expr& other) const { return m_text == other.m_text; }

private:
    enum class Op : unsigned char { Const, Name, Add, Sub, Mul, Div, Neg, Pow };
    struct Instr {
        Instr(Op o, Count v = 0)
            : op(o)
            , value(v)
        {
        }
        Op op;
        Count value = 0; // Const: the literal; Pow: the exponent
        int index = -1; // Name: the bound index
        std::string name; // Name: the symbol; Div: the numerator's source text
        std::string rhs; // Div: the denominator's source text
    };
    friend class ExprParser;

    std::string m_text;
    std::vector<Instr> m_code;
};

} // namespace paramscope::core

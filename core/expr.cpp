// SPDX-License-Identifier: MIT
#include "expr.h"

#include "polynomial.h"

#include <algorithm>
#include <cctype>

namespace paramscope::core {

namespace {
constexpr std::size_t kMaxLength = 1000;
constexpr int kMaxDepth = 64;
} // namespace

/// Recursive descent over: sum := term (('+'|'-') term)*; term := unary (('*'|'/') unary)*;
/// unary := '-' unary | power; power := atom ('^' integer)?; atom := integer | name | '(' sum ')'.
/// Unary minus binds looser than '^', as in mathematics: -E^2 is -(E^2).
/// Depth is bounded so a hostile "((((…" or "----…" cannot exhaust the stack.
class ExprParser {
public:
    explicit ExprParser(const std::string& text)
        : m_text(text)
    {
    }

    Result<Expr> run()
    {
        Expr e;
        e.m_text = m_text;
        if (m_text.size() > kMaxLength)
            return Error { "", "expression longer than " + std::to_string(kMaxLength) + " characters" };
        skipSpace();
        if (atEnd())
            return Error { "", "empty expression" };
        if (!sum(e.m_code))
            return m_error;
        skipSpace();
        if (!atEnd()) {
            fail("unexpected '" + std::string(1, m_text[m_pos]) + "'");
            return m_error;
        }
        return e;
    }

private:
    using Code = std::vector<Expr::Instr>;

    bool atEnd() const { return m_pos >= m_text.size(); }
    void skipSpace()
    {
        while (!atEnd() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }
    bool fail(const std::string& what)
    {
        m_error
            = Error { "", "in expression '" + m_text + "' at character " + std::to_string(m_pos + 1) + ": " + what };
        return false;
    }
    bool peek(char c)
    {
        skipSpace();
        return !atEnd() && m_text[m_pos] == c;
    }

    bool sum(Code& code)
    {
        if (!term(code))
            return false;
        while (peek('+') || peek('-')) {
            const bool plus = m_text[m_pos++] == '+';
            if (!term(code))
                return false;
            code.push_back({ plus ? Expr::Op::Add : Expr::Op::Sub });
        }
        return true;
    }

    bool term(Code& code)
    {
        skipSpace();
        const std::size_t start = m_pos;
        if (!unary(code))
            return false;
        while (peek('*') || peek('/')) {
            const bool times = m_text[m_pos++] == '*';
            if (times) {
                if (!unary(code))
                    return false;
                code.push_back({ Expr::Op::Mul });
                continue;
            }
            // Division keeps both sides' text for its "not divisible" message.
            const std::size_t lhsEnd = m_pos - 1;
            skipSpace();
            const std::size_t rhsBegin = m_pos;
            if (!unary(code))
                return false;
            Expr::Instr div { Expr::Op::Div };
            div.name = trimmed(start, lhsEnd);
            div.rhs = trimmed(rhsBegin, m_pos);
            code.push_back(div);
        }
        return true;
    }

    bool power(Code& code)
    {
        if (!atom(code))
            return false;
        if (!peek('^'))
            return true;
        ++m_pos;
        skipSpace();
        Count exponent = 0;
        if (!integer(exponent))
            return fail("'^' needs a whole-number exponent");
        if (exponent > 16)
            return fail("exponent above 16");
        code.push_back({ Expr::Op::Pow, exponent });
        return true;
    }

    bool unary(Code& code)
    {
        skipSpace();
        if (peek('-')) {
            if (++m_depth > kMaxDepth)
                return fail("more than " + std::to_string(kMaxDepth) + " signs in a row");
            ++m_pos;
            if (!unary(code))
                return false;
            --m_depth;
            code.push_back({ Expr::Op::Neg });
            return true;
        }
        return power(code);
    }

    bool atom(Code& code)
    {
        skipSpace();
        if (atEnd())
            return fail("expression ends too early");
        const char c = m_text[m_pos];
        if (c == '(') {
            if (++m_depth > kMaxDepth)
                return fail("parentheses nested deeper than " + std::to_string(kMaxDepth));
            ++m_pos;
            if (!sum(code))
                return false;
            if (!peek(')'))
                return fail("missing ')'");
            ++m_pos;
            --m_depth;
            return true;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            Count value = 0;
            if (!integer(value))
                return false;
            code.push_back({ Expr::Op::Const, value });
            return true;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            const std::size_t start = m_pos;
            while (!atEnd() && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'))
                ++m_pos;
            Expr::Instr name { Expr::Op::Name };
            name.name = m_text.substr(start, m_pos - start);
            code.push_back(name);
            return true;
        }
        return fail("unexpected '" + std::string(1, c) + "'");
    }

    bool integer(Count& value)
    {
        if (atEnd() || !std::isdigit(static_cast<unsigned char>(m_text[m_pos])))
            return fail("expected a number");
        value = 0;
        while (!atEnd() && std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
            auto next = checkedMul(value, 10);
            next = next ? checkedAdd(*next, m_text[m_pos] - '0') : std::nullopt;
            if (!next)
                return fail("number too large for 64 bits");
            value = *next;
            ++m_pos;
        }
        if (!atEnd() && (std::isalpha(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'))
            return fail("a number runs into a name (write 4*E, not 4E)");
        return true;
    }

    std::string trimmed(std::size_t from, std::size_t to) const
    {
        while (from < to && std::isspace(static_cast<unsigned char>(m_text[from])))
            ++from;
        while (to > from && std::isspace(static_cast<unsigned char>(m_text[to - 1])))
            --to;
        return m_text.substr(from, to - from);
    }

    const std::string& m_text;
    std::size_t m_pos = 0;
    int m_depth = 0;
    Error m_error;
};

Result<Expr> Expr::parse(const std::string& text)
{
    return ExprParser(text).run();
}

Expr Expr::constant(Count value)
{
    Expr e;
    e.m_text = std::to_string(value);
    e.m_code.push_back({ Op::Const, value });
    return e;
}

std::optional<Count> Expr::constantValue() const
{
    if (m_code.size() == 1 && m_code[0].op == Op::Const)
        return m_code[0].value;
    return std::nullopt;
}

std::vector<std::string> Expr::names() const
{
    std::vector<std::string> out;
    for (const auto& i : m_code)
        if (i.op == Op::Name && std::find(out.begin(), out.end(), i.name) == out.end())
            out.push_back(i.name);
    return out;
}

Status Expr::bind(const std::function<int(const std::string&)>& lookup)
{
    for (auto& i : m_code) {
        if (i.op != Op::Name)
            continue;
        i.index = lookup(i.name);
        if (i.index < 0)
            return Error { "", "unknown hyperparameter '" + i.name + "' in '" + m_text + "'" };
    }
    return Ok {};
}

Result<Count> Expr::evaluate(std::span<const Count> values) const
{
    // Postfix code: a small fixed stack suffices for any expression we accept in practice.
    Count stack[256];
    int top = 0;
    auto overflow = [this] { return Error { "", "'" + m_text + "' overflows 64 bits" }; };
    for (const auto& i : m_code) {
        switch (i.op) {
        case Op::Const:
        case Op::Name:
            if (top == 256)
                return Error { "", "'" + m_text + "' is too complex to evaluate" };
            if (i.op == Op::Name && (i.index < 0 || static_cast<std::size_t>(i.index) >= values.size()))
                return Error { "", "'" + i.name + "' has no value in '" + m_text + "'" };
            stack[top++] = i.op == Op::Const ? i.value : values[static_cast<std::size_t>(i.index)];
            break;
        case Op::Neg:
            if (stack[top - 1] == INT64_MIN)
                return overflow();
            stack[top - 1] = -stack[top - 1];
            break;
        case Op::Pow: {
            Count r = 1;
            for (Count k = 0; k < i.value; ++k) {
                auto next = checkedMul(r, stack[top - 1]);
                if (!next)
                    return overflow();
                r = *next;
            }
            stack[top - 1] = r;
            break;
        }
        default: {
            const Count b = stack[--top];
            const Count a = stack[top - 1];
            std::optional<Count> r;
            if (i.op == Op::Add)
                r = checkedAdd(a, b);
            else if (i.op == Op::Sub)
                r = checkedSub(a, b);
            else if (i.op == Op::Mul)
                r = checkedMul(a, b);
            else {
                if (b == 0)
                    return Error { "", "division by zero: " + i.rhs + " = 0 in '" + m_text + "'" };
                // Before the remainder: INT64_MIN % -1 traps (SIGFPE) just as INT64_MIN / -1 does.
                if (a == INT64_MIN && b == -1)
                    return overflow();
                if (a % b != 0)
                    return Error { "",
                        i.name + " = " + std::to_string(a) + " is not divisible by " + i.rhs + " = " + std::to_string(b)
                            + " (in " + m_text + ")" };
                r = a / b;
            }
            if (!r)
                return overflow();
            stack[top - 1] = *r;
        }
        }
    }
    return stack[0];
}

Result<Polynomial> Expr::toPolynomial(std::span<const Polynomial> atoms) const
{
    std::vector<Polynomial> stack;
    for (const auto& i : m_code) {
        if (i.op == Op::Const) {
            stack.push_back(Polynomial::constant(i.value));
            continue;
        }
        if (i.op == Op::Name) {
            stack.push_back(atoms[static_cast<std::size_t>(i.index)]);
            continue;
        }
        if (i.op == Op::Neg || i.op == Op::Pow) {
            auto r = i.op == Op::Neg ? stack.back().negated() : Polynomial::pow(stack.back(), i.value);
            if (!r)
                return r.error();
            stack.back() = std::move(*r);
            continue;
        }
        Polynomial b = std::move(stack.back());
        stack.pop_back();
        Polynomial& a = stack.back();
        auto r = i.op == Op::Add ? Polynomial::add(a, b)
            : i.op == Op::Sub    ? Polynomial::sub(a, b)
            : i.op == Op::Mul    ? Polynomial::mul(a, b)
                                 : Polynomial::div(a, b);
        if (!r)
            return r.error();
        a = std::move(*r);
    }
    return stack.back();
}

} // namespace paramscope::core

// SPDX-License-Identifier: MIT
#include "polynomial.h"

#include <algorithm>
#include <numeric>

namespace paramscope::core {

namespace {

const Error kOverflow { "", "formula coefficient overflows 64 bits" };
const Error kTooManyTerms { "", "formula has more than " + std::to_string(kMaxFormulaTerms) + " terms" };
const Error kExponentTooLarge { "", "formula has an exponent above " + std::to_string(kMaxFormulaExponent) };

/// |n| without overflow, also for INT64_MIN.
std::uint64_t magnitude(Count n)
{
    return n < 0 ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
}

std::optional<Rational> addR(Rational a, Rational b)
{
    // a/b + c/d = (a*d + c*b) / (b*d)
    auto ad = checkedMul(a.num, b.den);
    auto cb = checkedMul(b.num, a.den);
    auto bd = checkedMul(a.den, b.den);
    if (!ad || !cb || !bd)
        return std::nullopt;
    auto n = checkedAdd(*ad, *cb);
    if (!n)
        return std::nullopt;
    return Rational::make(*n, *bd);
}

std::optional<Rational> mulR(Rational a, Rational b)
{
    auto n = checkedMul(a.num, b.num);
    auto d = checkedMul(a.den, b.den);
    if (!n || !d)
        return std::nullopt;
    return Rational::make(*n, *d);
}

/// a·b (or a/b with @p sign -1); fails when an exponent leaves ±kMaxFormulaExponent, which
/// also keeps the int exponents far from overflow however often they are multiplied.
std::optional<Monomial> mulM(const Monomial& a, const Monomial& b, int sign = 1)
{
    Monomial r;
    r.reserve(a.size() + b.size());
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() || j != b.end()) {
        if (j == b.end() || (i != a.end() && i->first < j->first)) {
            r.push_back(*i++);
        } else if (i == a.end() || j->first < i->first) {
            r.push_back({ j->first, sign * j->second });
            ++j;
        } else {
            const int e = i->second + sign * j->second;
            if (e != 0)
                r.push_back({ i->first, e });
            ++i;
            ++j;
        }
    }
    for (const auto& [_, e] : r)
        if (e > kMaxFormulaExponent || e < -kMaxFormulaExponent)
            return std::nullopt;
    return r;
}

int degree(const Monomial& m)
{
    int d = 0;
    for (const auto& [_, e] : m)
        d += e;
    return d;
}

/// Reading order: higher degree first, then more of the earlier-declared symbol first.
bool readsBefore(const Monomial& a, const Monomial& b)
{
    const int da = degree(a), db = degree(b);
    if (da != db)
        return da > db;
    auto i = a.begin();
    auto j = b.begin();
    for (; i != a.end() && j != b.end(); ++i, ++j) {
        if (i->first != j->first)
            return i->first < j->first;
        if (i->second != j->second)
            return i->second > j->second;
    }
    return i != a.end();
}

std::string superscript(int e)
{
    static const char* digits[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹" };
    std::string s;
    for (char c : std::to_string(e))
        s += digits[c - '0'];
    return s;
}

bool allShortNames(const Monomial& m, const FormulaStyle& style)
{
    return std::all_of(m.begin(), m.end(), [&](const auto& t) { return style.names[t.first].size() == 1; });
}

/// Joins factors: "VE" for one-letter names, "K·E" (or "K*E" in ASCII) otherwise.
std::string joinFactors(const std::vector<std::string>& factors, bool juxtapose, const FormulaStyle& style)
{
    std::string s;
    for (const auto& f : factors) {
        if (!s.empty() && !juxtapose)
            s += style.ascii ? "*" : "·";
        s += f;
    }
    return s;
}

std::string power(const std::string& name, int e, const FormulaStyle& style)
{
    if (e == 1)
        return name;
    return style.ascii ? name + "^" + std::to_string(e) : name + superscript(e);
}

} // namespace

std::optional<Rational> Rational::make(Count num, Count den)
{
    if (den == 0)
        return std::nullopt;
    if (den < 0) {
        if (num == INT64_MIN || den == INT64_MIN)
            return std::nullopt;
        num = -num;
        den = -den;
    }
    // std::gcd is undefined when |num| does not fit (INT64_MIN): take it on the magnitudes.
    // g divides den > 0, so it fits, and num / g cannot overflow since g >= 1.
    const auto g = static_cast<Count>(std::gcd(magnitude(num), magnitude(den)));
    if (g == 0) // num == 0 and den == 0 was refused above; keep 0/1 canonical
        return Rational { 0, 1 };
    return Rational { num / g, den / g };
}

Polynomial Polynomial::constant(Count c)
{
    Polynomial p;
    if (c != 0)
        p.m_terms[{}] = { c, 1 };
    return p;
}

Polynomial Polynomial::symbol(int index)
{
    Polynomial p;
    p.m_terms[{ { index, 1 } }] = { 1, 1 };
    return p;
}

bool Polynomial::isLaurent() const
{
    for (const auto& [m, _] : m_terms)
        for (const auto& [_, e] : m)
            if (e < 0)
                return true;
    return false;
}

/// Adds c·m to this polynomial in place; false when the coefficient overflows.
bool Polynomial::accumulate(Monomial m, const Rational& c)
{
    auto [it, inserted] = m_terms.try_emplace(std::move(m), c);
    if (inserted)
        return true;
    auto sum = addR(it->second, c);
    if (!sum)
        return false;
    if (sum->isZero())
        m_terms.erase(it);
    else
        it->second = *sum;
    return true;
}

Result<Polynomial> Polynomial::add(const Polynomial& a, const Polynomial& b)
{
    Polynomial r = a;
    for (const auto& [m, c] : b.m_terms) {
        if (!r.accumulate(m, c))
            return kOverflow;
        if (r.m_terms.size() > kMaxFormulaTerms)
            return kTooManyTerms;
    }
    return r;
}

Result<Polynomial> Polynomial::negated() const
{
    Polynomial r = *this;
    for (auto& [_, c] : r.m_terms) {
        if (c.num == INT64_MIN)
            return kOverflow;
        c.num = -c.num;
    }
    return r;
}

Result<Polynomial> Polynomial::sub(const Polynomial& a, const Polynomial& b)
{
    auto nb = b.negated();
    if (!nb)
        return nb.error();
    return add(a, *nb);
}

Result<Polynomial> Polynomial::mul(const Polynomial& a, const Polynomial& b)
{
    // Partial products go straight into the result: at most kMaxFormulaTerms² of them, each
    // a map insertion, since neither factor has more than kMaxFormulaTerms terms.
    Polynomial r;
    for (const auto& [ma, ca] : a.m_terms) {
        for (const auto& [mb, cb] : b.m_terms) {
            auto c = mulR(ca, cb);
            if (!c)
                return kOverflow;
            auto m = mulM(ma, mb);
            if (!m)
                return kExponentTooLarge;
            if (!r.accumulate(std::move(*m), *c))
                return kOverflow;
            if (r.m_terms.size() > kMaxFormulaTerms)
                return kTooManyTerms;
        }
    }
    return r;
}

Result<Polynomial> Polynomial::div(const Polynomial& a, const Polynomial& b)
{
    if (!b.isMonomial())
        return Error { "", "division by a sum is not a polynomial" };
    const auto& [mb, cb] = *b.m_terms.begin();
    auto inverse = Rational::make(cb.den, cb.num);
    if (!inverse)
        return kOverflow;
    Polynomial r;
    for (const auto& [ma, ca] : a.m_terms) {
        auto c = mulR(ca, *inverse);
        if (!c)
            return kOverflow;
        auto m = mulM(ma, mb, -1);
        if (!m)
            return kExponentTooLarge;
        r.m_terms[std::move(*m)] = *c;
    }
    return r;
}

Result<Polynomial> Polynomial::pow(const Polynomial& a, Count exponent)
{
    if (exponent < 0)
        return Error { "", "negative exponent in a formula" };
    // A non-constant power above the bound fails in mulM anyway; refusing it here keeps
    // a huge exponent from costing even the log2(exponent) squarings.
    if (exponent > kMaxFormulaExponent && !(a.isZero() || (a.isMonomial() && a.m_terms.begin()->first.empty())))
        return kExponentTooLarge;
    // By squaring: log2(exponent) products instead of exponent of them.
    Polynomial r = constant(1);
    Polynomial base = a;
    for (Count e = exponent; e > 0; e >>= 1) {
        if (e & 1) {
            auto next = mul(r, base);
            if (!next)
                return next.error();
            r = std::move(*next);
        }
        if (e > 1) {
            auto squared = mul(base, base);
            if (!squared)
                return squared.error();
            base = std::move(*squared);
        }
    }
    return r;
}

Result<Polynomial> Polynomial::substitute(int index, const Polynomial& value) const
{
    Polynomial r;
    for (const auto& [m, c] : m_terms) {
        Polynomial term;
        Monomial rest;
        int e = 0;
        for (const auto& t : m) {
            if (t.first == index)
                e = t.second;
            else
                rest.push_back(t);
        }
        term.m_terms[rest] = c;
        if (e != 0) {
            auto p = pow(value, e > 0 ? e : -e);
            if (!p)
                return p.error();
            auto t = e > 0 ? mul(term, *p) : div(term, *p);
            if (!t)
                return t.error();
            term = std::move(*t);
        }
        auto sum = add(r, term);
        if (!sum)
            return sum.error();
        r = std::move(*sum);
    }
    return r;
}

Result<Count> Polynomial::evaluate(std::span<const Count> values) const
{
    // Sum num/den terms over a common denominator kept as a Rational.
    Rational total;
    for (const auto& [m, c] : m_terms) {
        Rational term = c;
        for (const auto& [index, e] : m) {
            for (int k = 0; k < (e > 0 ? e : -e); ++k) {
                auto v = Rational::make(e > 0 ? values[index] : 1, e > 0 ? 1 : values[index]);
                auto t = v ? mulR(term, *v) : std::nullopt;
                if (!t)
                    return Error { "", "formula value overflows 64 bits" };
                term = *t;
            }
        }
        auto sum = addR(total, term);
        if (!sum)
            return Error { "", "formula value overflows 64 bits" };
        total = *sum;
    }
    if (total.den != 1)
        return Error { "", "formula value is not an integer" };
    return total.num;
}

std::string formatMonomial(const Monomial& m, const FormulaStyle& style, bool withDenominator)
{
    std::vector<std::string> up, down;
    for (const auto& [index, e] : m) {
        if (e > 0)
            up.push_back(power(style.names[index], e, style));
        else if (withDenominator)
            down.push_back(power(style.names[index], -e, style));
    }
    const bool juxtapose = !style.ascii && allShortNames(m, style);
    std::string s = joinFactors(up, juxtapose, style);
    if (!down.empty()) {
        const std::string d = joinFactors(down, juxtapose, style);
        s += (down.size() == 1 ? "/" + d : "/(" + d + ")");
    }
    return s;
}

std::string formatPolynomial(const Polynomial& p, const FormulaStyle& style)
{
    if (p.isZero())
        return "0";
    std::vector<std::pair<Monomial, Rational>> terms(p.terms().begin(), p.terms().end());
    std::stable_sort(
        terms.begin(), terms.end(), [](const auto& a, const auto& b) { return readsBefore(a.first, b.first); });
    // "L − K" reads better than "−K + L": positive terms first, each side in reading order.
    std::stable_partition(terms.begin(), terms.end(), [](const auto& t) { return t.second.num > 0; });

    const std::string minus = style.ascii ? "-" : "−";
    std::string s;
    for (const auto& [m, c] : terms) {
        const bool negative = c.num < 0;
        const std::uint64_t num = magnitude(c.num); // -INT64_MIN does not fit a Count
        if (s.empty())
            s += negative ? minus : "";
        else
            s += negative ? " " + minus + " " : " + ";

        Monomial up, down;
        for (const auto& t : m)
            (t.second > 0 ? up : down).push_back(t);
        std::string body = formatMonomial(up, style);
        std::string coef = (num == 1 && !body.empty()) ? "" : std::to_string(num);
        if (!coef.empty() && !body.empty() && style.ascii)
            coef += "*";
        s += coef + body;

        // The denominator: the coefficient's and the negative exponents'.
        std::vector<std::string> parts;
        if (c.den != 1)
            parts.push_back(std::to_string(c.den));
        for (const auto& [index, e] : down)
            parts.push_back(power(style.names[index], -e, style));
        if (!parts.empty()) {
            const bool juxtapose = !style.ascii && allShortNames(down, style);
            const std::string d = joinFactors(parts, juxtapose, style);
            if (body.empty() && coef.empty())
                s += "1";
            s += parts.size() == 1 ? "/" + d : "/(" + d + ")";
        }
    }
    return s;
}

} // namespace paramscope::core

// SPDX-License-Identifier: MIT
#include "formula.h"

#include <algorithm>
#include <map>
#include <set>

namespace paramscope::core {

namespace {

const Polynomial kOne = Polynomial::constant(1);

/// Why a node shows no formula, for a reader: an overflow or a size limit. The count does not
/// depend on the formula and is still given.
std::string describe(const std::string& why)
{
    for (const char* done : { "formula too large", "formula overflows", "no formula" })
        if (why.rfind(done, 0) == 0)
            return why; // a child's, already described
    if (why.find("more than") != std::string::npos || why.find("exponent above") != std::string::npos)
        return "formula too large to show: " + why.substr(why.find("formula has ") == 0 ? 12 : 0);
    if (why.find("overflows") != std::string::npos)
        return "formula overflows";
    return why.empty() ? "no formula" : "no formula: " + why;
}

/// A single term c·m as a polynomial.
Polynomial termOf(const Monomial& m, const Rational& c)
{
    Polynomial t = Polynomial::constant(c.num);
    for (const auto& [index, e] : m) {
        auto powered = Polynomial::pow(Polynomial::symbol(index), e > 0 ? e : -e);
        // Exponents of one term cannot overflow a coefficient of 1.
        t = *(e > 0 ? Polynomial::mul(t, *powered) : Polynomial::div(t, *powered));
    }
    if (c.den != 1)
        t = *Polynomial::div(t, Polynomial::constant(c.den));
    return t;
}

/// The sum of @p parts, added pairwise. Adding them one by one copies the growing sum each time,
/// quadratic in the terms: seconds for a formula near kMaxFormulaTerms (found by fuzzing).
Result<Polynomial> sumPairwise(std::vector<Polynomial> parts)
{
    if (parts.empty())
        return Polynomial {};
    while (parts.size() > 1) {
        std::vector<Polynomial> next;
        next.reserve((parts.size() + 1) / 2);
        for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
            auto sum = Polynomial::add(parts[i], parts[i + 1]);
            if (!sum)
                return sum.error();
            next.push_back(std::move(*sum));
        }
        if (parts.size() % 2 == 1)
            next.push_back(std::move(parts.back()));
        parts = std::move(next);
    }
    return std::move(parts.front());
}

} // namespace

Formula::Formula(const Polynomial& p)
{
    // Plain terms, highest degree first, as formatPolynomial() reads them.
    std::vector<Polynomial> terms;
    for (const auto& [m, c] : p.terms())
        terms.push_back(termOf(m, c));
    std::stable_sort(terms.begin(), terms.end(), [](const Polynomial& a, const Polynomial& b) {
        auto degree = [](const Polynomial& t) {
            int d = 0;
            for (const auto& [_, e] : t.terms().begin()->first)
                d += e;
            return d;
        };
        return degree(a) > degree(b);
    });
    for (auto& t : terms)
        m_items.push_back({ kOne, std::move(t) });
}

bool Formula::hasGroups() const
{
    return std::any_of(m_items.begin(), m_items.end(), [](const Item& i) { return !(i.multiplier == kOne); });
}

Status Formula::merge(const Item& item)
{
    const bool plain = item.multiplier == kOne;
    for (auto it = m_items.begin(); it != m_items.end(); ++it) {
        if (!(it->multiplier == item.multiplier))
            continue;
        if (plain && it->body.terms().begin()->first != item.body.terms().begin()->first)
            continue;
        auto sum = Polynomial::add(it->body, item.body);
        if (!sum)
            return sum.error();
        if (sum->isZero())
            m_items.erase(it);
        else
            it->body = std::move(*sum);
        return Ok {};
    }
    // The same bound as a polynomial's terms: it keeps this linear search, and the text, bounded.
    if (m_items.size() >= kMaxFormulaTerms)
        return Error { "", "formula has more than " + std::to_string(kMaxFormulaTerms) + " terms" };
    m_items.push_back(item);
    return Ok {};
}

Result<Formula> Formula::add(const Formula& a, const Formula& b)
{
    Formula r = a;
    for (const Item& i : b.m_items)
        if (auto st = r.merge(i); !st)
            return st.error();
    return r;
}

Result<Polynomial> Formula::expanded() const
{
    std::vector<Polynomial> parts;
    parts.reserve(m_items.size());
    for (const Item& i : m_items) {
        auto t = Polynomial::mul(i.multiplier, i.body);
        if (!t)
            return t.error();
        parts.push_back(std::move(*t));
    }
    return sumPairwise(std::move(parts));
}

Result<Formula> Formula::repeated(const Polynomial& copies) const
{
    auto p = expanded();
    if (!p)
        return p.error();
    if (copies == kOne || p->isZero())
        return *this;
    if (p->isMonomial() && copies.isMonomial()) {
        auto product = Polynomial::mul(*p, copies);
        if (!product)
            return product.error();
        return Formula(*product);
    }
    Formula r;
    r.m_items.push_back({ copies, std::move(*p) });
    return r;
}

std::string Formula::format(const FormulaStyle& style) const
{
    if (m_items.empty())
        return "0";
    if (!hasGroups()) {
        auto p = expanded();
        return p ? formatPolynomial(*p, style) : "?";
    }
    const std::string minus = style.ascii ? " - " : " − ";
    std::string s;
    for (const Item& i : m_items) {
        std::string t;
        if (i.multiplier == kOne) {
            t = formatPolynomial(i.body, style);
        } else {
            std::string m = formatPolynomial(i.multiplier, style);
            if (!i.multiplier.isMonomial())
                m = "(" + m + ")";
            t = m + (style.ascii ? "*(" : "(") + formatPolynomial(i.body, style) + ")";
        }
        if (s.empty())
            s = t;
        else if (t.rfind(style.ascii ? "-" : "−", 0) == 0)
            s += minus + t.substr(style.ascii ? 1 : std::string("−").size());
        else
            s += " + " + t;
    }
    return s;
}

std::vector<Polynomial> symbolAtoms(const Design& design)
{
    std::vector<Polynomial> atoms;
    for (std::size_t i = 0; i < design.symbols.size(); ++i)
        atoms.push_back(Polynomial::symbol(static_cast<int>(i)));
    for (int i : design.derivationOrder()) {
        auto p = design.symbols[static_cast<std::size_t>(i)].definition.toPolynomial(atoms);
        if (p)
            atoms[static_cast<std::size_t>(i)] = std::move(*p);
    }
    return atoms;
}

namespace {

class FormulaBuilder {
public:
    explicit FormulaBuilder(const Design& d)
        : m_design(d)
        , m_atoms(symbolAtoms(d))
    {
        for (const auto& s : d.symbols)
            m_names.push_back(s.name);
        m_out.resize(d.nodes().size());
    }

    std::vector<NodeFormula> run()
    {
        std::set<int> used;
        node(*m_design.root, used);
        return std::move(m_out);
    }

private:
    Result<Polynomial> poly(const Expr& e, std::set<int>& used)
    {
        for (const auto& n : e.names()) {
            const int i = m_design.symbolIndex(n);
            if (i >= 0 && m_design.symbols[static_cast<std::size_t>(i)].isDerived())
                used.insert(i);
        }
        return e.toPolynomial(m_atoms);
    }

    /// Weight + bias of a leaf as a polynomial, mirroring the evaluator's leafCounts().
    Result<Polynomial> leaf(const Module& m, std::set<int>& used)
    {
        std::vector<Polynomial> a;
        for (const auto& e : m.args) {
            auto p = poly(e, used);
            if (!p)
                return p.error();
            a.push_back(std::move(*p));
        }
        const bool tied = m_design.ties()[static_cast<std::size_t>(m.index)] >= 0;
        Result<Polynomial> weight = Polynomial();
        Polynomial bias;
        switch (m.kind) {
        case ModuleKind::Embedding:
        case ModuleKind::Linear:
        case ModuleKind::Conv1D:
            weight = Polynomial::mul(a[0], a[1]);
            bias = m.kind == ModuleKind::Conv1D ? a[0] : (m.bias ? a[1] : Polynomial());
            break;
        case ModuleKind::LayerNorm:
        case ModuleKind::RMSNorm:
            weight = a[0];
            bias = m.bias && m.kind == ModuleKind::LayerNorm ? a[0] : Polynomial();
            break;
        case ModuleKind::Conv2d: {
            auto k2 = Polynomial::mul(a[2], a[2]);
            auto io = Polynomial::mul(a[0], a[1]);
            weight = k2 && io ? Polynomial::mul(*io, *k2) : Result<Polynomial>(Error { "", "overflow" });
            bias = m.bias ? a[1] : Polynomial();
            break;
        }
        case ModuleKind::Parameter:
            weight = Polynomial::constant(1);
            for (const auto& d : a)
                if (weight)
                    weight = Polynomial::mul(*weight, d);
            break;
        case ModuleKind::Conv1d: {
            // Depthwise (groups = in, Mamba's conv1d): one input channel per group, whatever in is.
            auto perGroup = a[0] == a[3] ? Result<Polynomial>(Polynomial::constant(1)) : Polynomial::div(a[0], a[3]);
            auto ok = perGroup ? Polynomial::mul(a[1], *perGroup) : perGroup;
            weight = ok ? Polynomial::mul(*ok, a[2]) : ok;
            bias = m.bias ? a[1] : Polynomial();
            break;
        }
        case ModuleKind::Container:
            break;
        }
        if (!weight)
            return weight.error();
        return Polynomial::add(tied ? Polynomial() : *weight, bias);
    }

    /// Returns the node's total formula; fills m_out for it and its subtree.
    std::optional<Formula> node(const Module& m, std::set<int>& usedAbove)
    {
        NodeFormula& out = m_out[static_cast<std::size_t>(m.index)];
        std::set<int> used;
        std::optional<Formula> each;
        std::string why; // the first reason there is no formula, from this node or below
        auto failed = [&why](const Error& e) {
            if (why.empty())
                why = e.message;
        };
        if (m.isLeaf()) {
            auto p = leaf(m, used);
            if (p)
                each = Formula(*p);
            else
                failed(p.error());
        } else {
            each = Formula();
            for (const auto& c : m.children) {
                auto f = node(*c, used);
                if (!f || !each) {
                    if (!f)
                        failed(Error { "", m_out[static_cast<std::size_t>(c->index)].error });
                    each.reset();
                    continue;
                }
                auto sum = Formula::add(*each, *f);
                if (sum) {
                    each = std::move(*sum);
                } else {
                    failed(sum.error());
                    each.reset();
                }
            }
        }
        std::optional<Formula> total = each;
        if (each && m.isRepeated()) {
            auto copies = poly(m.repeat, used);
            auto r = copies ? each->repeated(*copies) : Result<Formula>(copies.error());
            total = r ? std::optional<Formula>(std::move(*r)) : std::nullopt;
            if (!r)
                failed(r.error());
        }
        usedAbove.insert(used.begin(), used.end());

        out.ok = total.has_value();
        if (out.ok) {
            FormulaStyle unicode { m_names, false }, ascii { m_names, true };
            out.each = each->format(unicode);
            out.eachAscii = each->format(ascii);
            out.total = total->format(unicode);
            out.totalAscii = total->format(ascii);
            auto p = total->expanded();
            if (p) {
                out.polynomial = std::move(*p);
            } else {
                out.ok = false;
                failed(p.error());
            }
        }
        if (!out.ok)
            out.error = describe(why);
        for (int i : used) {
            const Symbol& s = m_design.symbols[static_cast<std::size_t>(i)];
            out.where += (out.where.empty() ? "" : ", ") + s.name + " = " + s.definition.text();
        }
        return total;
    }

    const Design& m_design;
    std::vector<Polynomial> m_atoms;
    std::vector<std::string> m_names;
    std::vector<NodeFormula> m_out;
};

} // namespace

std::vector<NodeFormula> computeFormulas(const Design& design)
{
    return FormulaBuilder(design).run();
}

std::string formatCollected(const Polynomial& p, int x, const FormulaStyle& style)
{
    // Split each term into x^k × rest, then group the rests by k.
    std::map<int, std::vector<Polynomial>, std::greater<int>> termsByPower;
    for (const auto& [m, c] : p.terms()) {
        int k = 0;
        Monomial rest;
        for (const auto& t : m) {
            if (t.first == x)
                k = t.second;
            else
                rest.push_back(t);
        }
        termsByPower[k].push_back(termOf(rest, c));
    }
    std::string s;
    for (auto& [k, terms] : termsByPower) {
        // The rests of one power are distinct monomials of p: their sum cannot fail, but if it
        // did, the formula uncollected is still right.
        auto sum = sumPairwise(std::move(terms));
        if (!sum)
            return formatPolynomial(p, style);
        const Polynomial& coef = *sum;
        if (coef.isZero())
            continue;
        std::string xs;
        if (k != 0) {
            Monomial m { { x, k } };
            xs = formatMonomial(m, style);
        }
        std::string cs = formatPolynomial(coef, style);
        std::string t;
        if (xs.empty())
            t = cs;
        else if (cs == "1")
            t = xs;
        else if (coef.isMonomial())
            t = cs + (style.ascii ? "*" : "·") + xs;
        else
            t = "(" + cs + ")" + (style.ascii ? "*" : "·") + xs;
        s += (s.empty() ? "" : " + ") + t;
    }
    return s.empty() ? "0" : s;
}

} // namespace paramscope::core

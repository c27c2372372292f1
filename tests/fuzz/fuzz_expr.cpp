// SPDX-License-Identifier: MIT
// Fuzz target: the expression parser. The input's first line is an expression; further lines
// "NAME=VALUE" give symbols values (others take defaults near GPT-2's). Parses, evaluates, forms
// the polynomial and its formula texts, and checks that the polynomial and the expression agree
// wherever both evaluate.
#include "fuzzutil.h"

#include "expr.h"
#include "formula.h"
#include "polynomial.h"

#include <cstdint>
#include <map>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace paramscope;
    using core::Count;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto eol = text.find('\n');
    auto expr = core::Expr::parse(std::string(text.substr(0, eol)));
    if (!expr) {
        fuzz::require(!expr.error().text().empty(), "parse: an empty error");
        return 0;
    }

    std::map<std::string, Count> given = { { "V", 50257 }, { "P", 1024 }, { "E", 768 }, { "H", 12 }, { "L", 12 },
        { "F", 3072 }, { "D", 64 }, { "K", 4 }, { "X", 8 }, { "Xk", 2 } };
    for (std::size_t pos = eol; pos != std::string_view::npos && pos < text.size();) {
        const auto next = text.find('\n', pos + 1);
        const auto line
            = text.substr(pos + 1, next == std::string_view::npos ? std::string_view::npos : next - pos - 1);
        if (auto s = core::parseSetting(line); s)
            given[s->first] = s->second;
        pos = next;
    }

    const std::vector<std::string> names = expr->names();
    std::vector<Count> values;
    std::vector<core::Polynomial> atoms;
    for (std::size_t i = 0; i < names.size(); ++i) {
        auto it = given.find(names[i]);
        values.push_back(it == given.end() ? 3 : it->second);
        atoms.push_back(core::Polynomial::symbol(static_cast<int>(i)));
    }
    auto bound = expr->bind([&](const std::string& name) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (names[i] == name)
                return static_cast<int>(i);
        return -1;
    });
    fuzz::require(bound.ok(), "bind: a name of names() is unknown");

    (void)expr->constantValue();
    const auto value = expr->evaluate(values);
    auto poly = expr->toPolynomial(atoms);
    if (!poly)
        return 0;
    for (bool ascii : { false, true }) {
        const core::FormulaStyle style { names, ascii };
        (void)core::formatPolynomial(*poly, style);
        for (std::size_t x = 0; x < names.size(); ++x)
            (void)core::formatCollected(*poly, static_cast<int>(x), style);
        const core::Formula formula(*poly);
        (void)formula.format(style);
        if (!names.empty())
            if (auto r = formula.repeated(core::Polynomial::symbol(0)); r)
                (void)r->format(style);
        if (auto sum = core::Formula::add(formula, formula); sum) {
            (void)sum->format(style);
            (void)sum->expanded();
        }
    }
    if (auto p = poly->evaluate(values); p && value)
        fuzz::require(*p == *value,
            "'" + expr->text() + "' evaluates to " + std::to_string(*value) + ", its polynomial to "
                + std::to_string(*p));
    return 0;
}

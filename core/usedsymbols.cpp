// SPDX-License-Identifier: MIT
#include "usedsymbols.h"

namespace paramscope::core {

namespace {

void markNames(const Design& design, const Expr& e, std::vector<bool>& used, std::vector<int>& pending)
{
    for (const std::string& name : e.names())
        if (const int i = design.symbolIndex(name); i >= 0 && !used[static_cast<std::size_t>(i)]) {
            used[static_cast<std::size_t>(i)] = true;
            pending.push_back(i);
        }
}

void markTree(const Design& design, const Module& m, std::vector<bool>& used, std::vector<int>& pending)
{
    for (const Expr& a : m.args)
        markNames(design, a, used, pending);
    markNames(design, m.repeat, used, pending);
    markNames(design, m.activeRepeat, used, pending);
    for (const auto& c : m.children)
        markTree(design, *c, used, pending);
}

} // namespace

std::vector<bool> symbolsCountsDependOn(const Design& design)
{
    std::vector<bool> used(design.symbols.size(), false);
    std::vector<int> pending;
    if (design.root)
        markTree(design, *design.root, used, pending);
    // What a used derived symbol is derived from is used too (F = 4*E uses E).
    while (!pending.empty()) {
        const Symbol& s = design.symbols[static_cast<std::size_t>(pending.back())];
        pending.pop_back();
        if (s.isDerived())
            markNames(design, s.definition, used, pending);
    }
    return used;
}

std::vector<bool> symbolsInUse(const Design& design)
{
    std::vector<bool> used = symbolsCountsDependOn(design);
    std::vector<int> ignored;
    for (const Check& c : design.checks)
        markNames(design, c.expr, used, ignored);
    for (const Symbol& s : design.symbols)
        if (s.isDerived())
            markNames(design, s.definition, used, ignored);
    return used;
}

} // namespace paramscope::core

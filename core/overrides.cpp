// SPDX-License-Identifier: MIT
#include "overrides.h"

#include <cctype>

namespace paramscope::core {

Result<std::pair<std::string, Count>> parseSetting(std::string_view text)
{
    const auto eq = text.find('=');
    if (eq == std::string_view::npos)
        return Error { std::string(text), "expected NAME=VALUE" };
    std::string name(text.substr(0, eq));
    const std::string_view value = text.substr(eq + 1);
    if (name.empty())
        return Error { std::string(text), "the name before '=' is empty" };
    if (value.empty())
        return Error { name, "no value after '='" };
    Count n = 0;
    for (char c : value) {
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return Error { name, "'" + std::string(value) + "' is not a positive whole number" };
        auto next = checkedMul(n, 10);
        next = next ? checkedAdd(*next, c - '0') : std::nullopt;
        if (!next)
            return Error { name, std::string(value) + " is too large (the limit is 2^63 - 1)" };
        n = *next;
    }
    return std::pair { name, n };
}

namespace {

constexpr std::string_view kFixedAt = " is fixed at ";

} // namespace

std::string fixedNote(const std::string& field, const std::string& symbol, Count value, const std::string& why)
{
    return field + (symbol.empty() ? "" : " (" + symbol + ")") + std::string(kFixedAt) + std::to_string(value) + ": "
        + why;
}

const std::string* findFixedNote(const Design& design, const std::string& name)
{
    for (const auto& note : design.notes) {
        const auto at = note.find(kFixedAt);
        if (at == std::string::npos)
            continue;
        const std::string_view head = std::string_view(note).substr(0, at);
        const auto open = head.find(" (");
        const std::string_view field = head.substr(0, open);
        const std::string_view symbol = open != std::string_view::npos && head.ends_with(')')
            ? head.substr(open + 2, head.size() - open - 3)
            : std::string_view();
        if (name == field || (!symbol.empty() && name == symbol))
            return &note;
    }
    return nullptr;
}

Status applySetting(Design& design, const std::string& name, Count value)
{
    int index = design.symbolIndex(name);
    for (std::size_t i = 0; index < 0 && i < design.symbols.size(); ++i)
        if (!design.symbols[i].field.empty() && design.symbols[i].field == name)
            index = static_cast<int>(i);
    if (index < 0) {
        if (const std::string* fixed = findFixedNote(design, name))
            return Error { name, "cannot be set in this design: " + *fixed };
        std::string names;
        for (const auto& s : design.symbols)
            names += (names.empty() ? "" : ", ") + s.name + (s.field.empty() ? "" : " (" + s.field + ")");
        return Error { name, "no such hyperparameter in this design (it has " + names + ")" };
    }
    const Symbol& symbol = design.symbols[static_cast<std::size_t>(index)];
    // Refused here rather than at evaluation so that the message names what was set (head_dim = 0
    // means "hidden_size / num_attention_heads" to an importer, but is no head dimension here).
    if (value < symbol.minimum)
        return Error { name,
            symbol.name + " = " + std::to_string(value) + " must be at least " + std::to_string(symbol.minimum) };
    if (auto st = design.setValue(symbol.name, value); !st)
        return st;
    return design.compile();
}

} // namespace paramscope::core

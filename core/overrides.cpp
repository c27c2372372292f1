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

Status applySetting(Design& design, const std::string& name, Count value)
{
    int index = design.symbolIndex(name);
    for (std::size_t i = 0; index < 0 && i < design.symbols.size(); ++i)
        if (!design.symbols[i].field.empty() && design.symbols[i].field == name)
            index = static_cast<int>(i);
    if (index < 0) {
        std::string names;
        for (const auto& s : design.symbols)
            names += (names.empty() ? "" : ", ") + s.name + (s.field.empty() ? "" : " (" + s.field + ")");
        return Error { name, "no such hyperparameter in this design (it has " + names + ")" };
    }
    if (auto st = design.setValue(design.symbols[static_cast<std::size_t>(index)].name, value); !st)
        return st;
    return design.compile();
}

} // namespace paramscope::core

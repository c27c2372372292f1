// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>

namespace paramscope::core {

/// Parameter counts and hyperparameter values. Every operation on them is checked:
/// an overflow is reported, never wrapped.
using Count = std::int64_t;

inline std::optional<Count> checkedAdd(Count a, Count b)
{
    Count r;
    if (__builtin_add_overflow(a, b, &r))
        return std::nullopt;
    return r;
}

inline std::optional<Count> checkedSub(Count a, Count b)
{
    Count r;
    if (__builtin_sub_overflow(a, b, &r))
        return std::nullopt;
    return r;
}

inline std::optional<Count> checkedMul(Count a, Count b)
{
    Count r;
    if (__builtin_mul_overflow(a, b, &r))
        return std::nullopt;
    return r;
}

} // namespace paramscope::core

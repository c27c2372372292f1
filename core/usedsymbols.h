// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

#include <vector>

namespace paramscope::core {

/// For each of @p design's symbols (in its order), whether the tree's counts depend on it: a
/// shape argument, a repeat or an active repeat names it, directly or through derived symbols.
/// Depends on the structure only.
std::vector<bool> symbolsCountsDependOn(const Design& design);

/// For each symbol, whether anything reads it: the counts (above), a check, or any derived
/// symbol's definition (every definition is evaluated, so E / H must be whole even where no
/// count uses the head dimension, and H matters). One that nothing reads changes nothing when
/// set, such as Qwen3-30B-A3B's dense F when every layer is a mixture of experts.
std::vector<bool> symbolsInUse(const Design& design);

} // namespace paramscope::core

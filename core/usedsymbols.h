// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

#include <vector>

namespace paramscope::core {

/// For each of @p design's symbols (in its order), whether the tree's counts depend on it: a
/// shape argument, a repeat or an active repeat names it, directly or through derived symbols.
/// A symbol that only a check or nothing uses changes no count (Qwen3-30B-A3B's dense F when
/// every layer is a mixture of experts). Depends on the structure only.
std::vector<bool> symbolsCountsDependOn(const Design& design);

} // namespace paramscope::core

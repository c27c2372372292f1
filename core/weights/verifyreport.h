// SPDX-License-Identifier: MIT
#pragma once

#include "report.h"
#include "weights/verify.h"

#include <string>

namespace paramscope::core {

/// `paramscope-cli verify`: the totals, what is explained, each problem named, the tree with the
/// formula count, the stored count and ✓/✗ per module, and the bytes per dtype.
std::string verifyText(const Counted& counted, const Verification& v);
/// The same as JSON (exact integers): see the README's "Verify against weights".
std::string verifyJson(const Counted& counted, const Verification& v);

/// One line saying whether the checkpoint holds the class's parameters, and what else it holds.
std::string verifySummary(const Verification& v);

/// `paramscope-cli inspect`: tensors grouped like the tree (layer indices as *), dtype, shape and
/// count, the stored total and the bytes per dtype.
std::string inspectText(const TensorList& tensors);
std::string inspectJson(const TensorList& tensors);

} // namespace paramscope::core

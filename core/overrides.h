// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

namespace paramscope::core {

/// Parses "NAME=VALUE" as given to --set. VALUE is a whole number written in digits.
/// Errors: no '=', an empty name, a value that is not a whole number or exceeds 64 bits.
Result<std::pair<std::string, Count>> parseSetting(std::string_view text);

/// Applies NAME=VALUE to @p design: NAME is a hyperparameter ("E") or the config field it came from
/// ("hidden_size"). Set ones take the value; a derived one becomes set. Recompiles.
/// Errors name the setting; values are checked at evaluation.
Status applySetting(Design& design, const std::string& name, Count value);

} // namespace paramscope::core

// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

namespace paramscope::core {

/// Parses "NAME=VALUE" as given to --set. VALUE is a whole number written in digits.
/// Errors: no '=', an empty name, a value that is not a whole number or exceeds 64 bits.
Result<std::pair<std::string, Count>> parseSetting(std::string_view text);

/// Applies NAME=VALUE to @p design: NAME is a hyperparameter ("E") or the config field it came from
/// ("hidden_size"). Set ones take the value; a derived one becomes set. Recompiles.
/// Errors name the setting: an unknown name (quoting the note that says why, when an import fixed
/// it), a value below the hyperparameter's minimum. Other conditions are checked at evaluation.
Status applySetting(Design& design, const std::string& name, Count value);

/// The note an importer leaves when it fixes a hyperparameter (the structure holds its value, not
/// the symbol): "num_hidden_layers (L) is fixed at 4: <why>"; @p symbol may be empty.
std::string fixedNote(const std::string& field, const std::string& symbol, Count value, const std::string& why);
/// The fixedNote() of @p design about @p name (a field or a symbol), or nullptr.
const std::string* findFixedNote(const Design& design, const std::string& name);

} // namespace paramscope::core

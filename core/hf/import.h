// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

#include <nlohmann/json_fwd.hpp>

namespace paramscope::core {

/// Builds the design of a Hugging Face model from its config.json: the module tree of the
/// counted class with checkpoint names, hyperparameters bound to the config's fields, and notes
/// listing the defaults assumed. @p className chooses the class (empty: architectures[0], else
/// the family's causal-LM class). Errors name the field.
/// @p asFamily, when not empty, counts a config of an unknown model_type with the builder of that
/// known model_type (an error when the config's own model_type is known and different); a note
/// and the source say so.
Result<Design> importHfConfig(
    const nlohmann::json& config, const std::string& className, const std::string& asFamily = {});

/// Whether @p j looks like a Hugging Face config (model_type, architectures or GPT-2 fields).
bool isHfConfig(const nlohmann::json& j);

} // namespace paramscope::core

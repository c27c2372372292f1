// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string_view>

namespace paramscope::core {

/// A design shipped with ParamScope (presets/*.json, compiled into the binary so that the
/// CLI and the app work from any folder).
struct Preset {
    std::string_view name; ///< file name without .json: "gpt2-medium"
    std::string_view json; ///< the design file's text
};

/// All presets, in a stable order (GPT-2 sizes first, then the rest by name).
std::span<const Preset> presets();
/// The preset called @p name, or nullptr.
const Preset* findPreset(std::string_view name);

} // namespace paramscope::core

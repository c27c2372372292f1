// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

#include <nlohmann/json_fwd.hpp>

namespace paramscope::core {

/// The design file format's name and version, written as "format" and "version".
inline constexpr const char* kDesignFormat = "paramscope-design";
inline constexpr int kDesignVersion = 1;

/// Largest input read as JSON; larger files are refused before parsing.
inline constexpr std::size_t kMaxInputBytes = 16 * 1024 * 1024;
/// Deepest nesting accepted in JSON input.
inline constexpr int kMaxJsonDepth = 128;

/// Parses JSON text with the limits above; errors give line and column.
Result<nlohmann::json> parseJson(std::string_view text);

/// Whether @p j looks like a ParamScope design (has "format": "paramscope-design").
bool isDesignJson(const nlohmann::json& j);

/// Reads a design from parsed JSON and compiles it. Errors name the JSON pointer
/// (`/tree/children/3/args/in`) and the problem.
Result<Design> designFromJson(const nlohmann::json& j);

/// Serialises @p design (indented, stable key order) so that reading it back gives the same design.
std::string designToJson(const Design& design);

} // namespace paramscope::core

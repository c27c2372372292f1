// SPDX-License-Identifier: MIT
#pragma once

#include "design.h"

#include <string>

namespace paramscope::core {

/// What to count when a source holds several classes (a Hugging Face config).
struct LoadOptions {
    std::string className; ///< e.g. "BertModel"; empty: the source's default
    /// A Hugging Face config whose model_type ParamScope does not know, counted with the builder of
    /// this known model_type ("llama"); the design's notes and source say so. Empty: none.
    std::string asFamily {};
};

/// Loads a design from a preset name, a design file, a Hugging Face config.json, or a folder
/// holding one. The Error names the file and, inside it, the JSON path and the problem.
Result<Design> loadSource(const std::string& source, const LoadOptions& options = {});

/// Loads from JSON text already in memory; @p origin names it in errors.
Result<Design> loadText(std::string_view text, const std::string& origin, const LoadOptions& options = {});

/// Reads a whole file with the size limit of designio.h; the Error names the file.
Result<std::string> readFile(const std::string& path);

} // namespace paramscope::core

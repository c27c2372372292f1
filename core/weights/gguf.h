// SPDX-License-Identifier: MIT
#pragma once

#include "result.h"
#include "weights/tensorlist.h"

#include <optional>
#include <string>
#include <string_view>

namespace paramscope::core {

/// A ggml tensor type: its name, and how many values a block of how many bytes holds.
struct GgmlType {
    std::string_view name; ///< "F32", "Q4_K", "IQ2_XS" …
    int blockValues = 1;
    int blockBytes = 4;
    /// Bits per weight: 8 · blockBytes / blockValues (Q4_K: 4.5).
    double bitsPerWeight() const { return 8.0 * blockBytes / blockValues; }
};

/// The ggml type with id @p id (ggml.h), or nullopt for an id that is unknown or was removed.
std::optional<GgmlType> ggmlType(std::uint32_t id);
/// The ggml type named @p name ("Q4_K"), or nullopt.
std::optional<GgmlType> ggmlTypeByName(std::string_view name);

/// Reads the header of the `.gguf` file at @p path (llama.cpp's format, versions 2 and 3): magic,
/// version, tensor and key/value counts, the key/values of every type (arrays included), the tensor
/// infos (name, dimensions, ggml type, offset) and the alignment (`general.alignment`, default 32).
/// Tensor data is never read. Counts and lengths are checked against what is left of the file
/// before anything is allocated; a bad magic, an unknown version or type, a tensor outside the
/// data section, misaligned or overlapping, or a dimension that overflows is an Error naming the
/// field. Dimensions are stored outermost first (reversed from the file's order).
Result<TensorList> readGguf(const std::string& path);

/// The same from memory: @p bytes is the file's start (at least its header), @p fileSize the whole
/// file's size; @p origin names it in errors. The fuzz target's entry point.
Result<TensorList> parseGguf(std::string_view bytes, Count fileSize, const std::string& origin);

/// Whether @p bytes starts with GGUF's magic.
bool isGguf(std::string_view bytes);

} // namespace paramscope::core

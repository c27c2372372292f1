// SPDX-License-Identifier: MIT
#pragma once

#include "result.h"
#include "weights/tensorlist.h"

#include <string>

namespace paramscope::core {

/// Reads the tensor list of a checkpoint at @p path, headers only:
/// - a `.safetensors` file, or a `.gguf` file (told apart by GGUF's magic);
/// - a `*.safetensors.index.json` with its shards;
/// - a folder: its `*.safetensors.index.json` if it has one, else its `.safetensors` files, else
///   its `.gguf` files (split GGUF parts are read together), in name order.
/// The Error names the file and the field.
Result<TensorList> readCheckpoint(const std::string& path);

/// Whether @p folder holds a checkpoint readCheckpoint() can read (for listing local models).
bool hasCheckpoint(const std::string& folder);

} // namespace paramscope::core

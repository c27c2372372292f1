// SPDX-License-Identifier: MIT
#pragma once

#include "checked.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace paramscope::core {

/// One tensor of a checkpoint as its header describes it; its data is never read.
struct StoredTensor {
    std::string name; ///< as stored ("h.0.attn.c_attn.weight", "blk.0.attn_q.weight")
    std::string dtype; ///< "F32", "BF16", "F8_E4M3", GGUF's "Q4_K" …
    /// Outermost dimension first, as PyTorch prints it. GGUF lists the innermost first: its
    /// readers reverse the order here, so every format compares the same way.
    std::vector<Count> shape;
    Count count = 0; ///< values (elements): the product of the shape
    Count bytes = 0; ///< bytes in the file
    int file = 0; ///< index into TensorList::files
};

/// The tensors of a checkpoint: one file, a sharded index or a folder, in one format.
struct TensorList {
    enum class Format { Safetensors, Gguf };
    Format format = Format::Safetensors;
    std::vector<std::string> files; ///< every file read, in order
    std::vector<StoredTensor> tensors; ///< in the files' order
    /// Header metadata: safetensors' `__metadata__`, GGUF's scalar key/values as text (arrays
    /// as "[N × type]", or their values when short).
    std::map<std::string, std::string> metadata;
    Count fileBytes = 0; ///< sizes of the files, summed

    /// The values of all tensors (checked: a sum past 2^63 is an Error naming the tensor).
    Count totalValues() const
    {
        Count total = 0;
        for (const auto& t : tensors)
            total = checkedAdd(total, t.count).value_or(INT64_MAX);
        return total;
    }
};

/// "safetensors" or "GGUF".
inline const char* formatName(TensorList::Format f)
{
    return f == TensorList::Format::Gguf ? "GGUF" : "safetensors";
}

} // namespace paramscope::core

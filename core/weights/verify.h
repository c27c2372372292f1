// SPDX-License-Identifier: MIT
#pragma once

#include "evaluate.h"
#include "weights/tensorlist.h"

#include <string>
#include <vector>

namespace paramscope::core {

/// A stored tensor set (or a tensor the class expects) and what it means.
struct Finding {
    enum class Kind {
        // Explained: the file holds more (or other) values than the class's parameters, and why.
        Buffer, ///< a non-parameter buffer (GPT-2's causal masks, rotary inv_freq)
        TiedCopy, ///< a tied weight stored twice (the class counts it once)
        NotBuilt, ///< a module the class does not build (DeepSeek-V3's layer-61 MTP module)
        QuantExtra, ///< quantisation extras (FP8 weight_scale_inv, GPTQ scales …)
        // Problems: the checkpoint does not hold the class's parameters.
        Missing, ///< a tensor the class has and the file does not
        Unexpected, ///< a tensor the class has no place for
        WrongShape, ///< a tensor whose shape differs from the class's
    };
    Kind kind = Kind::Unexpected;
    std::string name; ///< a tensor name, or a pattern with * for layer indices ("h.*.attn.bias")
    std::string text; ///< the explanation, one line
    Count tensors = 1; ///< how many tensors the finding stands for
    Count values = 0; ///< their values (0 for Missing)
    int node = -1; ///< the design node it belongs to (Module::index), or -1

    bool isProblem() const { return kind >= Kind::Missing; }
};

/// Bytes of one dtype in the file (so a quantised file's size is explained).
struct DtypeUse {
    std::string dtype;
    Count tensors = 0;
    Count values = 0;
    Count bytes = 0;
    double bitsPerWeight = 0; ///< 8 · bytes / values
};

/// One node of the design against the checkpoint. Counts are over every copy of the node
/// (its formula count times the copies of the repeated blocks around it).
struct NodeCheck {
    Count formula = 0; ///< the class's parameters here, all copies
    Count stored = 0; ///< values of the tensors matched to those parameters, all copies
    Count extra = 0; ///< values stored here that are explained (a tied copy, scales, buffers)
    Count copies = 1; ///< copies of the enclosing repeated blocks: per copy is formula / copies
    int problems = 0; ///< missing or wrongly shaped tensors below
    bool ok() const { return problems == 0 && stored == formula; }
};

/// A design checked against a checkpoint's tensors.
struct Verification {
    TensorList::Format format = TensorList::Format::Safetensors;
    std::vector<std::string> files;
    Count formulaTotal = 0; ///< the class's parameters (Evaluation::total)
    Count matched = 0; ///< parameters of the class found in the file with the right shape
    Count fileValues = 0; ///< every value the file holds
    Count fileTensors = 0;
    Count fileBytes = 0;
    std::vector<NodeCheck> nodes; ///< by Module::index
    std::vector<Finding> findings; ///< explained ones first, then problems, each in file order
    std::vector<DtypeUse> dtypes; ///< in order of bytes, largest first

    /// Every parameter of the class is accounted for and nothing is left unexplained.
    bool ok() const;
    Count problemCount() const;
};

/// Matches @p tensors to @p design (compiled, evaluated as @p evaluation) by checkpoint name:
/// Hugging Face names with or without the base model's prefix ("h.0.attn.c_attn.weight" or
/// "transformer.h.0…"), and GGUF names (token_embd, blk.N.attn_q …) mapped to the same modules.
/// Shapes are compared in PyTorch's order (GGUF's are reversed on reading; GPT-2's Conv1D stores
/// [in, out], llama.cpp transposes it). The formula side costs O(nodes), never O(layers); the
/// stored side O(tensors). Errors only when the design does not evaluate.
Verification verify(const Design& design, const Evaluation& evaluation, const TensorList& tensors);

/// Bytes per dtype of @p tensors, largest first.
std::vector<DtypeUse> dtypeUse(const TensorList& tensors);

} // namespace paramscope::core

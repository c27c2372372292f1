// SPDX-License-Identifier: MIT
#pragma once

#include "expr.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace paramscope::core {

/// What a module is, for counting. Leaves hold parameters; containers hold modules.
enum class ModuleKind {
    Container,
    Embedding, ///< Embedding(num, dim): num·dim
    Linear, ///< Linear(in, out, bias): in·out (+ out)
    Conv1D, ///< GPT-2's Conv1D(nf, nx): nf·nx + nf (always a bias)
    LayerNorm, ///< LayerNorm(dim, bias): dim (+ dim)
    RMSNorm, ///< RMSNorm(dim): dim
    Conv2d, ///< Conv2d(in, out, kernel, bias): in·out·kernel² (+ out)
    Parameter, ///< a raw tensor: the product of its shape
    /// torch.nn.Conv1d(in, out, kernel, groups, bias): out·(in/groups)·kernel (+ out); Mamba's
    /// depthwise convolution has groups = in. Not GPT-2's Conv1D (a transposed Linear).
    Conv1d,
};

/// The argument names of each kind, in order ("in", "out" for Linear); Parameter's are its
/// dimensions and take any count.
std::span<const std::string_view> argumentNames(ModuleKind kind);
/// "Linear", "Container" …; parseModuleKind() is its inverse.
std::string_view kindName(ModuleKind kind);
std::optional<ModuleKind> parseModuleKind(std::string_view name);
/// Whether the kind has a bias switch (Linear, LayerNorm, Conv2d, Conv1d).
bool hasBiasSwitch(ModuleKind kind);

/// What an attention module keeps per token for generation (its KV cache), where the shapes alone do
/// not say it; or what a state-space mixer keeps per sequence. Every field is optional: an empty cache is read from the
/// key/value projections (k_proj + v_proj, GPT-2's c_attn …), an empty window means the whole context.
struct KvSpec {
    Expr cache; ///< elements cached per token (MLA: "Rkv + Dr", the latent and the RoPE key)
    Expr uncompressed; ///< elements per token of the keys and values it stands for (MLA: "H*(Dn + Dr) + H*Dv")
    Expr window; ///< sliding window: the most tokens a layer holds
    /// With a window: layer l of the enclosing list attends to the whole context when
    /// (l + 1) % fullEvery == 0 (Gemma's sliding_window_pattern); empty: every layer is windowed.
    Expr fullEvery;
    /// A state-space mixer (Mamba): elements it holds per sequence whatever the context (its
    /// convolution and SSM states); it caches nothing per token.
    Expr state;

    bool isEmpty() const
    {
        return cache.isEmpty() && uncompressed.isEmpty() && window.isEmpty() && fullEvery.isEmpty() && state.isEmpty();
    }
};

/// One node of an architecture: a leaf with shape expressions, or a container of modules,
/// possibly repeated (`12 × GPT2Block`). Names are the checkpoint's attribute names.
struct Module {
    std::string name; ///< attribute name ("wte", "attn"); empty for a repeated list entry
    std::string type; ///< class shown ("GPT2Block", "Gemma3RMSNorm"); defaults to the kind's name
    ModuleKind kind = ModuleKind::Container;
    std::vector<Expr> args; ///< shape, per argumentNames(kind)
    bool bias = false; ///< for kinds with a bias switch
    Expr repeat; ///< copies of this module; empty means one
    Expr activeRepeat; ///< of those copies, how many run per token (MoE top-k); empty means all
    std::string tiedTo; ///< path of the module whose weight this one shares (counted there)
    std::string role; ///< category for breakdowns; empty means inherit or infer
    KvSpec kv; ///< attention containers: what the KV cache holds (sizing only; no parameters)
    std::vector<std::unique_ptr<Module>> children;

    Module* parent = nullptr; ///< set by Design::compile()
    int index = -1; ///< pre-order position, set by Design::compile()

    bool isLeaf() const { return kind != ModuleKind::Container; }
    bool isRepeated() const { return !repeat.isEmpty(); }

    /// A deep copy with no parent.
    std::unique_ptr<Module> clone() const;
    /// Appends @p child, taking ownership; returns it.
    Module* add(std::unique_ptr<Module> child);
};

/// Parses @p text; throws std::logic_error when it does not parse. For expressions written in
/// the program (importers, tests), where a typo is a programming error.
Expr expr(const std::string& text);

/// Leaf and container constructors for importers and tests. Expressions must parse:
/// a typo here is a programming error, reported by Design::compile().
std::unique_ptr<Module> container(std::string name, std::string type);
std::unique_ptr<Module> leaf(ModuleKind kind, std::string name, std::vector<std::string> args, bool bias = false);

} // namespace paramscope::core

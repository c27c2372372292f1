// SPDX-License-Identifier: MIT
#pragma once

// Memory sizing of a design at its current hyperparameters: weights at any number format, the KV
// cache from the tree's attention modules, mixed-precision training with ZeRO sharding, and what
// fits on a device. Exact integers (bytes), every operation checked: an overflow is an Error naming
// the figure, never a wrong number. Pure functions, like evaluate().

#include "breakdown.h"
#include "evaluate.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paramscope::core {

/// 128-bit integers for intermediate products of 64-bit figures (bits of a tensor, training FLOPs).
/// GCC and Clang have them; __extension__ keeps -Wpedantic quiet about it.
__extension__ typedef __int128 Wide;
__extension__ typedef unsigned __int128 UWide;

/// A number format, as bits per value in thousandths (bf16: 16000; GGUF-style 4.5 bpw: 4500), so
/// that fractional widths stay exact.
struct DataType {
    std::string name = "bf16"; ///< "bf16", "4.5 bpw"
    Count milliBits = 16000;

    bool wholeBytes() const { return milliBits % 8000 == 0; }
};

/// "fp32", "bf16", "fp16", "fp8", "int8", "int4", or bits per value ("4.5", "4.5bpw", at most three
/// decimals) in (0, 64]. The Error's message says what is accepted.
Result<DataType> parseDataType(std::string_view text);

/// ceil(@p elements × bits / 8): the bytes of one tensor of @p elements values. Error: overflow.
Result<Count> tensorBytes(Count elements, const DataType& t);

/// Weights in memory: each tensor (a leaf's weight, its bias) in @p dtype, rounded up to whole
/// bytes per tensor, times its copies; a tied weight once.
struct WeightMemory {
    DataType dtype;
    Count bytes = 0;
    Breakdown byComponent {}; ///< bytes, by the tree's roles (components())
    Count tensors = 0; ///< tensors stored, every copy counted
};
Result<WeightMemory> weightMemory(const Design& design, const Evaluation& e, const DataType& dtype);

/// Decoder attention layers that cache the same thing per token with the same window.
struct AttentionGroup {
    std::string path; ///< the attention module ("model.layers.*.self_attn")
    Count layers = 0; ///< copies in the model
    Count cache = 0; ///< elements cached per token per layer (k and v; MLA: latent + RoPE key)
    Count uncompressed = 0; ///< keys and values those stand for; equals cache unless compressed (MLA)
    Count window = 0; ///< the most tokens a layer holds (sliding window); 0: the whole context
    Count dAttn = 0; ///< attention width (Kaplan's d_attn): the output projection's input
};

/// The attention layers of the tree (containers with role attention, outside vision towers and
/// projectors; cross-attention, which caches the encoder's states, is left out). What each caches
/// comes from its "kv" spec when given, else its projections: k_proj + v_proj (or key + value)
/// outputs, GPT-2's c_attn as 2/3 of its width, query_key_value as 2/3, qkv_proj less o_proj's input.
/// Error: an attention module none of these describe, naming it.
Result<std::vector<AttentionGroup>> attentionGroups(const Design& design, const Evaluation& e);

/// The cross-attention of an encoder-decoder (containers with role cross_attention): each decoder
/// layer caches k and v of every encoder token, computed once per input. cache is elements per
/// encoder token per layer, read like attentionGroups() reads self-attention; no windows.
Result<std::vector<AttentionGroup>> crossAttentionGroups(const Design& design, const Evaluation& e);

/// State-space mixers (a container with "kv": {"state": …}): what each layer holds per sequence,
/// whatever the context (Mamba: its convolution and SSM states).
struct StateGroup {
    std::string path; ///< "backbone.layers.*.mixer"
    Count layers = 0; ///< copies in the model
    Count elements = 0; ///< per layer per sequence
};
Result<std::vector<StateGroup>> stateGroups(const Design& design, const Evaluation& e);
/// Σ layers × elements × @p batch values in @p t, rounded up to whole bytes once. Error: overflow.
Result<Count> stateBytes(const std::vector<StateGroup>& groups, Count batch, const DataType& t);

/// The KV cache at @p context tokens for @p batch sequences in @p t: Σ layers × elements ×
/// min(context, window) × batch values, rounded up to whole bytes once (sub-byte formats);
/// @p uncompressed counts what MLA's latent stands for. Error: overflow, naming "the KV cache".
Result<Count> kvCacheBytes(const std::vector<AttentionGroup>& groups, Count context, Count batch, const DataType& t,
    bool uncompressed = false);

/// Mixed-precision Adam: bf16 weights (2 B) and gradients (2 B), fp32 master weights, first and
/// second moments (4 + 4 + 4 B): 16 bytes per parameter, activations not included. ZeRO stage 1
/// shards the optimizer states (12 B) over the devices, stage 2 also the gradients, stage 3 also
/// the weights; a sharded state takes ceil(bytes / devices) on each.
struct TrainingMemory {
    Count parameters = 0;
    int zeroStage = 0;
    Count devices = 1;
    Count total = 0; ///< 16 × parameters, all devices together
    Count weights = 0; ///< per device
    Count gradients = 0; ///< per device
    Count optimizer = 0; ///< per device
    Count perDevice = 0;
};
Result<TrainingMemory> trainingMemory(Count parameters, int zeroStage, Count devices);

/// The fewest devices of @p deviceBytes each that hold the training states at @p zeroStage;
/// nullopt when no number does (stage 0 beyond one device, or the unsharded states alone too big).
std::optional<Count> trainingDevices(Count parameters, int zeroStage, Count deviceBytes);

/// The largest whole number x in [1, @p cap] with @p fits(x), for a @p fits that holds up to some x
/// and not beyond; 0 when fits(1) does not hold.
Count largestFitting(Count cap, const std::function<bool(Count)>& fits);

/// "1,073,741,824 bytes" helpers: @p bytes in GiB (2^30) and GB (10^9), to two decimals.
std::string gibText(Count bytes);
std::string gbText(Count bytes);

/// @p bytes in GiB (2^30) from one GiB up, else in MiB (2^20) or KiB (2^10), else bytes: "14.96 GiB",
/// "128.00 KiB"; and the same in decimal units (GB = 10^9, MB, kB): "16.06 GB", "131.07 kB". Figures of
/// a gigabyte and more always read in GiB and GB, as the JSON gives them.
std::string binaryBytesText(Count bytes);
std::string decimalBytesText(Count bytes);

/// "24GB", "80 GB", "24GiB", "16000000000": bytes. Error: anything else, zero or overflow.
Result<Count> parseMemorySize(std::string_view text);

} // namespace paramscope::core

// SPDX-License-Identifier: MIT
#pragma once

// Compute of a design, after Kaplan et al. 2020 ("Scaling Laws for Neural Language Models",
// Table 1) and Hoffmann et al. 2022 (Chinchilla). Exact integers, every operation checked.

#include "sizing.h"

#include <string>

namespace paramscope::core {

/// Forward FLOPs per token at a context: C_forward = 2N + 2·n_layer·n_ctx·d_attn, where N is the
/// non-embedding parameter count (MoE: those one token uses) and the attention term sums, over the
/// attention layers of the tree, 2 · layers · n_ctx · d_attn, with n_ctx capped at a layer's
/// sliding window. Training ≈ 6·N·tokens; compute-optimal tokens ≈ 20 × parameters.
struct Flops {
    Count context = 0;
    Count encoderContext = 0; ///< n_enc: an encoder-decoder's input length (the context unless given)
    Count parameters = 0; ///< the total
    Count nonEmbedding = 0; ///< N (MoE: active non-embedding parameters)
    bool sparse = false; ///< N counts only the routed experts a token uses
    Count weightTerm = 0; ///< 2N
    Count attentionTerm = 0; ///< Σ 2 · layers · min(n_ctx, window) · d_attn
    /// Encoder-decoders: Σ 2 · decoder layers · n_enc · d_attn, a decoder token attending to every
    /// encoder token over n_enc encoder tokens (encoderContext). 0 otherwise.
    Count crossAttentionTerm = 0;
    Count forwardPerToken = 0; ///< weightTerm + attentionTerm + crossAttentionTerm
    Count tokens = 0; ///< training tokens (default: compute-optimal)
    bool tokensGiven = false;
    /// 6 · N · tokens: beyond 64 bits for most models (Llama 3 8B on 160B tokens: ~7·10^21), so kept in 128.
    UWide trainingFlops = 0;
    Count optimalTokens = 0; ///< 20 × parameters
};

/// Exact decimal digits of @p n ("6726000000000000000000").
std::string decimalText(UWide n);
/// @p n as a double (for plotting; not exact).
double approximate(UWide n);

/// @p tokens 0 means the compute-optimal count; @p cross the cross-attention groups of an
/// encoder-decoder (crossAttentionGroups()), over @p encoder tokens (the encoder's length; 0: the
/// same as @p context). Error: an overflow, naming the figure.
Result<Flops> flops(const Evaluation& e, const std::vector<AttentionGroup>& groups, Count context, Count tokens,
    const std::vector<AttentionGroup>& cross = {}, Count encoder = 0);

} // namespace paramscope::core

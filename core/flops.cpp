// SPDX-License-Identifier: MIT
#include "flops.h"

#include <algorithm>

namespace paramscope::core {

std::string decimalText(UWide n)
{
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(n % 10)));
        n /= 10;
    } while (n > 0);
    return digits;
}

double approximate(UWide n)
{
    return static_cast<double>(n);
}

Result<Flops> flops(const Evaluation& e, const std::vector<AttentionGroup>& groups, Count context, Count tokens,
    const std::vector<AttentionGroup>& cross, Count encoder)
{
    Flops f;
    f.context = context;
    f.encoderContext = encoder > 0 ? encoder : context;
    f.parameters = e.total;
    f.sparse = e.sparse;
    // Embeddings always run, so the active non-embedding count is the active one less them.
    const Count embedding = e.total - e.nonEmbedding;
    f.nonEmbedding = e.active - embedding;
    auto twice = checkedMul(f.nonEmbedding, 2);
    if (!twice)
        return Error { "2N", "overflows 64 bits" };
    f.weightTerm = *twice;
    for (const auto& g : groups) {
        const Count nctx = g.window > 0 ? std::min(context, g.window) : context;
        auto t = checkedMul(g.layers, 2);
        t = t ? checkedMul(*t, nctx) : std::nullopt;
        t = t ? checkedMul(*t, g.dAttn) : std::nullopt;
        auto sum = t ? checkedAdd(f.attentionTerm, *t) : std::nullopt;
        if (!sum)
            return Error { "2·n_layer·n_ctx·d_attn", "overflows 64 bits" };
        f.attentionTerm = *sum;
    }
    // Cross-attention: the same 2·n_ctx·d_attn per layer, over the encoder's tokens (no window).
    for (const auto& g : cross) {
        auto t = checkedMul(g.layers, 2);
        t = t ? checkedMul(*t, f.encoderContext) : std::nullopt;
        t = t ? checkedMul(*t, g.dAttn) : std::nullopt;
        auto sum = t ? checkedAdd(f.crossAttentionTerm, *t) : std::nullopt;
        if (!sum)
            return Error { "2·n_layer·n_enc·d_attn", "overflows 64 bits" };
        f.crossAttentionTerm = *sum;
    }
    auto forward = checkedAdd(f.weightTerm, f.attentionTerm);
    forward = forward ? checkedAdd(*forward, f.crossAttentionTerm) : std::nullopt;
    if (!forward)
        return Error { "forward FLOPs per token", "overflow 64 bits" };
    f.forwardPerToken = *forward;
    auto optimal = checkedMul(e.total, 20);
    if (!optimal)
        return Error { "compute-optimal tokens", "20 × parameters overflows 64 bits" };
    f.optimalTokens = *optimal;
    f.tokensGiven = tokens > 0;
    f.tokens = f.tokensGiven ? tokens : f.optimalTokens;
    // 6 < 2^3 and N, tokens < 2^63: the product stays below 2^129, so check against 128 bits.
    UWide training = 0;
    if (f.nonEmbedding < 0
        || __builtin_mul_overflow(static_cast<UWide>(f.nonEmbedding) * 6, static_cast<UWide>(f.tokens), &training))
        return Error { "training FLOPs", "6·N·tokens overflows 128 bits" };
    f.trainingFlops = training;
    return f;
}

} // namespace paramscope::core

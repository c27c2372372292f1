// SPDX-License-Identifier: MIT
#pragma once

#include "evaluate.h"
#include "polynomial.h"

#include <array>
#include <optional>
#include <string_view>
#include <vector>

namespace paramscope::core {

/// What kind of component a weight belongs to, for breakdowns and stacked charts.
/// CrossAttention is an encoder-decoder's decoder attending to the encoder's states (T5's
/// EncDecAttention, BART's encoder_attn); Ssm a state-space mixer (Mamba's).
enum class Component {
    Embeddings,
    Attention,
    Mlp,
    Experts,
    Norms,
    LmHead,
    Vision,
    Projector,
    CrossAttention,
    Ssm,
    Audio,
    Other
};
inline constexpr std::size_t kComponentCount = 12;

/// "embeddings", "attention", "mlp", "experts", "norms", "lm_head", "vision", "projector",
/// "cross_attention", "ssm", "audio", "other": the names Module::role takes. parseComponent() is its inverse
/// (also "lm head", "ffn", …).
std::string_view componentName(Component c);
/// "Embeddings", "Attention", "MLP", "Experts", "Norms", "LM head", "Vision tower", "Projector",
/// "Cross-attention", "SSM mixer", "Audio tower", "Other".
std::string_view componentLabel(Component c);
std::optional<Component> parseComponent(std::string_view role);

/// The component of every node (by Module::index), @p design compiled. Module::role decides when
/// set and is inherited; otherwise the kind and names do: Embedding leaves are embeddings,
/// attn/attention is attention, mlp/feed_forward/ffn is MLP, experts, norms (LayerNorm, RMSNorm,
/// *norm*, ln_*), lm_head/embed_out, vision_tower/vision_model and projector, else other.
/// Everything under a vision tower, a projector or an LM head belongs to it.
std::vector<Component> components(const Design& design);

/// Parameters by component: each leaf's count times the copies of its enclosing blocks.
/// Sums to @p e.total (tied leaves count only what they do not share, as in the total).
using Breakdown = std::array<Count, kComponentCount>;
Result<Breakdown> breakdown(const Design& design, const std::vector<Component>& kinds, const Evaluation& e);

/// The polynomial of each component (in the set hyperparameters, derived ones substituted),
/// from the formulas of computeFormulas(); nullopt where a coefficient overflowed.
std::array<std::optional<Polynomial>, kComponentCount> componentPolynomials(
    const Design& design, const std::vector<Component>& kinds);

} // namespace paramscope::core

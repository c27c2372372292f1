// SPDX-License-Identifier: MIT
#include "breakdown.h"

#include "formula.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace paramscope::core {

namespace {

struct ComponentInfo {
    Component component;
    std::string_view name;
    std::string_view label;
};

constexpr std::array<ComponentInfo, kComponentCount> kComponents { {
    { Component::Embeddings, "embeddings", "Embeddings" },
    { Component::Attention, "attention", "Attention" },
    { Component::Mlp, "mlp", "MLP" },
    { Component::Experts, "experts", "Experts" },
    { Component::Norms, "norms", "Norms" },
    { Component::LmHead, "lm_head", "LM head" },
    { Component::Vision, "vision", "Vision tower" },
    { Component::Projector, "projector", "Projector" },
    { Component::CrossAttention, "cross_attention", "Cross-attention" },
    { Component::Ssm, "ssm", "SSM mixer" },
    { Component::Audio, "audio", "Audio tower" },
    { Component::Other, "other", "Other" },
} };

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(
        out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool contains(const std::string& haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string::npos;
}

/// Components that own everything beneath them, whatever it is called.
bool isSticky(Component c)
{
    return c == Component::Vision || c == Component::Audio || c == Component::Projector || c == Component::LmHead;
}

/// What a node's own name, type and kind say, if anything.
std::optional<Component> inferred(const Module& m)
{
    const std::string name = lower(m.name);
    const std::string type = lower(m.type);
    auto says = [&](std::string_view word) { return contains(name, word) || (!m.isLeaf() && contains(type, word)); };

    if (says("vision_tower") || says("vision_model") || says("visionmodel") || says("vision_encoder")
        || name == "visual")
        return Component::Vision;
    if (says("audio_tower") || says("audio_model") || says("audiomodel") || says("audio_encoder"))
        return Component::Audio;
    if (says("projector"))
        return Component::Projector;
    if (name == "lm_head" || name == "embed_out")
        return Component::LmHead;
    if (m.kind == ModuleKind::Embedding)
        return Component::Embeddings;
    if (m.kind == ModuleKind::LayerNorm || m.kind == ModuleKind::RMSNorm)
        return Component::Norms;
    if (says("expert"))
        return Component::Experts;
    // The decoder of an encoder-decoder attending to the encoder (T5, BART, BERT as a decoder).
    if (says("crossattention") || says("cross_attn") || says("encdecattention") || name == "encoder_attn")
        return Component::CrossAttention;
    if (says("attn") || says("attention"))
        return Component::Attention;
    if (says("mlp") || says("feed_forward") || says("feedforward") || says("ffn"))
        return Component::Mlp;
    if (contains(name, "norm") || name.rfind("ln_", 0) == 0)
        return Component::Norms;
    return std::nullopt;
}

} // namespace

std::string_view componentName(Component c)
{
    return kComponents[static_cast<std::size_t>(c)].name;
}

std::string_view componentLabel(Component c)
{
    return kComponents[static_cast<std::size_t>(c)].label;
}

std::optional<Component> parseComponent(std::string_view role)
{
    const std::string r = lower(role);
    for (const auto& info : kComponents) {
        if (r == info.name || r == lower(info.label))
            return info.component;
    }
    if (r == "embedding" || r == "embed")
        return Component::Embeddings;
    if (r == "attn")
        return Component::Attention;
    if (r == "ffn" || r == "feed_forward" || r == "moe")
        return Component::Mlp;
    if (r == "expert")
        return Component::Experts;
    if (r == "norm")
        return Component::Norms;
    if (r == "lm head" || r == "head")
        return Component::LmHead;
    if (r == "vision_tower")
        return Component::Vision;
    if (r == "cross-attention" || r == "crossattention" || r == "encoder_attn")
        return Component::CrossAttention;
    if (r == "mixer" || r == "ssm mixer" || r == "mamba")
        return Component::Ssm;
    return std::nullopt;
}

std::vector<Component> components(const Design& design)
{
    std::vector<Component> out(design.nodes().size(), Component::Other);
    for (const Module* m : design.nodes()) { // pre-order: parents first
        const std::optional<Component> parent
            = m->parent ? std::optional<Component>(out[static_cast<std::size_t>(m->parent->index)]) : std::nullopt;
        Component c = parent.value_or(Component::Other);
        if (parent && isSticky(*parent)) {
            // a vision tower's attention is still the vision tower
        } else if (auto r = m->role.empty() ? std::nullopt : parseComponent(m->role)) {
            c = *r;
        } else if (auto i = inferred(*m)) {
            c = *i;
        }
        out[static_cast<std::size_t>(m->index)] = c;
    }
    return out;
}

Result<Breakdown> breakdown(const Design& design, const std::vector<Component>& kinds, const Evaluation& e)
{
    Breakdown parts {};
    for (const Module* m : design.nodes()) {
        if (!m->isLeaf())
            continue;
        Count overall = e.nodes[static_cast<std::size_t>(m->index)].count;
        for (const Module* a = m->parent; a; a = a->parent) {
            auto v = checkedMul(overall, e.nodes[static_cast<std::size_t>(a->index)].repeat);
            if (!v)
                return Error { Design::path(*m), "overall count overflows 64 bits" };
            overall = *v;
        }
        Count& part = parts[static_cast<std::size_t>(kinds[static_cast<std::size_t>(m->index)])];
        auto sum = checkedAdd(part, overall);
        if (!sum)
            return Error { Design::path(*m), "component sum overflows 64 bits" };
        part = *sum;
    }
    return parts;
}

std::array<std::optional<Polynomial>, kComponentCount> componentPolynomials(
    const Design& design, const std::vector<Component>& kinds)
{
    const auto formulas = computeFormulas(design);
    const auto atoms = symbolAtoms(design);
    std::array<std::optional<Polynomial>, kComponentCount> out;
    for (auto& p : out)
        p = Polynomial();
    for (const Module* m : design.nodes()) {
        if (!m->isLeaf())
            continue;
        auto& slot = out[static_cast<std::size_t>(kinds[static_cast<std::size_t>(m->index)])];
        if (!slot)
            continue;
        const NodeFormula& f = formulas[static_cast<std::size_t>(m->index)];
        std::optional<Polynomial> p = f.ok ? std::optional<Polynomial>(f.polynomial) : std::nullopt;
        for (const Module* a = m->parent; a && p; a = a->parent) {
            if (!a->isRepeated())
                continue;
            auto copies = a->repeat.toPolynomial(atoms);
            auto product = copies ? Polynomial::mul(*p, *copies) : Result<Polynomial>(copies.error());
            p = product ? std::optional<Polynomial>(std::move(*product)) : std::nullopt;
        }
        auto sum = p ? Polynomial::add(*slot, *p) : Result<Polynomial>(Error { "", "overflow" });
        slot = sum ? std::optional<Polynomial>(std::move(*sum)) : std::nullopt;
    }
    return out;
}

} // namespace paramscope::core

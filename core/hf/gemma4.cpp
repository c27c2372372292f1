// SPDX-License-Identifier: MIT
// Gemma 4 (gemma4, gemma4_text): Gemma 3's four-norm decoder whose full-attention layers have their
// own head dimension (global_head_dim) and, with attention_k_eq_v, their own key heads and no
// v_proj (the keys are the values); sliding and full layers from layer_types (by default five
// sliding then one full, the last layer always full). The vision tower is Gemma 4's own: a linear
// patch embedding with a learned 2-D position table, Gemma-style encoder layers, and a projection
// into the text width (embed_vision).
#include "blocks.h"
#include "families.h"
#include "gemma4towers.h"
#include "reader.h"

#include <algorithm>
#include <string>

namespace paramscope::core::hf {

namespace {

// As readLayerTypes numbers { "sliding_attention", "full_attention" }; a layer reusing an earlier
// layer's keys and values (num_kv_shared_layers) adds kShared.
enum LayerKind { Sliding = 0, Full = 1, kShared = 2 };

/// What shapes a decoder layer beyond its kind.
struct TextSpec {
    bool kEqV = false; ///< attention_k_eq_v: full layers have Kg key heads and no v_proj
    bool bias = false; ///< attention_bias
    bool doubleWide = false; ///< use_double_wide_mlp: the KV-sharing layers' MLPs are 2F wide
    bool perLayerInput = false; ///< hidden_size_per_layer_input > 0
    bool moe = false; ///< enable_moe_block
    SlidingWindows windows;
};

/// Appends @p runs to @p pattern, a group of runs repeated back to back folded into one period
/// ("four sliding layers then a full one", seven times): the tree shows the pattern, not every run.
void appendFolded(LayerPattern& pattern, const std::vector<std::pair<int, Count>>& runs)
{
    for (std::size_t i = 0; i < runs.size();) {
        std::size_t group = 1, times = 1; // the longest stretch of copies of a group of up to 16 runs
        for (std::size_t g = 2; g <= 16 && i + 2 * g <= runs.size(); ++g) {
            std::size_t t = 1;
            while (i + (t + 1) * g <= runs.size()
                && std::equal(runs.begin() + static_cast<std::ptrdiff_t>(i),
                    runs.begin() + static_cast<std::ptrdiff_t>(i + g),
                    runs.begin() + static_cast<std::ptrdiff_t>(i + t * g)))
                ++t;
            if (t > 1 && g * t > group * times) {
                group = g;
                times = t;
            }
        }
        if (times > 1) {
            pattern.appendPeriod({ runs.begin() + static_cast<std::ptrdiff_t>(i),
                                     runs.begin() + static_cast<std::ptrdiff_t>(i + group) },
                static_cast<Count>(times));
            i += group * times;
        } else {
            pattern.append(runs[i].first, runs[i].second);
            ++i;
        }
    }
}

/// The layer stack as runs of LayerKind: the class's rule (five sliding layers then a full one) in
/// L, or, when layer_types lists the layers or the last num_kv_shared_layers share, literal runs
/// (L fixed; @p literal says so). Gemma4TextConfig makes the last layer full whatever the list says.
Result<std::vector<LayerRun>> stackRuns(Design& d, HfConfig& text, Count layers, Count shared, bool& literal)
{
    DesignBuilder builder(d);
    auto types = readLayerTypes(text, layers, { "sliding_attention", "full_attention" });
    if (!types)
        return types.error();
    literal = *types || shared > 0;
    if (!literal) {
        // Five sliding layers then a full one, as periods in L; a remainder ends with its last layer full.
        const Count rest = layers % 6;
        const std::string periods = rest == 0 ? "L/6" : "(L - " + std::to_string(rest) + ")/6";
        std::vector<LayerRun> runs { { 0, periods, { { Sliding, "5", {} }, { Full, "1", {} } } } };
        if (rest > 1)
            runs.push_back({ Sliding, std::to_string(rest - 1), {} });
        if (rest > 0)
            runs.push_back({ Full, "1", {} });
        builder.check(periods,
            text.name("num_hidden_layers") + " must leave the remainder " + std::to_string(rest)
                + " when divided by 6: five sliding layers then a full one (import the config again for another "
                  "remainder)");
        return runs;
    }
    // Layers [from, from + count) of attention kind @p kind, split where the sharing layers begin.
    const Count boundary = layers - shared;
    LayerPattern pattern;
    std::vector<std::pair<int, Count>> listed; // the list's runs, before folding
    auto put = [&](int kind, Count from, Count count) {
        const Count before = std::clamp<Count>(boundary - from, 0, count);
        for (const auto& [k, n] : { std::pair { kind, before }, std::pair { kind + kShared, count - before } }) {
            if (n == 0)
                continue;
            if (!listed.empty() && listed.back().first == k)
                listed.back().second += n;
            else
                listed.emplace_back(k, n);
        }
    };
    if (*types) {
        const auto plain = (*types)->plainRuns(); // a list is built layer by layer: no periods
        Count at = 0;
        for (std::size_t i = 0; i < plain.size(); ++i) {
            const auto [kind, n] = plain[i];
            if (i + 1 == plain.size() && kind == Sliding) {
                put(Sliding, at, n - 1);
                put(Full, at + n - 1, 1);
                d.notes.push_back(text.name("layer_types")
                    + " ends with a sliding layer: Gemma4TextConfig makes the last layer full_attention, as counted "
                      "here");
            } else {
                put(kind, at, n);
            }
            at += n;
        }
        appendFolded(pattern, listed);
    } else {
        // The class's rule, literally: layer l is full when (l + 1) % 6 == 0, and the last one is.
        pattern.appendRule(0, std::min(boundary, layers - 1), 6, 5, Full, Sliding);
        pattern.appendRule(boundary, layers - 1, 6, 5, Full + kShared, Sliding + kShared);
        pattern.append(Full + kShared, 1);
    }
    // A sharing layer takes the keys and values of the last earlier layer of its type
    // (Gemma4TextAttention.store_full_length_kv): one must exist, or the forward pass fails.
    for (const int kind : { Sliding, Full })
        if (pattern.contains(kind + kShared) && !pattern.contains(kind))
            return Error { text.name("num_kv_shared_layers"),
                "the last " + std::to_string(shared) + " layers reuse the keys and values of an earlier "
                    + (kind == Full ? "full_attention" : "sliding_attention") + " layer, but no earlier layer is one" };
    return pattern.runs();
}

/// Gemma4TextDecoderLayer of @p kind.
std::unique_ptr<Module> decoderLayer(int kind, const TextSpec& spec)
{
    const std::string norm = "Gemma4RMSNorm";
    const bool shared = kind & kShared;
    const bool full = (kind & ~kShared) == Full;
    auto l = container("", "Gemma4TextDecoderLayer");
    auto a = container("self_attn", "Gemma4TextAttention");
    a->role = "attention";
    const std::string hd = full ? "Dg" : "D";
    const std::string kv = full && spec.kEqV ? "Kg" : "K";
    a->add(linear("q_proj", "E", "H*" + hd, spec.bias));
    a->add(rmsNorm("q_norm", norm, hd));
    if (!shared) {
        // A sharing layer has no k_proj, v_proj or k_norm: it attends with an earlier layer's keys and values.
        a->add(rmsNorm("k_norm", norm, hd)); // v_norm has no scale
        a->add(linear("k_proj", "E", kv + "*" + hd, spec.bias));
        if (!(full && spec.kEqV))
            a->add(linear("v_proj", "E", kv + "*" + hd, spec.bias));
    }
    a->add(linear("o_proj", "H*" + hd, "E", spec.bias));
    if (shared)
        a->kv.cache = expr("0"); // nothing of its own in the cache
    else if (full && spec.kEqV)
        a->kv.cache = expr("2*Kg*Dg"); // the keys serve as values, but the cache holds both
    setWindow(*a, spec.windows, full ? SlidingWindows::kFull : SlidingWindows::kSliding);
    l->add(std::move(a));
    // Alone, or beside the experts as their shared expert (26B-A4B).
    l->add(gatedMlp("mlp", "Gemma4TextMLP", "E", shared && spec.doubleWide ? "2*F" : "F", false));
    for (const char* n :
        { "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm" })
        l->add(rmsNorm(n, norm, "E"));
    if (spec.perLayerInput) {
        // The layer's slice of the per-layer input gates a small residual MLP of its own.
        l->add(linear("per_layer_input_gate", "E", "Pl", false));
        l->add(linear("per_layer_projection", "Pl", "E", false));
        l->add(rmsNorm("post_per_layer_input_norm", norm, "E"));
    }
    if (spec.moe) {
        // The router normalises without a scale of its own, then scales by `scale`.
        auto router = l->add(container("router", "Gemma4TextRouter"));
        router->role = "mlp";
        router->add(linear("proj", "E", "X", false));
        router->add(leaf(ModuleKind::Parameter, "scale", { "E" }));
        router->add(leaf(ModuleKind::Parameter, "per_expert_scale", { "X" }));
        // Two stacked tensors in the checkpoint (gate_up_proj [X, 2·Fx, E], down_proj [X, E, Fx]):
        // one expert's shape per copy, Xk of X per token.
        auto experts = container("experts", "Gemma4TextExperts");
        experts->repeat = expr("X");
        experts->activeRepeat = expr("Xk");
        experts->add(leaf(ModuleKind::Parameter, "gate_up_proj", { "2*Fx", "E" }));
        experts->add(leaf(ModuleKind::Parameter, "down_proj", { "E", "Fx" }));
        l->add(std::move(experts));
        for (const char* n :
            { "post_feedforward_layernorm_1", "post_feedforward_layernorm_2", "pre_feedforward_layernorm_2" })
            l->add(rmsNorm(n, norm, "E"));
    }
    return l; // layer_scalar is a buffer
}

} // namespace

Result<Design> buildGemma4(HfConfig& config, const std::string& modelType, const std::string& className)
{
    const bool multimodal = modelType == "gemma4";
    Design d;
    describe(d, config, modelType, className);
    auto textConfig = multimodal ? config.sub("text_config") : Result<HfConfig>(config);
    if (!textConfig)
        return textConfig.error();
    HfConfig& text = *textConfig;

    // Defaults of Gemma4TextConfig.
    auto s = declareDecoderSymbols(d, text, { 262144, 2304, 9216, 30, 8, 4, 256, 131072 });
    if (!s)
        return s.error();
    HfReader r(text, d);
    TextSpec spec;
    r.symbol("Dg", "global_head_dim", 512, "full-attention head dimension");
    spec.kEqV = r.flag("attention_k_eq_v", false);
    if (spec.kEqV) {
        // num_global_key_value_heads null means num_key_value_heads.
        if (r.isNull("num_global_key_value_heads") || !text.has("num_global_key_value_heads"))
            r.builder().derive("Kg", "K", text.name("num_global_key_value_heads"), "full-attention key heads");
        else
            r.symbol("Kg", "num_global_key_value_heads", std::nullopt, "full-attention key heads");
    }
    spec.bias = r.flag("attention_bias", false);
    // Per-layer inputs (E2B, E4B): null or 0 builds none.
    spec.perLayerInput
        = !r.isNull("hidden_size_per_layer_input") && r.integer("hidden_size_per_layer_input", 256, 0) > 0;
    if (spec.perLayerInput) {
        r.symbol("Pl", "hidden_size_per_layer_input", 256, "per-layer input width");
        r.symbol("Vp", "vocab_size_per_layer_input", 262144, "per-layer input vocabulary");
    }
    const Count shared = r.integer("num_kv_shared_layers", 0, 0);
    spec.doubleWide = r.flag("use_double_wide_mlp", false);
    spec.moe = r.flag("enable_moe_block", false);
    if (spec.moe) {
        // No class defaults: a MoE config must give all three.
        r.symbol("X", "num_experts", std::nullopt, "experts per layer");
        r.symbol("Xk", "top_k_experts", std::nullopt, "experts per token");
        r.symbol("Fx", "moe_intermediate_size", std::nullopt, "expert MLP width");
    }
    if (r.error())
        return *r.error();
    if (shared >= s->L)
        return Error { text.name("num_kv_shared_layers"),
            std::to_string(shared) + " must be less than " + text.name("num_hidden_layers") + " = "
                + std::to_string(s->L) + ": the sharing layers reuse the keys and values of earlier ones" };
    if (spec.kEqV)
        r.builder().check(
            "H/Kg", text.name("num_global_key_value_heads") + " must divide " + text.name("num_attention_heads"));
    if (spec.moe)
        r.builder().check("X/Xk", text.name("top_k_experts") + " must not exceed " + text.name("num_experts"));

    bool literal = false;
    auto runs = stackRuns(d, text, s->L, shared, literal);
    if (!runs)
        return runs.error();
    spec.windows.runs = *runs; // each run's kind says whether it is windowed
    if (!r.isNull("sliding_window"))
        spec.windows.window = r.integer("sliding_window", 512);
    if (r.error())
        return *r.error();
    // With L fixed the tree spells its value, as the per-layer input table's width needs.
    const std::string layers = literal ? std::to_string(s->L) : "L";

    const bool generation = className.ends_with("ForConditionalGeneration") || className.ends_with("ForCausalLM");
    Module* language = nullptr;
    Module* model = nullptr;
    if (multimodal) {
        model = baseModel(d, className, generation, "model", "Gemma4Model");
        language = model->add(container("language_model", "Gemma4TextModel"));
    } else {
        language = baseModel(d, className, generation, "model", "Gemma4TextModel");
    }
    // Its sqrt(E) scale is a buffer.
    language->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }))->type = "Gemma4TextScaledWordEmbedding";
    addLayerRuns(*language->add(moduleList("layers")), *runs, [&](int kind) { return decoderLayer(kind, spec); });
    language->add(rmsNorm("norm", "Gemma4RMSNorm", "E"));
    if (spec.perLayerInput) {
        // Every layer's Pl-wide input, packed into one table and one projection of the embeddings.
        language->add(leaf(ModuleKind::Embedding, "embed_tokens_per_layer", { "Vp", layers + "*Pl" }))->type
            = "Gemma4TextScaledWordEmbedding";
        language->add(linear("per_layer_model_projection", "E", layers + "*Pl", false));
        language->add(rmsNorm("per_layer_projection_norm", "Gemma4RMSNorm", "Pl"));
    }
    if (literal) {
        const bool listed = text.hasValue("layer_types");
        fixSymbol(d, "L",
            listed ? text.name("layer_types")
                    + " lists every layer, so it holds for this layer count only (import "
                      "the config again to change it)"
                   : text.name("num_kv_shared_layers")
                    + " counts the last layers, so which layers share keys and "
                      "values holds for this layer count only (import the config again to change it)");
    }
    if (shared > 0)
        d.notes.push_back("the last " + std::to_string(shared) + " layers (" + text.name("num_kv_shared_layers")
            + ") reuse the keys and values of the last earlier layer of their type: no k_proj, v_proj or k_norm "
              "and no KV cache of their own; a checkpoint that stores those tensors anyway has them dropped on "
              "loading (Gemma4TextModel._keys_to_ignore_on_load_unexpected)");

    std::vector<std::string> buffers { "each decoder layer's layer_scalar" };
    bool vision = false, audio = false;
    if (multimodal && config.hasValue("vision_config")) {
        auto sub = config.sub("vision_config");
        if (!sub)
            return sub.error();
        auto tower = gemma4Vision(d, *sub);
        if (!tower)
            return tower.error();
        model->add(std::move(*tower));
        vision = true;
        auto clips = clipsLinears(*sub, false);
        auto standardize = sub->boolean("standardize", false);
        if (!clips || !standardize)
            return clips ? standardize.error() : clips.error();
        if (*standardize)
            buffers.push_back("the vision tower's std_bias and std_scale (2·Ev)");
        if (*clips)
            buffers.push_back("four clip bounds per vision linear layer");
    } else if (multimodal) {
        d.notes.push_back("vision_config is absent: Gemma4Model builds no vision tower");
    }
    if (multimodal && config.hasValue("audio_config")) {
        auto sub = config.sub("audio_config");
        if (!sub)
            return sub.error();
        auto tower = gemma4Audio(d, *sub);
        if (!tower)
            return tower.error();
        model->add(std::move(*tower));
        audio = true;
        auto clips = clipsLinears(*sub, true);
        if (!clips)
            return clips.error();
        if (*clips)
            buffers.push_back("four clip bounds per audio linear layer");
    }
    // Gemma4Model's order: the towers, then their projections into the text width (each after a
    // norm without scale).
    if (vision) {
        auto embed = model->add(container("embed_vision", "Gemma4MultimodalEmbedder"));
        embed->role = "projector";
        embed->add(linear("embedding_projection", "Ev", "E", false));
    }
    if (audio) {
        auto embed = model->add(container("embed_audio", "Gemma4MultimodalEmbedder"));
        embed->role = "projector";
        embed->add(linear("embedding_projection", "Oa", "E", false));
    }
    std::string said;
    for (std::size_t i = 0; i < buffers.size(); ++i)
        said += (i == 0 ? "" : i + 1 == buffers.size() ? " and " : ", ") + buffers[i];
    d.notes.push_back("the checkpoint also stores buffers that are no parameters: " + said);

    if (generation) {
        auto tied = multimodal && !text.hasValue("tie_word_embeddings") ? config.boolean("tie_word_embeddings", true)
                                                                        : text.boolean("tie_word_embeddings", true);
        if (!tied)
            return tied.error();
        addLmHead(d, *d.root, *tied, multimodal ? "model.language_model.embed_tokens" : "model.embed_tokens");
    }
    return d;
}

} // namespace paramscope::core::hf

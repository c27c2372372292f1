// SPDX-License-Identifier: MIT
// Gemma 4 (gemma4, gemma4_text): Gemma 3's four-norm decoder whose full-attention layers have their
// own head dimension (global_head_dim) and, with attention_k_eq_v, their own key heads and no
// v_proj (the keys are the values); sliding and full layers from layer_types (by default five
// sliding then one full, the last layer always full). The vision tower is Gemma 4's own: a linear
// patch embedding with a learned 2-D position table, Gemma-style encoder layers, and a projection
// into the text width (embed_vision).
#include "blocks.h"
#include "families.h"
#include "reader.h"

#include <string>

namespace paramscope::core::hf {

namespace {

enum LayerKind { Sliding = 0, Full = 1 }; // as readLayerTypes numbers { "sliding_attention", "full_attention" }

/// Gemma4ClippableLinear: a Linear inside a wrapper (checkpoint name q_proj.linear.weight); its clip
/// bounds, when used, are buffers.
std::unique_ptr<Module> clippable(std::string name, const std::string& in, const std::string& out)
{
    auto m = container(std::move(name), "Gemma4ClippableLinear");
    m->add(linear("linear", in, out, false));
    return m;
}

/// Gemma4VisionModel from vision_config (Gemma4VisionConfig defaults).
Result<std::unique_ptr<Module>> gemma4Vision(Design& d, HfConfig& vision)
{
    HfReader r(vision, d);
    r.symbol("Ev", "hidden_size", 768, "vision width");
    r.symbol("Hv", "num_attention_heads", 12, "vision attention heads");
    r.symbol("Kv", "num_key_value_heads", 12, "vision key/value heads");
    r.symbol("Dv", "head_dim", 64, "vision head dimension");
    r.symbol("Lv", "num_hidden_layers", 16, "vision layers");
    r.symbol("Fv", "intermediate_size", 3072, "vision MLP width");
    r.symbol("Pv", "patch_size", 16, "patch size (pixels)");
    r.symbol("Nv", "position_embedding_size", 10240, "learned positions per axis");
    if (r.error())
        return *r.error();
    r.builder().check(
        "Hv/Kv", vision.name("num_key_value_heads") + " must divide " + vision.name("num_attention_heads"));

    auto tower = container("vision_tower", "Gemma4VisionModel");
    tower->role = "vision";
    auto embed = tower->add(container("patch_embedder", "Gemma4VisionPatchEmbedder"));
    embed->add(linear("input_proj", "3*Pv^2", "Ev", false)); // RGB patches, flattened
    embed->add(leaf(ModuleKind::Parameter, "position_embedding_table", { "2", "Nv", "Ev" })); // x and y
    auto layer = container("", "Gemma4VisionEncoderLayer");
    auto attn = layer->add(container("self_attn", "Gemma4VisionAttention"));
    attn->role = "attention";
    attn->add(clippable("q_proj", "Ev", "Hv*Dv"));
    attn->add(clippable("k_proj", "Ev", "Kv*Dv"));
    attn->add(clippable("v_proj", "Ev", "Kv*Dv"));
    attn->add(clippable("o_proj", "Hv*Dv", "Ev"));
    attn->add(rmsNorm("q_norm", "Gemma4RMSNorm", "Dv"));
    attn->add(rmsNorm("k_norm", "Gemma4RMSNorm", "Dv")); // v_norm has no scale
    auto mlp = layer->add(container("mlp", "Gemma4VisionMLP"));
    mlp->role = "mlp";
    mlp->add(clippable("gate_proj", "Ev", "Fv"));
    mlp->add(clippable("up_proj", "Ev", "Fv"));
    mlp->add(clippable("down_proj", "Fv", "Ev"));
    for (const char* n :
        { "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm" })
        layer->add(rmsNorm(n, "Gemma4RMSNorm", "Ev"));
    tower->add(container("encoder", "Gemma4VisionEncoder"))
        ->add(moduleList("layers"))
        ->add(repeated(std::move(layer), "Lv"));
    // The pooler scales and averages (no parameters); standardize's std_bias and std_scale are buffers.
    return tower;
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
    r.symbol("Dg", "global_head_dim", 512, "full-attention head dimension");
    const bool kEqV = r.flag("attention_k_eq_v", false);
    if (kEqV) {
        // num_global_key_value_heads null means num_key_value_heads.
        if (r.isNull("num_global_key_value_heads") || !text.has("num_global_key_value_heads"))
            r.builder().derive("Kg", "K", text.name("num_global_key_value_heads"), "full-attention key heads");
        else
            r.symbol("Kg", "num_global_key_value_heads", std::nullopt, "full-attention key heads");
    }
    const bool bias = r.flag("attention_bias", false);
    // Not built yet: say so rather than count a different model.
    const Count perLayerInput = r.integer("hidden_size_per_layer_input", 256, 0);
    const Count sharedKv = r.integer("num_kv_shared_layers", 0, 0);
    const bool moe = r.flag("enable_moe_block", false);
    if (r.error())
        return *r.error();
    if (perLayerInput > 0)
        return Error { text.name("hidden_size_per_layer_input"),
            std::to_string(perLayerInput) + " (per-layer input embeddings, Gemma 4 E2B/E4B) is not supported yet" };
    if (sharedKv > 0)
        return Error { text.name("num_kv_shared_layers"),
            "layers sharing key/value projections are not supported yet" };
    if (moe)
        return Error { text.name("enable_moe_block"), "MoE blocks (Gemma 4 26B-A4B) are not supported yet" };
    if (multimodal && config.hasValue("audio_config"))
        return Error { config.name("audio_config"), "the audio tower is not supported yet" };
    if (kEqV)
        r.builder().check(
            "H/Kg", text.name("num_global_key_value_heads") + " must divide " + text.name("num_attention_heads"));

    // Sliding and full layers; the class makes the last layer full whatever the list says.
    auto types = readLayerTypes(text, s->L, { "sliding_attention", "full_attention" });
    if (!types)
        return types.error();
    std::vector<LayerRun> runs;
    if (*types) {
        runs = (*types)->runs();
        if (runs.back().kind == Sliding) {
            const Count n = std::stoll(runs.back().repeat);
            runs.pop_back();
            if (n > 1)
                runs.push_back({ Sliding, std::to_string(n - 1), {} });
            runs.push_back({ Full, "1", {} });
            d.notes.push_back(text.name("layer_types")
                + " ends with a sliding layer: Gemma4TextConfig makes the last "
                  "layer full_attention, as counted here");
        }
    } else {
        // Five sliding layers then a full one, as periods in L; a remainder ends with its last layer full.
        const Count rest = s->L % 6;
        const std::string periods = rest == 0 ? "L/6" : "(L - " + std::to_string(rest) + ")/6";
        runs = { { 0, periods, { { Sliding, "5", {} }, { Full, "1", {} } } } };
        if (rest > 1)
            runs.push_back({ Sliding, std::to_string(rest - 1), {} });
        if (rest > 0)
            runs.push_back({ Full, "1", {} });
        r.builder().check(periods,
            text.name("num_hidden_layers") + " must leave the remainder " + std::to_string(rest)
                + " when divided by 6: five sliding layers then a full one (import the config again for another "
                  "remainder)");
    }
    SlidingWindows windows;
    windows.runs = runs; // each run's kind says whether it is windowed
    if (!r.isNull("sliding_window"))
        windows.window = r.integer("sliding_window", 512);
    if (r.error())
        return *r.error();

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
    const std::string norm = "Gemma4RMSNorm";
    auto layer = [&](int kind) {
        auto l = container("", "Gemma4TextDecoderLayer");
        auto a = container("self_attn", "Gemma4TextAttention");
        a->role = "attention";
        const std::string hd = kind == Full ? "Dg" : "D";
        const std::string kv = kind == Full && kEqV ? "Kg" : "K";
        a->add(linear("q_proj", "E", "H*" + hd, bias));
        a->add(rmsNorm("q_norm", norm, hd));
        a->add(rmsNorm("k_norm", norm, hd)); // v_norm has no scale
        a->add(linear("k_proj", "E", kv + "*" + hd, bias));
        if (!(kind == Full && kEqV))
            a->add(linear("v_proj", "E", kv + "*" + hd, bias));
        a->add(linear("o_proj", "H*" + hd, "E", bias));
        if (kind == Full && kEqV)
            a->kv.cache = expr("2*Kg*Dg"); // the keys serve as values, but the cache holds both
        setWindow(*a, windows, kind == Full ? SlidingWindows::kFull : SlidingWindows::kSliding);
        l->add(std::move(a));
        l->add(gatedMlp("mlp", "Gemma4TextMLP", "E", "F", false));
        for (const char* n : { "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                 "post_feedforward_layernorm" })
            l->add(rmsNorm(n, norm, "E"));
        return l; // layer_scalar is a buffer
    };
    addLayerRuns(*language->add(moduleList("layers")), runs, layer);
    if (*types)
        fixSymbol(d, "L",
            text.name("layer_types") + " lists every layer, so it holds for this layer count only (import the config "
                + "again to change it)");
    language->add(rmsNorm("norm", norm, "E"));

    if (multimodal && config.hasValue("vision_config")) {
        auto vision = config.sub("vision_config");
        if (!vision)
            return vision.error();
        auto tower = gemma4Vision(d, *vision);
        if (!tower)
            return tower.error();
        model->add(std::move(*tower));
        auto embed = model->add(container("embed_vision", "Gemma4MultimodalEmbedder"));
        embed->role = "projector";
        embed->add(linear("embedding_projection", "Ev", "E", false)); // after a norm without scale
        d.notes.push_back("the checkpoint also stores buffers that are no parameters: each decoder layer's "
                          "layer_scalar and, with standardize, the vision tower's std_bias and std_scale (2·Ev)");
    } else if (multimodal) {
        d.notes.push_back("vision_config is absent: Gemma4Model builds no vision tower");
    }
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

// SPDX-License-Identifier: MIT
// Llama 4 (llama4, llama4_text): MoE layers interleaved with dense ones (interleave_moe_layer_step,
// or a moe_layers list), each MoE layer one shared expert beside X routed ones stored as stacked
// tensors; chunked and NoPE attention shape no parameter (q/k norms are L2, without weights). The
// vision tower unfolds patches through a Linear, adds a class token and learned positions, and a
// pixel-shuffle MLP adapter feeds the projector.
#include "blocks.h"
#include "families.h"
#include "reader.h"

#include <algorithm>

namespace paramscope::core::hf {

namespace {

enum LayerKind { Dense = 0, Moe = 1 };

/// Llama4VisionModel from vision_config (Llama4VisionConfig defaults).
Result<std::unique_ptr<Module>> llama4Vision(Design& d, HfConfig& vision)
{
    HfReader r(vision, d);
    r.symbol("Ev", "hidden_size", 768, "vision width");
    r.symbol("Hv", "num_attention_heads", 16, "vision attention heads");
    r.symbol("Lv", "num_hidden_layers", 34, "vision layers");
    r.symbol("Fv", "intermediate_size", 5632, "vision MLP width");
    r.symbol("Cv", "num_channels", 3, "image channels");
    r.symbol("Iv", "image_size", 448, "image size (pixels)");
    r.symbol("Pv", "patch_size", 14, "patch size (pixels)");
    r.symbol("Pi", "projector_input_dim", 4096, "adapter width");
    r.symbol("Po", "projector_output_dim", 4096, "adapter output width");
    r.symbol("Ov", "vision_output_dim", 7680, "vision output width (the projector's input)");
    if (r.error())
        return *r.error();
    r.builder().check("Ev/Hv", vision.name("num_attention_heads") + " must divide " + vision.name("hidden_size"));
    r.builder().check("Iv/Pv", vision.name("patch_size") + " must divide " + vision.name("image_size"));

    auto tower = container("vision_model", "Llama4VisionModel");
    tower->role = "vision";
    tower->add(container("patch_embedding", "Llama4UnfoldConvolution"))
        ->add(linear("linear", "Cv*Pv^2", "Ev", false)); // unfolded patches through a Linear
    tower->add(leaf(ModuleKind::Parameter, "class_embedding", { "Ev" }));
    tower->add(leaf(ModuleKind::Parameter, "positional_embedding_vlm", { "(Iv/Pv)^2 + 1", "Ev" }));
    tower->add(layerNorm("layernorm_pre", "Ev"));
    tower->add(layerNorm("layernorm_post", "Ev"));
    auto layer = container("", "Llama4VisionEncoderLayer");
    auto attn = layer->add(container("self_attn", "Llama4VisionAttention"));
    attn->role = "attention";
    for (const char* n : { "q_proj", "k_proj", "v_proj", "o_proj" })
        attn->add(linear(n, "Ev", "Ev", true));
    layer->add(plainMlp("mlp", "Llama4VisionMLP", "Ev", "Fv", true));
    layer->add(layerNorm("input_layernorm", "Ev"));
    layer->add(layerNorm("post_attention_layernorm", "Ev"));
    tower->add(container("model", "Llama4VisionEncoder"))
        ->add(moduleList("layers"))
        ->add(repeated(std::move(layer), "Lv"));
    // The pixel shuffle folds 2x2 patches into the channels before this MLP (no parameters of its own).
    auto adapter = tower->add(container("vision_adapter", "Llama4VisionPixelShuffleMLP"));
    adapter->role = "projector";
    auto mlp = adapter->add(container("mlp", "Llama4VisionMLP2"));
    mlp->add(linear("fc1", "Fv", "Pi", false));
    mlp->add(linear("fc2", "Pi", "Po", false));
    return tower;
}

} // namespace

Result<Design> buildLlama4(HfConfig& config, const std::string& modelType, const std::string& className)
{
    const bool multimodal = modelType == "llama4";
    Design d;
    describe(d, config, modelType, className);
    auto textConfig = multimodal ? config.sub("text_config") : Result<HfConfig>(config);
    if (!textConfig)
        return textConfig.error();
    HfConfig& text = *textConfig;

    // Defaults of Llama4TextConfig; intermediate_size is the experts' (and the shared expert's) width.
    auto s = declareDecoderSymbols(d, text, { 202048, 5120, 8192, 48, 40, 8, 128, 4096 * 32 });
    if (!s)
        return s.error();
    HfReader r(text, d);
    r.symbol("Fm", "intermediate_size_mlp", 16384, "dense MLP width");
    r.symbol("X", "num_local_experts", 16, "routed experts");
    r.symbol("Xk", "num_experts_per_tok", 1, "routed experts per token");
    const bool bias = r.flag("attention_bias", false);
    const Count step = r.integer("interleave_moe_layer_step", 1);
    const bool listed = text.hasValue("moe_layers");
    std::vector<Count> moeLayers = r.integers("moe_layers");
    if (r.error())
        return *r.error();

    // Layer l is MoE when listed in moe_layers, else when (l + 1) % interleave_moe_layer_step == 0.
    std::vector<LayerRun> runs;
    if (listed) {
        std::erase_if(moeLayers, [&](Count l) { return l < 0 || l >= s->L; });
        std::sort(moeLayers.begin(), moeLayers.end());
        moeLayers.erase(std::unique(moeLayers.begin(), moeLayers.end()), moeLayers.end());
        LayerPattern pattern;
        Count from = 0;
        for (Count l : moeLayers) {
            pattern.append(Dense, l - from);
            pattern.append(Moe, 1);
            from = l + 1;
            if (pattern.size() > kMaxLayerRuns)
                return Error { text.name("moe_layers"),
                    "makes more than " + std::to_string(kMaxLayerRuns) + " runs of dense and MoE layers (the limit)" };
        }
        pattern.append(Dense, s->L - from);
        runs = pattern.runs();
    } else if (step == 1) {
        runs = { { Moe, "L", {} } };
    } else {
        const Count rest = s->L % step;
        const std::string n = std::to_string(step),
                          periods = rest == 0 ? "L/" + n : "(L - " + std::to_string(rest) + ")/" + n;
        runs = { { 0, periods, { { Dense, std::to_string(step - 1), {} }, { Moe, "1", {} } } } };
        if (rest > 0)
            runs.push_back({ Dense, std::to_string(rest), {} });
        r.builder().check(periods,
            text.name("num_hidden_layers") + " must leave the remainder " + std::to_string(rest) + " when divided by "
                + text.name("interleave_moe_layer_step") + " = " + n
                + " (import the config again for another remainder)");
    }

    const bool generation = className.ends_with("ForConditionalGeneration") || className.ends_with("ForCausalLM");
    Module* language = nullptr;
    Module* lmParent = nullptr;
    if (multimodal) {
        // Llama4ForConditionalGeneration holds the vision model, the projector and a Llama4ForCausalLM.
        d.root = container("", className);
        auto causal = container("language_model", "Llama4ForCausalLM");
        language = causal->add(container("model", "Llama4TextModel"));
        lmParent = causal.get();
        auto vision = config.sub("vision_config");
        if (!vision)
            return vision.error();
        auto tower = llama4Vision(d, *vision);
        if (!tower)
            return tower.error();
        d.root->add(std::move(*tower));
        auto projector = d.root->add(container("multi_modal_projector", "Llama4MultiModalProjector"));
        projector->role = "projector";
        projector->add(linear("linear_1", "Ov", "E", false));
        d.root->add(std::move(causal));
    } else {
        language = baseModel(d, className, generation, "model", "Llama4TextModel");
        lmParent = d.root.get();
    }
    language->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = [&](int kind) {
        auto l = container("", "Llama4TextDecoderLayer");
        // use_qk_norm's L2 norms have no weights.
        l->add(llamaAttention("self_attn", { "Llama4TextAttention", bias, bias, {}, "o_proj" }));
        if (kind == Moe) {
            auto moe = container("feed_forward", "Llama4TextMoe");
            moe->role = "mlp";
            // Stacked tensors gate_up_proj [X, E, 2F] and down_proj [X, F, E]: one expert's shape per copy.
            auto experts = container("experts", "Llama4TextExperts");
            experts->repeat = expr("X");
            experts->activeRepeat = expr("Xk");
            experts->add(leaf(ModuleKind::Parameter, "gate_up_proj", { "E", "2*F" }));
            experts->add(leaf(ModuleKind::Parameter, "down_proj", { "F", "E" }));
            moe->add(std::move(experts));
            moe->add(linear("router", "E", "X", false))->type = "Llama4Router";
            moe->add(gatedMlp("shared_expert", "Llama4TextMLP", "E", "F", false));
            l->add(std::move(moe));
        } else {
            l->add(gatedMlp("feed_forward", "Llama4TextMLP", "E", "Fm", false));
        }
        l->add(rmsNorm("input_layernorm", "Llama4TextRMSNorm", "E"));
        l->add(rmsNorm("post_attention_layernorm", "Llama4TextRMSNorm", "E"));
        return l;
    };
    addLayerRuns(*language->add(moduleList("layers")), runs, layer);
    if (listed)
        fixSymbol(d, "L",
            text.name("moe_layers") + " lists the MoE layers by index, so the pattern holds for this layer count only "
                + "(import the config again to change it)");
    language->add(rmsNorm("norm", "Llama4TextRMSNorm", "E"));
    if (generation) {
        auto tied = text.boolean("tie_word_embeddings", false);
        if (!tied)
            return tied.error();
        addLmHead(d, *lmParent, *tied, multimodal ? "language_model.model.embed_tokens" : "model.embed_tokens");
    }
    return d;
}

} // namespace paramscope::core::hf

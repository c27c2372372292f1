// SPDX-License-Identifier: MIT
// Gemma 1, 2 and 3: gemma, gemma2, gemma3_text, and gemma3 (the text model with a SigLIP vision
// tower and a multimodal projector). Text symbols of gemma3 come from text_config, so their fields
// are "text_config.hidden_size" …; the vision tower's symbols carry a "v" (Ev, Lv …) and fields
// "vision_config.hidden_size" ….
#include "blocks.h"
#include "families.h"
#include "reader.h"
#include "vision.h"

namespace paramscope::core::hf {

namespace {

struct TextFamily {
    std::string prefix; ///< class-name prefix ("Gemma2")
    DecoderDefaults defaults;
    bool fourNorms = false; ///< Gemma 2 and 3 norm before and after both attention and MLP
    bool qkNorm = false; ///< Gemma 3: q_norm, k_norm RMSNorm(head_dim)
};

// Class defaults from configuration_gemma*.py (transformers); all three tie the head by default.
TextFamily textFamily(const std::string& modelType)
{
    if (modelType == "gemma")
        return { "Gemma", { 256000, 3072, 24576, 28, 16, 16, 256, 8192 }, false, false };
    if (modelType == "gemma2")
        return { "Gemma2", { 256000, 2304, 9216, 26, 8, 4, 256, 8192 }, true, false };
    return { "Gemma3", { 262208, 2304, 9216, 26, 8, 4, 256, 131072 }, true, true };
}

/// Declares the text symbols and fills @p model (a GemmaModel-like container).
Status buildText(Design& d, HfConfig& config, const TextFamily& f, Module& model)
{
    auto s = declareDecoderSymbols(d, config, f.defaults);
    if (!s)
        return s.error();
    auto bias = config.boolean("attention_bias", false);
    if (!bias)
        return bias.error();
    const std::string& p = f.prefix;
    const std::string norm = p + "RMSNorm";

    auto embed = model.add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    if (f.qkNorm)
        embed->type = "Gemma3TextScaledWordEmbedding"; // its sqrt(E) scale is a buffer, not a parameter
    // Gemma 2 alternates sliding-window and global layers; Gemma 3 makes every sliding_window_pattern-th
    // layer global. Only the KV cache depends on it, so the layers stay one run unless a
    // layer_types list follows no period; any list fixes L (it names every layer).
    SlidingWindows windows;
    if (p != "Gemma") {
        auto w = p == "Gemma2" ? readSlidingWindows(config, 4096, s->L, nullptr, 2)
                               : readSlidingWindows(config, 4096, s->L, "sliding_window_pattern", 6);
        if (!w)
            return w.error();
        windows = std::move(*w);
    }
    auto layer = [&](int kind) {
        auto l = container("", p + "DecoderLayer");
        auto attn = llamaAttention("self_attn", { p + "Attention", *bias, *bias, f.qkNorm ? norm : "", "o_proj" });
        setWindow(*attn, windows, kind);
        l->add(std::move(attn));
        l->add(gatedMlp("mlp", p + "MLP", "E", "F", false));
        l->add(rmsNorm("input_layernorm", norm, "E"));
        l->add(rmsNorm("post_attention_layernorm", norm, "E"));
        if (f.fourNorms) {
            l->add(rmsNorm("pre_feedforward_layernorm", norm, "E"));
            l->add(rmsNorm("post_feedforward_layernorm", norm, "E"));
        }
        return l;
    };
    Module* layers = model.add(moduleList("layers"));
    if (windows.runs.empty())
        layers->add(repeated(layer(SlidingWindows::kSliding), windows.repeat(s->L)));
    else
        addLayerRuns(*layers, windows.runs, layer);
    fixListedLayers(d, config, windows);
    model.add(rmsNorm("norm", norm, "E"));
    return Ok {};
}

Result<Design> buildGemma3(HfConfig& config, const std::string& modelType, const std::string& className)
{
    Design d;
    describe(d, config, modelType, className);
    auto text = config.sub("text_config");
    auto vision = config.sub("vision_config");
    if (!text)
        return text.error();
    if (!vision)
        return vision.error();

    const bool generation = className == "Gemma3ForConditionalGeneration";
    Module* model = baseModel(d, className, generation, "model", "Gemma3Model");
    // Text symbols first (they matter most), though print(model) shows the vision tower first.
    auto language = container("language_model", "Gemma3TextModel");
    if (auto st = buildText(d, *text, textFamily("gemma3_text"), *language); !st)
        return st.error();
    auto tower = siglipVision(d, *vision);
    if (!tower)
        return tower.error();

    model->add(std::move(*tower));
    auto projector = model->add(container("multi_modal_projector", "Gemma3MultiModalProjector"));
    projector->role = "projector";
    // A bare [Ev, E] Parameter with no bias; print(model) does not show it.
    projector->add(leaf(ModuleKind::Parameter, "mm_input_projection_weight", { "Ev", "E" }));
    projector->add(rmsNorm("mm_soft_emb_norm", "Gemma3RMSNorm", "Ev"));
    model->add(std::move(language));

    if (generation) {
        // Tying follows the text config (get_text_config()), then the top level; both default to true.
        auto tied = text->hasValue("tie_word_embeddings") || !config.hasValue("tie_word_embeddings")
            ? text->boolean("tie_word_embeddings", true)
            : config.boolean("tie_word_embeddings", true);
        if (!tied)
            return tied.error();
        addLmHead(d, *d.root, *tied, "model.language_model.embed_tokens");
    }
    if (d.symbol("V")->value == 262208)
        d.notes.push_back("sizes published with vocab_size 262144 instead of 262208 (KerasHub gemma3_4b) are "
                          "lower by 64·E");
    return d;
}

} // namespace

Result<Design> buildGemma(HfConfig& config, const std::string& modelType, const std::string& className)
{
    if (modelType == "gemma3")
        return buildGemma3(config, modelType, className);
    const TextFamily f = textFamily(modelType);
    Design d;
    describe(d, config, modelType, className);
    const bool causal = className.ends_with("ForCausalLM");
    // Gemma3ForCausalLM holds a Gemma3TextModel; the others a <Prefix>Model.
    const std::string modelClass = modelType == "gemma3_text" ? "Gemma3TextModel" : f.prefix + "Model";
    Module* model = baseModel(d, className, causal, "model", modelClass);
    if (auto st = buildText(d, config, f, *model); !st)
        return st.error();
    if (causal) {
        auto tied = config.boolean("tie_word_embeddings", true);
        if (!tied)
            return tied.error();
        addLmHead(d, *d.root, *tied, "model.embed_tokens");
    }
    return d;
}

} // namespace paramscope::core::hf

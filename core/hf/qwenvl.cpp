// SPDX-License-Identifier: MIT
// Qwen2.5-VL, Qwen3-VL and Qwen3-VL-MoE: a Qwen vision transformer ("visual", vision.cpp) whose
// merger feeds the text model, and a Qwen2 / Qwen3 / Qwen3-MoE text model ("language_model").
// Text symbols come from text_config (Qwen2.5-VL files written before it had one keep the text
// fields at the top level, which its config class reads as the text config).
#include "blocks.h"
#include "families.h"
#include "reader.h"
#include "vision.h"

namespace paramscope::core::hf {

namespace {

struct Family {
    std::string prefix; ///< "Qwen2_5_VL", "Qwen3VL", "Qwen3VLMoe"
    DecoderDefaults text; ///< the text config class's defaults
    QwenVisionSpec vision;
    bool moe = false;
};

// Class defaults from configuration_qwen2_5_vl.py, configuration_qwen3_vl.py and
// configuration_qwen3_vl_moe.py (transformers).
Family family(const std::string& modelType)
{
    if (modelType == "qwen2_5_vl")
        return { "Qwen2_5_VL", { 152064, 8192, 29568, 80, 64, 8, std::nullopt, 32768 },
            { QwenVisionSpec::Qwen25, "Qwen2_5_VL", 32, 3584, 3420, 16, 14, 3584, 0, false }, false };
    if (modelType == "qwen3_vl")
        return { "Qwen3VL", { 151936, 4096, 22016, 32, 32, 32, 128, 128000 },
            { QwenVisionSpec::Qwen3, "Qwen3VL", 27, 1152, 4304, 16, 16, 3584, 2304, true }, false };
    return { "Qwen3VLMoe", { 151936, 2048, 5632, 24, 16, 16, std::nullopt, 128000 },
        { QwenVisionSpec::Qwen3, "Qwen3VLMoe", 27, 1152, 4304, 16, 16, 3584, 2304, true }, true };
}

/// The experts of a Qwen3-VL-MoE layer as the class holds them: two stacked tensors, shown here
/// with one expert's shape in a container repeated X times (Xk per token), so that the total and
/// the active count are both exact.
std::unique_ptr<Module> fusedMoe(const std::string& p)
{
    auto moe = container("mlp", p + "TextSparseMoeBlock");
    moe->role = "mlp";
    auto experts = container("experts", p + "TextExperts");
    experts->repeat = expr("X");
    experts->activeRepeat = expr("Xk");
    experts->add(leaf(ModuleKind::Parameter, "gate_up_proj", { "2*Fx", "E" }));
    experts->add(leaf(ModuleKind::Parameter, "down_proj", { "E", "Fx" }));
    moe->add(std::move(experts));
    auto gate = moe->add(container("gate", p + "TextTopKRouter"));
    gate->add(leaf(ModuleKind::Parameter, "weight", { "X", "E" }));
    return moe;
}

} // namespace

Result<Design> buildQwenVl(HfConfig& config, const std::string& modelType, const std::string& className)
{
    const Family f = family(modelType);
    const std::string& p = f.prefix;
    Design d;
    describe(d, config, modelType, className);
    // Qwen2_5_VLConfig builds its text config from the top-level fields when text_config is absent.
    const bool topLevelText = modelType == "qwen2_5_vl" && !config.hasValue("text_config");
    auto textConfig = topLevelText ? Result<HfConfig>(config) : config.sub("text_config");
    if (!textConfig)
        return textConfig.error();
    HfConfig& text = *textConfig;
    auto vision = config.sub("vision_config");
    if (!vision)
        return vision.error();

    auto s = declareDecoderSymbols(d, text, f.text);
    if (!s)
        return s.error();
    // layer_types only says which layers use sliding_window (off in every released config): it shapes
    // no parameter, but a list pins the layer count, so L is then fixed.
    auto layerTypes = readLayerTypes(text, s->L, { "full_attention", "sliding_attention" });
    if (!layerTypes)
        return layerTypes.error();
    SparseLayers layers;
    layers.runs = { { SparseLayers::kDense, *layerTypes ? std::to_string(s->L) : "L", {} } };
    if (f.moe) {
        auto sparse = declareSparseLayers(d, text, s->L, { 60, 4, 1408 }, layerTypes->has_value());
        if (!sparse)
            return sparse.error();
        layers = std::move(*sparse);
    }
    HfReader r(text, d);
    // Qwen2.5-VL's text attention has q/k/v biases hard-coded; Qwen3-VL's follow attention_bias (o_proj too).
    const bool bias = modelType != "qwen2_5_vl" && r.flag("attention_bias", false);
    if (r.error())
        return *r.error();
    auto tower = qwenVision(d, *vision, f.vision);
    if (!tower)
        return tower.error();

    const bool generation = className.ends_with("ForConditionalGeneration");
    Module* model = baseModel(d, className, generation, "model", p + "Model");
    model->add(std::move(*tower));
    const std::string textPrefix = modelType == "qwen2_5_vl" ? p : p + "Text";
    auto language = model->add(container("language_model", p + "TextModel"));
    language->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    const std::string norm = modelType == "qwen2_5_vl" ? "Qwen2RMSNorm" : textPrefix + "RMSNorm";
    AttentionSpec attention { textPrefix + "Attention", modelType == "qwen2_5_vl" || bias, bias,
        modelType == "qwen2_5_vl" ? "" : norm, "o_proj" };
    auto makeLayer = [&](int kind) {
        auto l = container("", textPrefix + "DecoderLayer");
        l->add(llamaAttention("self_attn", attention));
        if (kind == SparseLayers::kRouted)
            l->add(fusedMoe(p));
        else
            l->add(gatedMlp("mlp", modelType == "qwen2_5_vl" ? "Qwen2MLP" : textPrefix + "MLP", "E", "F", false));
        l->add(rmsNorm("input_layernorm", norm, "E"));
        l->add(rmsNorm("post_attention_layernorm", norm, "E"));
        return l;
    };
    addLayerRuns(*language->add(moduleList("layers")), layers.runs, makeLayer);
    if (layers.fixLayers && !layers.why.empty())
        fixSymbol(d, "L", layers.why);
    else if (*layerTypes)
        fixSymbol(d, "L",
            text.name("layer_types") + " lists every layer, so it holds for this layer count only (import the "
                + "config again to change it)");
    if (f.moe && layers.any)
        r.builder().check("X/X",
            d.symbol("X")->field + " = 0 would make every layer dense, a different structure from this "
                + "import's (import the config again instead)");
    if (f.moe && !layers.any)
        for (const char* x : { "X", "Xk", "Fx" })
            if (int i = d.symbolIndex(x); i >= 0)
                d.symbols.erase(d.symbols.begin() + i);
    language->add(rmsNorm("norm", norm, "E"));

    if (generation) {
        // The composite config's own tie_word_embeddings (as released checkpoints set it), else the
        // text config's; both classes default to false except Qwen3-VL-MoE's text config, whose
        // released checkpoints all say false at the top level.
        auto tied = config.hasValue("tie_word_embeddings") || topLevelText
            ? config.boolean("tie_word_embeddings", false)
            : text.boolean("tie_word_embeddings", f.moe);
        if (!tied)
            return tied.error();
        addLmHead(d, *d.root, *tied, "model.language_model.embed_tokens");
    }
    if (f.moe && layers.any)
        d.notes.push_back("transformers before v5 stores gate_up_proj as [X, E, 2·Fx] (here [X, 2·Fx, E] as v5 "
                          "holds it, one expert per copy); the count is the same");
    d.notes.push_back("checkpoints written before transformers v4.52 name the modules visual.* and model.layers.* "
                      "(now model.visual.* and model.language_model.layers.*); the count is the same");
    return d;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
// StarCoder2: Llama-shaped attention (GQA, rotary) with biases on every projection (use_bias),
// a plain c_fc/c_proj MLP and LayerNorms with bias; the head is tied by default.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildStarcoder2(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    // Defaults of Starcoder2Config (configuration_starcoder2.py; the 3B shape).
    auto s = declareDecoderSymbols(d, c, { 49152, 3072, 12288, 30, 24, 2, std::nullopt, 4096 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    const bool bias = r.flag("use_bias", true);
    const bool lm = className == "Starcoder2ForCausalLM";
    const bool tie = lm && r.flag("tie_word_embeddings", true);
    if (r.error())
        return *r.error();
    // Every layer attends through sliding_window when it is set (StarCoder2 3B/7B/15B: 4096).
    auto windows = readSlidingWindows(c, std::nullopt, s->L, nullptr, 0);
    if (!windows)
        return windows.error();
    if (!windows->runs.empty())
        return Error { c.name("layer_types"), "follows no period of sliding and full layers (not supported)" };

    Module* model = baseModel(d, className, lm, "model", "Starcoder2Model");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = container("", "Starcoder2DecoderLayer");
    setWindow(*layer->add(llamaAttention("self_attn", { "Starcoder2Attention", bias, bias, {}, "o_proj" })), *windows);
    layer->add(plainMlp("mlp", "Starcoder2MLP", "E", "F", bias, "c_fc", "c_proj"));
    layer->add(layerNorm("input_layernorm", "E"));
    layer->add(layerNorm("post_attention_layernorm", "E"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), windows->repeat(s->L)));
    fixListedLayers(d, c, *windows);
    model->add(layerNorm("norm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
// Phi-3.5-MoE (model_type phimoe): Mixtral-shaped sparse layers (a router over X experts with w1,
// w2, w3) under LayerNorms with bias, optional biases on the attention projections and on the
// head.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildPhimoe(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    // Defaults of PhimoeConfig (configuration_phimoe.py; the Phi-3.5-MoE shape).
    auto s = declareDecoderSymbols(d, c, { 32064, 4096, 6400, 32, 32, 8, std::nullopt, 4096 * 32 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    r.symbol("X", "num_local_experts", 16, "experts per layer");
    r.symbol("Xk", "num_experts_per_tok", 2, "experts per token");
    const bool bias = r.flag("attention_bias", false);
    const bool lm = className.ends_with("ForCausalLM"); // PhiMoEForCausalLM: the remote code's name
    const bool headBias = lm && r.flag("lm_head_bias", false);
    const bool tie = lm && r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();
    // Every layer attends through sliding_window when it is set (Phi-3.5-MoE: 131072).
    auto windows = readSlidingWindows(c, std::nullopt, s->L, nullptr, 0);
    if (!windows)
        return windows.error();
    if (!windows->runs.empty())
        return Error { c.name("layer_types"), "follows no period of sliding and full layers (not supported)" };

    Module* model = baseModel(d, className, lm, "model", "PhimoeModel");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = container("", "PhimoeDecoderLayer");
    setWindow(*layer->add(llamaAttention("self_attn", { "PhimoeAttention", bias, bias, {}, "o_proj" })), *windows);
    auto moe = container("block_sparse_moe", "PhimoeSparseMoeBlock");
    moe->role = "mlp";
    moe->add(linear("gate", "E", "X", false));
    auto expert = container("", "PhimoeBlockSparseTop2MLP");
    expert->add(linear("w1", "E", "F", false));
    expert->add(linear("w2", "F", "E", false));
    expert->add(linear("w3", "E", "F", false));
    moe->add(moduleList("experts"))->add(repeated(std::move(expert), "X", "Xk"));
    layer->add(std::move(moe));
    // nn.LayerNorm with weight and bias, although the config calls its epsilon rms_norm_eps.
    layer->add(layerNorm("input_layernorm", "E"));
    layer->add(layerNorm("post_attention_layernorm", "E"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), windows->repeat(s->L)));
    fixListedLayers(d, c, *windows);
    model->add(layerNorm("norm", "E"));
    if (lm) {
        Module* head = d.root->add(linear("lm_head", "E", "V", headBias));
        if (tie)
            head->tiedTo = "model.embed_tokens";
    }
    d.notes.push_back("transformers v5 fuses each layer's experts into two tensors (gate_up_proj, down_proj); the "
                      "count is the same");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
// Phi-1/1.5/2 (model_type phi: parallel attention and MLP under one LayerNorm, biases everywhere,
// an lm_head with a bias) and Phi-3/3.5/4 (model_type phi3: fused qkv_proj and gate_up_proj).
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

namespace {

Result<Design> buildPhi1(HfConfig& c, const std::string& className)
{
    Design d;
    // Defaults of PhiConfig (the Phi-1.5 shape); head_dim is never set in phi configs.
    auto s = declareDecoderSymbols(d, c, { 51200, 2048, 8192, 24, 32, std::nullopt, std::nullopt, 2048 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    const bool qkNorm = r.flag("qk_layernorm", false);
    const bool tie = r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();

    const bool lm = className == "PhiForCausalLM";
    Module* model = baseModel(d, className, lm, "model", "PhiModel");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = container("", "PhiDecoderLayer");
    // q/k/v/dense biases are hard-coded on; the output projection is called dense.
    auto attn = llamaAttention("self_attn", { "PhiAttention", true, true, {}, "dense" });
    if (qkNorm) {
        attn->add(layerNorm("q_layernorm", "D"));
        attn->add(layerNorm("k_layernorm", "D"));
    }
    layer->add(std::move(attn));
    layer->add(plainMlp("mlp", "PhiMLP", "E", "F", true));
    // Attention and MLP run in parallel on one normalised input: a single norm per layer.
    layer->add(layerNorm("input_layernorm", "E"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), "L"));
    model->add(layerNorm("final_layernorm", "E"));
    if (lm) {
        Module* head = d.root->add(linear("lm_head", "E", "V", true)); // Phi's head has a bias
        if (tie)
            head->tiedTo = "model.embed_tokens"; // noted, with its counted bias, by Design::allNotes()
    }
    return d;
}

Result<Design> buildPhi3(HfConfig& c, const std::string& className)
{
    Design d;
    // Defaults of Phi3Config (the Phi-3-mini shape).
    auto s = declareDecoderSymbols(d, c, { 32064, 3072, 8192, 32, 32, std::nullopt, std::nullopt, 4096 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    const bool tie = r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();
    // Phi3Attention windows every layer when sliding_window is set (Phi-3-mini: 2047).
    auto windows = readSlidingWindows(c, std::nullopt, s->L, nullptr, 0);
    if (!windows)
        return windows.error();
    if (!windows->runs.empty())
        return Error { c.name("layer_types"), "follows no period of sliding and full layers (not supported for phi3)" };

    const bool lm = className == "Phi3ForCausalLM";
    Module* model = baseModel(d, className, lm, "model", "Phi3Model");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = container("", "Phi3DecoderLayer");
    Module* attn = layer->add(container("self_attn", "Phi3Attention"));
    attn->role = "attention";
    attn->add(linear("o_proj", "H*D", "E", false));
    attn->add(linear("qkv_proj", "E", "H*D + 2*K*D", false)); // q, k and v in one matrix
    setWindow(*attn, *windows);
    Module* mlp = layer->add(container("mlp", "Phi3MLP"));
    mlp->role = "mlp";
    mlp->add(linear("gate_up_proj", "E", "2*F", false)); // gate and up in one matrix
    mlp->add(linear("down_proj", "F", "E", false));
    layer->add(rmsNorm("input_layernorm", "Phi3RMSNorm", "E"));
    layer->add(rmsNorm("post_attention_layernorm", "Phi3RMSNorm", "E"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), windows->repeat(s->L)));
    fixListedLayers(d, c, *windows);
    model->add(rmsNorm("norm", "Phi3RMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");
    return d;
}

} // namespace

Result<Design> buildPhi(HfConfig& c, const std::string& modelType, const std::string& className)
{
    auto d = modelType == "phi3" ? buildPhi3(c, className) : buildPhi1(c, className);
    if (d)
        describe(*d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

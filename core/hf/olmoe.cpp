// SPDX-License-Identifier: MIT
// OLMoE: Llama-shaped pre-norm layers whose MLP is a router over X experts (no shared expert),
// with q_norm/k_norm over the whole query and key projections (as OLMo-2's).
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildOlmoe(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    // Defaults of OlmoeConfig (configuration_olmoe.py; OLMoE-1B-7B). Its intermediate_size is the
    // experts' width: the layers have no dense MLP.
    auto s = declareDecoderSymbols(d, c, { 50304, 2048, 2048, 16, 16, std::nullopt, std::nullopt, 4096 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    // num_local_experts is the attribute_map's name for num_experts: read either.
    const char* expertsField
        = !c.hasValue("num_experts") && c.hasValue("num_local_experts") ? "num_local_experts" : "num_experts";
    r.symbol("X", expertsField, 64, "experts per layer");
    r.symbol("Xk", "num_experts_per_tok", 8, "experts per token");
    const bool bias = r.flag("attention_bias", false);
    const bool lm = className == "OlmoeForCausalLM";
    const bool tie = lm && r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();

    Module* model = baseModel(d, className, lm, "model", "OlmoeModel");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = container("", "OlmoeDecoderLayer");
    auto attn = llamaAttention("self_attn", { "OlmoeAttention", bias, bias, {}, "o_proj" });
    // OlmoeRMSNorm(hidden_size) and OlmoeRMSNorm(hidden_size // num_attention_heads · num_key_value_heads):
    // over the whole projections (equal to H·D and K·D unless head_dim is set apart).
    attn->add(rmsNorm("q_norm", "OlmoeRMSNorm", "E"));
    attn->add(rmsNorm("k_norm", "OlmoeRMSNorm", "K*(E/H)"));
    r.builder().check("E/H", c.name("num_attention_heads") + " must divide " + c.name("hidden_size"));
    layer->add(std::move(attn));
    auto moe = container("mlp", "OlmoeSparseMoeBlock");
    moe->role = "mlp";
    moe->add(linear("gate", "E", "X", false));
    moe->add(moduleList("experts"))->add(repeated(gatedMlp("", "OlmoeMLP", "E", "F", false), "X", "Xk"));
    layer->add(std::move(moe));
    layer->add(rmsNorm("input_layernorm", "OlmoeRMSNorm", "E"));
    layer->add(rmsNorm("post_attention_layernorm", "OlmoeRMSNorm", "E"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), "L"));
    model->add(rmsNorm("norm", "OlmoeRMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");
    d.notes.push_back("intermediate_size is each expert's width (OLMoE has no dense MLP)");
    d.notes.push_back("transformers v5 fuses each layer's experts into two tensors (gate_up_proj, down_proj); the "
                      "count is the same");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
// OLMo-2: Llama-shaped, but norms after attention and MLP instead of before, and q_norm/k_norm
// over the whole query and key projections (not per head).
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildOlmo2(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    // Defaults of Olmo2Config (the OLMo-2 7B shape).
    auto s = declareDecoderSymbols(d, c, { 50304, 4096, 11008, 32, 32, std::nullopt, std::nullopt, 2048 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    const bool bias = r.flag("attention_bias", false);
    const bool tie = r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();

    const bool lm = className == "Olmo2ForCausalLM";
    Module* model = baseModel(d, className, lm, "model", "Olmo2Model");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = container("", "Olmo2DecoderLayer");
    auto attn = llamaAttention("self_attn", { "Olmo2Attention", bias, bias, {}, "o_proj" });
    attn->add(rmsNorm("q_norm", "Olmo2RMSNorm", "H*D"));
    attn->add(rmsNorm("k_norm", "Olmo2RMSNorm", "K*D"));
    layer->add(std::move(attn));
    layer->add(gatedMlp("mlp", "Olmo2MLP", "E", "F", false));
    // No input_layernorm: OLMo-2 normalises each sublayer's output.
    layer->add(rmsNorm("post_attention_layernorm", "Olmo2RMSNorm", "E"));
    layer->add(rmsNorm("post_feedforward_layernorm", "Olmo2RMSNorm", "E"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), "L"));
    model->add(rmsNorm("norm", "Olmo2RMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

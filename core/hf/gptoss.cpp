// SPDX-License-Identifier: MIT
// gpt-oss: biased attention with a learned sink per head, and MoE layers whose experts the
// checkpoint stores as stacked tensors with biases.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildGptOss(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    // Defaults of GptOssConfig (the gpt-oss-120b shape).
    auto s = declareDecoderSymbols(d, c, { 201088, 2880, 2880, 36, 64, 8, 64, 131072 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    r.symbol("X", "num_local_experts", 128, "experts");
    r.symbol("Xk", "num_experts_per_tok", 4, "experts per token");
    const bool tie = r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();
    // layer_types (by default sliding, full, sliding, …): only the KV cache depends on it.
    auto windows = readSlidingWindows(c, 128, s->L, nullptr, 2);
    if (!windows)
        return windows.error();

    const bool lm = className == "GptOssForCausalLM";
    Module* model = baseModel(d, className, lm, "model", "GptOssModel");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = container("", "GptOssDecoderLayer");
    // GptOssConfig forces attention_bias on whatever the file says. H·D (4096) need not equal E (2880).
    auto attn = llamaAttention("self_attn", { "GptOssAttention", true, true, {}, "o_proj" });
    attn->add(leaf(ModuleKind::Parameter, "sinks", { "H" })); // a learned attention-sink logit per head
    if (!windows->runs.empty())
        return Error { c.name("layer_types"),
            "follows no period of sliding and full layers (not supported for gpt_oss)" };
    setWindow(*attn, *windows);
    layer->add(std::move(attn));

    Module* mlp = layer->add(container("mlp", "GptOssMLP"));
    mlp->role = "mlp";
    Module* router = mlp->add(container("router", "GptOssTopKRouter"));
    router->add(leaf(ModuleKind::Parameter, "weight", { "X", "E" }));
    router->add(leaf(ModuleKind::Parameter, "bias", { "X" }));
    // The checkpoint stacks the experts (gate_up_proj is [X, E, 2F]); here each Parameter has one
    // expert's shape and the container repeats X times, Xk of them per token, so that both the
    // total and the active count are exact.
    auto experts = container("experts", "GptOssExperts");
    experts->repeat = expr("X");
    experts->activeRepeat = expr("Xk");
    experts->add(leaf(ModuleKind::Parameter, "gate_up_proj", { "E", "2*F" }));
    experts->add(leaf(ModuleKind::Parameter, "gate_up_proj_bias", { "2*F" }));
    experts->add(leaf(ModuleKind::Parameter, "down_proj", { "F", "E" }));
    experts->add(leaf(ModuleKind::Parameter, "down_proj_bias", { "E" }));
    mlp->add(std::move(experts));
    layer->add(rmsNorm("input_layernorm", "GptOssRMSNorm", "E"));
    layer->add(rmsNorm("post_attention_layernorm", "GptOssRMSNorm", "E"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), windows->repeat(s->L)));
    fixListedLayers(d, c, *windows);
    model->add(rmsNorm("norm", "GptOssRMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");

    d.notes.push_back("OpenAI's active-parameter figures (3.6B for gpt-oss-20b, 5.1B for 120b) leave out the input "
                      "embedding: active per token − V·E");
    d.notes.push_back("the checkpoint stores the experts in MXFP4 (packed blocks plus scales), so summing its tensor "
                      "sizes gives fewer elements than the logical count here, which the class and GGUF report");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

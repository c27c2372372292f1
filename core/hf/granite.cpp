// SPDX-License-Identifier: MIT
// IBM Granite 3.x (model_type granite: Llama-shaped, with embedding/attention/residual/logit
// multipliers that hold no parameters) and GraniteMoE (granitemoe: the MLP is a router over X
// experts stored as two stacked tensors, input_linear [X, 2F, E] and output_linear [X, E, F]).
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildGranite(HfConfig& c, const std::string& modelType, const std::string& className)
{
    const bool moe = modelType == "granitemoe";
    const std::string p = moe ? "GraniteMoe" : "Granite";
    Design d;
    // Defaults of GraniteConfig and GraniteMoeConfig (configuration_granite*.py): Llama's shape.
    auto s = declareDecoderSymbols(d, c, { 32000, 4096, 11008, 32, 32, std::nullopt, std::nullopt, 2048 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    if (moe) {
        r.symbol("X", "num_local_experts", 8, "experts per layer");
        r.symbol("Xk", "num_experts_per_tok", 2, "experts per token");
    }
    const bool bias = r.flag("attention_bias", false);
    const bool mlpBias = !moe && r.flag("mlp_bias", false);
    const bool lm = className.ends_with("ForCausalLM");
    const bool tie = lm && r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();

    Module* model = baseModel(d, className, lm, "model", p + "Model");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = container("", p + "DecoderLayer");
    layer->add(llamaAttention("self_attn", { p + "Attention", bias, bias, {}, "o_proj" }));
    if (moe) {
        auto block = container("block_sparse_moe", "GraniteMoeMoE");
        block->role = "mlp";
        // The checkpoint stacks the experts ([X, 2F, E], [X, E, F]); each Parameter here has one
        // expert's shape and its container repeats X times, Xk per token, so that the total and the
        // active count are both exact.
        for (auto [name, rows, cols] : { std::tuple { "input_linear", "2*F", "E" }, { "output_linear", "E", "F" } }) {
            auto stacked = container(name, "GraniteMoeParallelExperts");
            stacked->role = "experts";
            stacked->repeat = expr("X");
            stacked->activeRepeat = expr("Xk");
            stacked->add(leaf(ModuleKind::Parameter, "weight", { rows, cols }));
            block->add(std::move(stacked));
        }
        block->add(container("router", "GraniteMoeTopKGating"))->add(linear("layer", "E", "X", false));
        layer->add(std::move(block));
    } else {
        layer->add(gatedMlp("mlp", p + "MLP", "E", "F", mlpBias));
    }
    layer->add(rmsNorm("input_layernorm", p + "RMSNorm", "E"));
    layer->add(rmsNorm("post_attention_layernorm", p + "RMSNorm", "E"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), "L"));
    model->add(rmsNorm("norm", p + "RMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");
    if (moe)
        d.notes.push_back("intermediate_size is each expert's width (GraniteMoE has no dense MLP)");
    d.notes.push_back("embedding_multiplier, attention_multiplier, residual_multiplier and logits_scaling scale "
                      "activations and hold no parameters");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

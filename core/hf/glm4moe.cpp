// SPDX-License-Identifier: MIT
// GLM-4.5 / 4.6 / 4.7 (glm4_moe): grouped-query attention with biased q/k/v (and optional q/k
// norms), first_k_dense_replace dense layers, then DeepSeek-V3-style MoE layers: routed experts, a
// sigmoid router whose score-correction bias is a buffer, and shared experts.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildGlm4Moe(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    // Defaults of Glm4MoeConfig (configuration_glm4_moe.py).
    auto s = declareDecoderSymbols(d, c, { 151552, 4096, 10944, 46, 96, 8, std::nullopt, 131072 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    r.symbol("X", "n_routed_experts", 128, "routed experts");
    r.symbol("Xk", "num_experts_per_tok", 8, "routed experts per token");
    r.symbol("Fx", "moe_intermediate_size", 1408, "expert MLP width");
    // Glm4MoeMoE always builds shared_experts, n_shared_experts times as wide (0: an empty MLP).
    r.symbol("Xs", "n_shared_experts", 1, "shared experts", 0);
    const Count dense = r.integer("first_k_dense_replace", 1, 0);
    const bool bias = r.flag("attention_bias", false);
    const bool qkNorm = r.flag("use_qk_norm", false);
    const bool tie = r.flag("tie_word_embeddings", false);
    const Count mtp = c.hasValue("num_nextn_predict_layers") ? r.integer("num_nextn_predict_layers", 0, 0) : 0;
    if (r.error())
        return *r.error();

    // Layer i is MoE when i >= first_k_dense_replace: Ld dense layers then L − Ld MoE layers, in
    // symbols; when Ld exceeds L every layer is dense and more layers would add MoE ones, so L is fixed.
    enum { Dense = 0, Moe = 1 };
    std::vector<LayerRun> runs;
    if (dense <= s->L) {
        r.builder().set("Ld", dense, c.name("first_k_dense_replace"), "leading dense layers", 0);
        runs = { { Dense, "Ld", {} }, { Moe, "L - Ld", {} } };
    } else {
        runs = { { Dense, std::to_string(s->L), {} } };
    }

    const bool lm = className.ends_with("ForCausalLM");
    Module* model = baseModel(d, className, lm, "model", "Glm4MoeModel");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = [&](int kind) {
        auto l = container("", "Glm4MoeDecoderLayer");
        l->add(
            llamaAttention("self_attn", { "Glm4MoeAttention", bias, false, qkNorm ? "Glm4MoeRMSNorm" : "", "o_proj" }));
        if (kind == Moe) {
            auto moe = container("mlp", "Glm4MoeMoE");
            moe->role = "mlp";
            moe->add(moduleList("experts"))->add(repeated(gatedMlp("", "Glm4MoeMLP", "E", "Fx", false), "X", "Xk"));
            // The router's weight; its e_score_correction_bias is a buffer, not a parameter.
            moe->add(container("gate", "Glm4MoeTopkRouter"))->add(leaf(ModuleKind::Parameter, "weight", { "X", "E" }));
            moe->add(gatedMlp("shared_experts", "Glm4MoeMLP", "E", "Fx*Xs", false));
            l->add(std::move(moe));
        } else {
            l->add(gatedMlp("mlp", "Glm4MoeMLP", "E", "F", false));
        }
        l->add(rmsNorm("input_layernorm", "Glm4MoeRMSNorm", "E"));
        l->add(rmsNorm("post_attention_layernorm", "Glm4MoeRMSNorm", "E"));
        return l;
    };
    addLayerRuns(*model->add(moduleList("layers")), runs, layer);
    if (dense > s->L)
        fixSymbol(d, "L",
            "first_k_dense_replace = " + std::to_string(dense)
                + " exceeds the layer count, so every layer is dense here; more layers would add MoE ones "
                  "(import the config again to change it)");
    model->add(rmsNorm("norm", "Glm4MoeRMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");

    if (mtp > 0)
        d.notes.push_back("num_nextn_predict_layers = " + std::to_string(mtp)
            + ": the checkpoint also stores the multi-token-prediction layer (model.layers." + std::to_string(s->L)
            + ".*: one more MoE layer, eh_proj 2E → E, three norms, and its own copies of embed_tokens and the "
              "head), which "
            + className + " skips on loading; Hub totals include it");
    d.notes.push_back("each MoE layer's gate.e_score_correction_bias (X values) is a buffer: stored in the "
                      "checkpoint, not counted by num_parameters()");
    d.notes.push_back("transformers v5 fuses each layer's routed experts into two tensors (gate_up_proj, down_proj); "
                      "the count is the same");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

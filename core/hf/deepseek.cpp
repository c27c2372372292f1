// SPDX-License-Identifier: MIT
// DeepSeek-V2 and -V3: multi-head latent attention (MLA), a few dense layers, then MoE layers
// with routed and shared experts. The in-library classes and the hub's remote code build the
// same parameters under the checkpoint's names (model.layers.N.self_attn.q_a_proj …).
#include "blocks.h"
#include "families.h"
#include "reader.h"

#include <algorithm>

namespace paramscope::core::hf {

namespace {

std::unique_ptr<Module> attention(const std::string& prefix, bool qLora, bool bias)
{
    const std::string norm = prefix + "RMSNorm";
    auto a = container("self_attn", prefix + "Attention");
    a->role = "attention";
    if (qLora) {
        a->add(linear("q_a_proj", "E", "Rq", bias));
        a->add(rmsNorm("q_a_layernorm", norm, "Rq"));
        a->add(linear("q_b_proj", "Rq", "H*(Dn + Dr)", false));
    } else {
        a->add(linear("q_proj", "E", "H*(Dn + Dr)", false));
    }
    // The compressed key/value latent plus the RoPE key that all heads share ("with MQA").
    a->add(linear("kv_a_proj_with_mqa", "E", "Rkv + Dr", bias));
    a->add(rmsNorm("kv_a_layernorm", norm, "Rkv"));
    a->add(linear("kv_b_proj", "Rkv", "H*(Dn + Dv)", false));
    a->add(linear("o_proj", "H*Dv", "E", bias));
    // Generation caches the latent and the shared RoPE key, not per-head keys and values: those
    // (H heads of Dn + Dr key and Dv value dimensions) are what it stands for.
    a->kv.cache = expr("Rkv + Dr");
    a->kv.uncompressed = expr("H*(Dn + Dr) + H*Dv");
    return a;
}

std::unique_ptr<Module> moeBlock(const std::string& prefix, bool v3, bool sharedExperts, bool mlpBias)
{
    auto block = container("mlp", prefix + "MoE");
    block->role = "mlp";
    auto experts = moduleList("experts");
    experts->add(repeated(gatedMlp("", prefix + "MLP", "E", "Fx", mlpBias), "X", "Xk"));
    block->add(std::move(experts));
    auto gate = container("gate", v3 ? "DeepseekV3TopkRouter" : "DeepseekV2MoEGate");
    gate->add(leaf(ModuleKind::Parameter, "weight", { "X", "E" }));
    // An nn.Parameter in the checkpoint and the remote code; later in-library versions register
    // it as a buffer, which num_parameters() skips.
    if (v3)
        gate->add(leaf(ModuleKind::Parameter, "e_score_correction_bias", { "X" }));
    block->add(std::move(gate));
    // One MLP n_shared_experts times as wide, run for every token.
    if (sharedExperts)
        block->add(gatedMlp("shared_experts", prefix + "MLP", "E", "Fx*Xs", mlpBias));
    return block;
}

} // namespace

Result<Design> buildDeepseek(HfConfig& c, const std::string& modelType, const std::string& className)
{
    // Kimi K2 is DeepSeek-V3's architecture under its own model_type (its remote code is DeepSeek's).
    const bool v3 = modelType != "deepseek_v2";
    const std::string prefix = v3 ? "DeepseekV3" : "DeepseekV2";
    Design d;
    HfReader r(c, d);

    // Defaults of the in-library DeepseekV2Config / DeepseekV3Config. num_key_value_heads and
    // max_position_embeddings shape nothing in MLA, so they are not hyperparameters here.
    r.symbol("V", "vocab_size", v3 ? 129280 : 32000, "vocabulary size");
    r.symbol("P", "max_position_embeddings", v3 ? 4096 : 2048, "context length (rotary)");
    r.symbol("E", "hidden_size", v3 ? 7168 : 4096, "width (hidden size)");
    r.symbol("H", "num_attention_heads", v3 ? 128 : 32, "attention heads");
    const Count L = r.symbol("L", "num_hidden_layers", v3 ? 61 : 32, "layers");
    // An explicit null means no low-rank query (V2-Lite); absent means the class default.
    const bool qLora = !r.isNull("q_lora_rank");
    if (qLora)
        r.symbol("Rq", "q_lora_rank", 1536, "query latent rank");
    r.symbol("Rkv", "kv_lora_rank", 512, "key/value latent rank");
    r.symbol("Dn", "qk_nope_head_dim", 128, "query/key head dimension without RoPE");
    r.symbol("Dr", "qk_rope_head_dim", 64, "query/key RoPE head dimension");
    r.symbol("Dv", "v_head_dim", 128, "value head dimension");
    r.symbol("F", "intermediate_size", v3 ? 18432 : 11008, "dense MLP width");
    const bool bias = r.flag("attention_bias", false);
    const bool mlpBias = v3 ? false : r.flag("mlp_bias", false);
    const bool tie = r.flag("tie_word_embeddings", false);

    // Null experts make every layer dense (remote code: n_routed_experts is None).
    const bool moe = !r.isNull("n_routed_experts");
    Count Ld = 0, freq = 1, Xs = 0;
    if (moe) {
        r.symbol("Fx", "moe_intermediate_size", v3 ? 2048 : 1407, "expert MLP width");
        r.symbol("X", "n_routed_experts", v3 ? 256 : 64, "routed experts");
        r.symbol("Xk", "num_experts_per_tok", v3 ? 8 : 6, "routed experts per token");
        Xs = r.isNull("n_shared_experts") ? 0 : r.integer("n_shared_experts", v3 ? 1 : 2, 0);
        if (Xs > 0)
            r.builder().set("Xs", Xs, "n_shared_experts", "shared experts", 0);
        Ld = r.integer("first_k_dense_replace", v3 ? 3 : 0, 0);
        freq = r.integer("moe_layer_freq", 1);
    }
    if (r.error())
        return *r.error();

    // Layer i is MoE when i >= first_k_dense_replace and i % moe_layer_freq == 0 (the remote code's
    // rule; the in-library class ignores moe_layer_freq, which is 1 in every released config).
    enum { Dense = 0, Moe = 1 };
    std::vector<LayerRun> runs { { Dense, "L", {} } };
    std::string fixedBecause; // non-empty: the runs hold L's value, so L is fixed
    if (moe && freq == 1 && Ld <= L) {
        // Ld dense layers, then MoE: both in symbols, for every L >= Ld (a negative MoE run is refused).
        r.builder().set("Ld", Ld, "first_k_dense_replace", "leading dense layers", 0);
        runs = { { Dense, "Ld", {} }, { Moe, "L - Ld", {} } };
    } else if (moe) {
        LayerPattern pattern;
        pattern.append(Dense, std::min(Ld, L));
        pattern.appendRule(std::min(Ld, L), L, freq, 0, Moe, Dense);
        runs = pattern.runs();
        fixedBecause = freq > 1
            ? "moe_layer_freq = " + std::to_string(freq) + " with first_k_dense_replace = " + std::to_string(Ld)
                + " makes a dense/MoE pattern that holds for this layer count only (import the config again to "
                  "change it)"
            : "first_k_dense_replace = " + std::to_string(Ld)
                + " exceeds the layer count, so every layer is dense here; more layers would add MoE ones "
                  "(import the config again to change it)";
    }

    const bool lm = className.ends_with("ForCausalLM");
    Module* model = baseModel(d, className, lm, "model", prefix + "Model");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    Module* layers = model->add(moduleList("layers"));
    auto makeLayer = [&](int kind) {
        auto layer = container("", prefix + "DecoderLayer");
        layer->add(attention(prefix, qLora, bias));
        layer->add(
            kind == Moe ? moeBlock(prefix, v3, Xs > 0, mlpBias) : gatedMlp("mlp", prefix + "MLP", "E", "F", mlpBias));
        layer->add(rmsNorm("input_layernorm", prefix + "RMSNorm", "E"));
        layer->add(rmsNorm("post_attention_layernorm", prefix + "RMSNorm", "E"));
        return layer;
    };
    addLayerRuns(*layers, runs, makeLayer);
    if (!fixedBecause.empty())
        fixSymbol(d, "L", fixedBecause);
    // With biases, n_shared_experts = 0 (no shared_experts module) is not the same as a zero-width
    // shared MLP (its down_proj bias remains): keep it positive.
    if (Xs > 0 && mlpBias)
        r.builder().check("Xs/Xs",
            "n_shared_experts = 0 would remove the shared experts, whose biases this import counts (import the "
            "config again instead)");
    model->add(rmsNorm("norm", prefix + "RMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");

    const Count mtp = c.hasValue("num_nextn_predict_layers") ? r.integer("num_nextn_predict_layers", 0, 0) : 0;
    if (v3 && mtp > 0)
        d.notes.push_back("num_nextn_predict_layers = " + std::to_string(mtp)
            + ": the checkpoint also holds the multi-token-prediction module (one more MoE layer with "
              "its own norms and projection, about 14B for V3), which "
            + className + " does not build; DeepSeek's published \"685B\" includes it");
    // The released DeepSeek-V3 and Kimi K2 weights are FP8 with a scale per 128x128 block.
    const auto& json = c.json();
    if (json.contains("quantization_config") && json["quantization_config"].is_object()
        && json["quantization_config"].value("quant_method", "") == "fp8")
        d.notes.push_back("quantization_config is fp8: the checkpoint also stores a weight_scale_inv tensor per "
                          "quantized Linear (one value per 128x128 block), which Hub totals count and the class "
                          "does not");
    if (v3 && moe)
        d.notes.push_back("gate.e_score_correction_bias is counted, as the checkpoint and the remote code hold it; "
                          "transformers versions that make it a buffer report X fewer per MoE layer");
    if (moe)
        d.notes.push_back("transformers v5 fuses each layer's routed experts into two tensors (gate_up_proj, "
                          "down_proj); the count is the same");
    if (r.error())
        return *r.error();
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
// Qwen2-MoE (Qwen1.5-MoE-A2.7B, Qwen2-57B-A14B): Qwen2 attention (q/k/v biases), and in the sparse
// layers a router over X experts plus one shared expert, always run, scaled by its own sigmoid gate
// (shared_expert_gate, Linear(E, 1)). Dense layers follow decoder_sparse_step and mlp_only_layers.
#include "blocks.h"
#include "families.h"
#include "reader.h"

#include <algorithm>

namespace paramscope::core::hf {

namespace {

enum LayerKind { Dense = 0, Sparse = 1 };

/// The layer stack as runs. Layer l is sparse when it is not in mlp_only_layers and
/// (l + 1) % decoder_sparse_step == 0 (Qwen2MoeDecoderLayer). Sets @p why when the runs hold L's
/// value (an explicit list), so that L must be fixed.
Result<std::vector<LayerRun>> layerRuns(HfReader& r, Count layers, std::string& why)
{
    HfConfig& c = r.config();
    const Count step = r.integer("decoder_sparse_step", 1);
    std::vector<Count> listed = r.integers("mlp_only_layers");
    if (r.error())
        return *r.error();
    std::erase_if(listed, [&](Count l) { return l < 0 || l >= layers; });
    if (listed.empty() && step == 1)
        return std::vector<LayerRun> { { Sparse, "L", {} } };
    if (listed.empty()) {
        // Periods of step - 1 dense layers and a sparse one, then L mod step dense layers: a rule in
        // L for every L with that remainder, which a check keeps.
        const Count rest = layers % step;
        const std::string s = std::to_string(step), rs = std::to_string(rest);
        const std::string periods = rest == 0 ? "L/" + s : "(L - " + rs + ")/" + s;
        std::vector<LayerRun> runs { { 0, periods, { { Dense, std::to_string(step - 1), {} }, { Sparse, "1", {} } } } };
        if (rest > 0)
            runs.push_back({ Dense, rs, {} });
        r.builder().check(periods,
            c.name("num_hidden_layers") + " must leave the remainder " + rs + " when divided by "
                + c.name("decoder_sparse_step") + " = " + s + ": the dense/sparse pattern repeats every " + s
                + " layers (import the config again for another layer count)");
        return runs;
    }
    std::sort(listed.begin(), listed.end());
    listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
    LayerPattern pattern;
    Count from = 0;
    for (Count l : listed) {
        pattern.appendRule(from, l, step, step - 1, Sparse, Dense);
        pattern.append(Dense, 1);
        from = l + 1;
        if (pattern.size() > kMaxLayerRuns)
            return Error { c.name("mlp_only_layers"),
                "makes more than " + std::to_string(kMaxLayerRuns) + " runs of dense and sparse layers (the limit)" };
    }
    pattern.appendRule(from, layers, step, step - 1, Sparse, Dense);
    why = c.name("mlp_only_layers") + " lists dense layers by index, so the dense/sparse pattern holds for this "
        + "layer count only (import the config again to change it)";
    return pattern.runs();
}

} // namespace

Result<Design> buildQwen2Moe(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    // Defaults of Qwen2MoeConfig (configuration_qwen2_moe.py; the Qwen1.5-MoE-A2.7B shape).
    auto s = declareDecoderSymbols(d, c, { 151936, 2048, 5632, 24, 16, 16, std::nullopt, 32768 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    const Count experts = r.symbol("X", "num_experts", 60, "routed experts per layer", 0);
    r.symbol("Xk", "num_experts_per_tok", 4, "routed experts per token");
    r.symbol("Fx", "moe_intermediate_size", 1408, "routed expert MLP width");
    r.symbol("Fs", "shared_expert_intermediate_size", 5632, "shared expert MLP width", 0);
    // qkv_bias arrived in later transformers; before it the biases were hard-coded on.
    const bool qkvBias = r.flag("qkv_bias", true);
    const bool lm = className == "Qwen2MoeForCausalLM";
    const bool tie = lm && r.flag("tie_word_embeddings", false);
    const bool sliding = r.flag("use_sliding_window", false);
    if (r.error())
        return *r.error();
    std::string fixedWhy;
    std::vector<LayerRun> runs { { Dense, "L", {} } };
    if (experts > 0) {
        auto rr = layerRuns(r, s->L, fixedWhy);
        if (!rr)
            return rr.error();
        runs = std::move(*rr);
    }

    Module* model = baseModel(d, className, lm, "model", "Qwen2MoeModel");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto make = [&](int kind) {
        auto layer = container("", "Qwen2MoeDecoderLayer");
        layer->add(llamaAttention("self_attn", { "Qwen2MoeAttention", qkvBias, false, {}, "o_proj" }));
        if (kind == Sparse) {
            auto moe = container("mlp", "Qwen2MoeSparseMoeBlock");
            moe->role = "mlp";
            moe->add(linear("gate", "E", "X", false)); // the router
            moe->add(moduleList("experts"))->add(repeated(gatedMlp("", "Qwen2MoeMLP", "E", "Fx", false), "X", "Xk"));
            moe->add(gatedMlp("shared_expert", "Qwen2MoeMLP", "E", "Fs", false));
            // sigmoid(shared_expert_gate(x)) scales the shared expert's output, token by token.
            moe->add(linear("shared_expert_gate", "E", "1", false));
            layer->add(std::move(moe));
        } else {
            layer->add(gatedMlp("mlp", "Qwen2MoeMLP", "E", "F", false));
        }
        layer->add(rmsNorm("input_layernorm", "Qwen2MoeRMSNorm", "E"));
        layer->add(rmsNorm("post_attention_layernorm", "Qwen2MoeRMSNorm", "E"));
        return layer;
    };
    addLayerRuns(*model->add(moduleList("layers")), runs, make);
    model->add(rmsNorm("norm", "Qwen2MoeRMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");
    if (!fixedWhy.empty())
        fixSymbol(d, "L", fixedWhy);
    if (experts > 0) {
        r.builder().check("X/X",
            c.name("num_experts") + " = 0 would make every layer dense, a different structure from this import's "
                + "(import the config again instead)");
        d.notes.push_back("the shared expert runs for every token, scaled by sigmoid(shared_expert_gate); the active "
                          "count includes it and the router");
    } else {
        for (const char* x : { "X", "Xk", "Fx", "Fs" })
            if (int i = d.symbolIndex(x); i >= 0)
                d.symbols.erase(d.symbols.begin() + i);
    }
    if (sliding)
        d.notes.push_back("use_sliding_window is set: the KV cache is sized as if every layer attended to the "
                          "whole context (the windowed layers hold less)");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

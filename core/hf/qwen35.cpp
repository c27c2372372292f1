// SPDX-License-Identifier: MIT
// Qwen3-Next, Qwen3.5 and Qwen3.5-MoE: hybrid stacks of Gated DeltaNet linear-attention layers and
// gated full-attention layers (q_proj also gives an output gate; q/k norms), every n-th layer full
// (layer_types, or full_attention_interval). Qwen3.5 adds the Qwen3-VL vision tower without
// deepstack; the MoE variants route every layer's MLP to experts beside a gated shared expert.
#include "blocks.h"
#include "families.h"
#include "reader.h"
#include "vision.h"

namespace paramscope::core::hf {

namespace {

enum LayerKind { Linear = 0, Full = 1 }; // as readLayerTypes numbers { "linear_attention", "full_attention" }

struct Family {
    std::string prefix; ///< "Qwen3Next", "Qwen3_5", "Qwen3_5Moe"
    DecoderDefaults text;
    bool vision = false;
    bool moe = false;
    SparseDefaults experts;
    Count shared = 512; ///< shared_expert_intermediate_size
};

// Class defaults from configuration_qwen3_next.py, configuration_qwen3_5.py and
// configuration_qwen3_5_moe.py (transformers).
Family family(const std::string& modelType)
{
    if (modelType == "qwen3_next")
        return { "Qwen3Next", { 151936, 2048, 5632, 48, 16, 2, 256, 32768 }, false, true, { 512, 10, 512 }, 512 };
    if (modelType == "qwen3_5")
        return { "Qwen3_5", { 248320, 4096, 12288, 32, 16, 4, 256, 32768 }, true, false, {}, 0 };
    return { "Qwen3_5Moe", { 248320, 2048, std::nullopt, 40, 16, 2, 256, 32768, false }, true, true, { 256, 8, 512 },
        512 };
}

/// The Gated DeltaNet of a linear-attention layer. Qwen3-Next projects q, k, v and the output gate z
/// in one in_proj_qkvz and the per-head b and a in in_proj_ba; Qwen3.5 splits both.
std::unique_ptr<Module> gatedDeltaNet(const std::string& p, bool split)
{
    auto net = container("linear_attn", p + "GatedDeltaNet");
    net->role = "attention";
    // q and k (Gk heads of Dgk) and v (Gv heads of Dgv) pass a depthwise causal convolution.
    const std::string conv = "2*Gk*Dgk + Gv*Dgv";
    auto conv1d = net->add(container("conv1d", "Conv1d"));
    conv1d->add(leaf(ModuleKind::Parameter, "weight", { conv, "1", "Cg" }));
    if (split) {
        net->add(linear("in_proj_qkv", "E", conv, false));
        net->add(linear("in_proj_z", "E", "Gv*Dgv", false));
        net->add(linear("in_proj_b", "E", "Gv", false));
        net->add(linear("in_proj_a", "E", "Gv", false));
    } else {
        net->add(linear("in_proj_qkvz", "E", "2*Gk*Dgk + 2*Gv*Dgv", false));
        net->add(linear("in_proj_ba", "E", "2*Gv", false));
    }
    net->add(leaf(ModuleKind::Parameter, "dt_bias", { "Gv" }));
    net->add(leaf(ModuleKind::Parameter, "A_log", { "Gv" }));
    net->add(rmsNorm("norm", p + "RMSNormGated", "Dgv")); // over each value head, gated by z
    net->add(linear("out_proj", "Gv*Dgv", "E", false));
    // A fixed-size recurrent state per layer instead of a KV cache: nothing grows with the tokens.
    net->kv.cache = expr("0");
    return net;
}

/// Full attention whose q_proj also gives a per-head output gate (2·H·D wide).
std::unique_ptr<Module> gatedAttention(const std::string& p, bool bias)
{
    auto a = container("self_attn", p + "Attention");
    a->role = "attention";
    a->add(linear("q_proj", "E", "2*H*D", bias));
    a->add(linear("k_proj", "E", "K*D", bias));
    a->add(linear("v_proj", "E", "K*D", bias));
    a->add(linear("o_proj", "H*D", "E", bias));
    a->add(rmsNorm("q_norm", p + "RMSNorm", "D"));
    a->add(rmsNorm("k_norm", p + "RMSNorm", "D"));
    return a;
}

/// Routed experts (Xk of X per token), the router, and a shared expert with a scalar gate.
std::unique_ptr<Module> sparseMoe(const std::string& p, bool fused)
{
    auto moe = container("mlp", p + "SparseMoeBlock");
    moe->role = "mlp";
    if (fused) {
        // Qwen3.5-MoE holds the experts as two stacked tensors: one expert's shape per copy.
        moe->add(container("gate", p + "TopKRouter"))->add(leaf(ModuleKind::Parameter, "weight", { "X", "E" }));
        auto experts = container("experts", p + "Experts");
        experts->repeat = expr("X");
        experts->activeRepeat = expr("Xk");
        experts->add(leaf(ModuleKind::Parameter, "gate_up_proj", { "2*Fx", "E" }));
        experts->add(leaf(ModuleKind::Parameter, "down_proj", { "E", "Fx" }));
        moe->add(std::move(experts));
    } else {
        moe->add(linear("gate", "E", "X", false));
        moe->add(moduleList("experts"))->add(repeated(gatedMlp("", p + "MLP", "E", "Fx", false), "X", "Xk"));
    }
    moe->add(gatedMlp("shared_expert", p + "MLP", "E", "Fs", false));
    moe->add(linear("shared_expert_gate", "E", "1", false));
    return moe;
}

} // namespace

Result<Design> buildQwen35(HfConfig& config, const std::string& modelType, const std::string& className)
{
    const Family f = family(modelType);
    const std::string& p = f.prefix;
    Design d;
    describe(d, config, modelType, className);
    auto textConfig = f.vision ? config.sub("text_config") : Result<HfConfig>(config);
    if (!textConfig)
        return textConfig.error();
    HfConfig& text = *textConfig;

    auto s = declareDecoderSymbols(d, text, f.text);
    if (!s)
        return s.error();
    HfReader r(text, d);
    r.symbol("Gk", "linear_num_key_heads", 16, "linear-attention key heads");
    r.symbol("Gv", "linear_num_value_heads", 32, "linear-attention value heads");
    r.symbol("Dgk", "linear_key_head_dim", 128, "linear-attention key head dimension");
    r.symbol("Dgv", "linear_value_head_dim", 128, "linear-attention value head dimension");
    r.symbol("Cg", "linear_conv_kernel_dim", 4, "linear-attention convolution kernel");
    const bool bias = r.flag("attention_bias", false);
    if (r.error())
        return *r.error();

    // Which layers attend fully: layer_types (checked, fixing L), else every full_attention_interval-th.
    auto types = readLayerTypes(text, s->L, { "linear_attention", "full_attention" });
    if (!types)
        return types.error();
    OtherKinds attention;
    if (*types) {
        attention = { LayerCycle((*types)->plainRuns()), text.name("layer_types") }; // one run per list run
    } else {
        const Count every = r.integer("full_attention_interval", 4);
        attention = { LayerCycle::every(every, Linear, Full),
            text.name("full_attention_interval") + " = " + std::to_string(every) };
    }
    if (r.error())
        return *r.error();
    // Each layer has two kinds, its token mixer and its MLP: runs of 2·mixer + dense/routed.
    std::vector<LayerRun> runs;
    bool routed = f.moe; // some layer holds experts
    std::string fixedWhy = *types ? listedLayersWhy(text) : std::string();
    if (modelType == "qwen3_next") {
        // Qwen3NextDecoderLayer reads Qwen3-MoE's rule: experts unless listed in mlp_only_layers or
        // off decoder_sparse_step, else a Qwen3NextMLP of intermediate_size.
        auto sparse = declareSparseLayers(d, text, s->L, f.experts, types->has_value(), attention);
        if (!sparse)
            return sparse.error();
        runs = std::move(sparse->runs);
        routed = sparse->any;
        if (fixedWhy.empty() && sparse->fixLayers)
            fixedWhy = sparse->why;
    } else {
        if (f.moe) {
            r.symbol("X", "num_experts", f.experts.experts, "experts per layer");
            r.symbol("Xk", "num_experts_per_tok", f.experts.perToken, "experts per token");
            r.symbol("Fx", "moe_intermediate_size", f.experts.width, "expert MLP width");
        }
        // Every MLP routed (Qwen3.5-MoE) or dense (Qwen3.5): the token mixers' pattern alone.
        auto kinds = attention.cycle.runs();
        for (auto& [kind, count] : kinds)
            kind = 2 * kind + (f.moe ? SparseLayers::kRouted : SparseLayers::kDense);
        const LayerRule rule { LayerCycle(kinds), attention.names, false, {}, {}, types->has_value() };
        auto built = layerRuns(r.builder(), text, rule, s->L);
        if (!built)
            return built.error();
        runs = std::move(*built);
    }
    if (routed)
        r.symbol("Fs", "shared_expert_intermediate_size", f.shared, "shared expert MLP width");
    if (r.error())
        return *r.error();
    r.builder().check(
        "Gv/Gk", text.name("linear_num_key_heads") + " must divide " + text.name("linear_num_value_heads"));

    std::unique_ptr<Module> tower;
    if (f.vision) {
        auto vision = config.sub("vision_config");
        if (!vision)
            return vision.error();
        auto built = qwenVision(d, *vision, { QwenVisionSpec::Qwen3, p, 27, 1152, 4304, 16, 16, 3584, 2304, false });
        if (!built)
            return built.error();
        tower = std::move(*built);
    }

    const bool head = className.ends_with("ForCausalLM") || className.ends_with("ForConditionalGeneration");
    Module* language = nullptr;
    if (f.vision) {
        Module* model = baseModel(d, className, head, "model", p + "Model");
        model->add(std::move(tower));
        language = model->add(container("language_model", p + "TextModel"));
    } else {
        language = baseModel(d, className, head, "model", p + "Model");
    }
    language->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = [&](int kind) {
        auto l = container("", p + "DecoderLayer");
        if (kind / 2 == Linear)
            l->add(gatedDeltaNet(p, modelType != "qwen3_next"));
        else
            l->add(gatedAttention(p, bias));
        if (kind % 2 == SparseLayers::kRouted)
            l->add(sparseMoe(p, modelType == "qwen3_5_moe"));
        else
            l->add(gatedMlp("mlp", p + "MLP", "E", "F", false));
        l->add(rmsNorm("input_layernorm", p + "RMSNorm", "E"));
        l->add(rmsNorm("post_attention_layernorm", p + "RMSNorm", "E"));
        return l;
    };
    addLayerRuns(*language->add(moduleList("layers")), runs, layer);
    if (!fixedWhy.empty())
        fixSymbol(d, "L", fixedWhy);
    if (modelType == "qwen3_next" && routed)
        r.builder().check("X/X",
            d.symbol("X")->field + " = 0 would make every layer dense, a different structure from this "
                + "import's (import the config again instead)");
    if (!routed) // X = 0: every MLP dense, the expert fields shape nothing
        for (const char* x : { "X", "Xk", "Fx" })
            if (int i = d.symbolIndex(x); i >= 0)
                d.symbols.erase(d.symbols.begin() + i);
    language->add(rmsNorm("norm", p + "RMSNorm", "E"));

    if (head) {
        auto tied = !f.vision || config.hasValue("tie_word_embeddings") ? config.boolean("tie_word_embeddings", false)
                                                                        : text.boolean("tie_word_embeddings", false);
        if (!tied)
            return tied.error();
        addLmHead(d, *d.root, *tied, f.vision ? "model.language_model.embed_tokens" : "model.embed_tokens");
    }
    const Count mtp = text.hasValue("mtp_num_hidden_layers") ? r.integer("mtp_num_hidden_layers", 0, 0) : 0;
    if (r.error())
        return *r.error();
    if (mtp > 0)
        d.notes.push_back(text.name("mtp_num_hidden_layers") + " = " + std::to_string(mtp)
            + ": the checkpoint also stores the multi-token-prediction head (mtp.*: a full-attention layer with its "
              "MLP, fc 2E → E and three norms), which "
            + className + " skips on loading; Hub totals include it");
    if (routed)
        d.notes.push_back(modelType == "qwen3_5_moe"
                ? "experts are two stacked tensors (gate_up_proj [X, 2·Fx, E], down_proj [X, E, Fx]), shown one "
                  "expert per copy; the count is the same"
                : "transformers v5 fuses each layer's routed experts into two tensors (gate_up_proj, down_proj); the "
                  "count is the same");
    return d;
}

} // namespace paramscope::core::hf

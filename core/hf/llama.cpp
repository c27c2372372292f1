// SPDX-License-Identifier: MIT
// Llama and the decoders built like it: llama, mistral, mixtral, qwen2, qwen3, qwen3_moe.
// They differ in class defaults, biases, q/k norms and the MLP (dense, or routed experts).
#include "blocks.h"
#include "families.h"
#include "reader.h"

#include <algorithm>

namespace paramscope::core::hf {

namespace {

struct Family {
    std::string prefix; ///< class-name prefix ("Qwen3Moe")
    DecoderDefaults defaults;
    bool tie = false; ///< tie_word_embeddings default
    bool biasFlags = false; ///< reads attention_bias (o_proj included) and, for llama, mlp_bias
    bool qkvBias = false; ///< Qwen2: q/k/v biases hard-coded, no flag
    bool qkNorm = false; ///< Qwen3: q_norm, k_norm RMSNorm(head_dim)
};

// Class defaults from configuration_<family>.py (transformers), see the families-A notes.
Family family(const std::string& modelType)
{
    if (modelType == "llama")
        return { "Llama", { 32000, 4096, 11008, 32, 32, std::nullopt, std::nullopt, 2048 }, false, true, false, false };
    if (modelType == "mistral")
        return { "Mistral", { 32000, 4096, 14336, 32, 32, 8, std::nullopt, 4096 * 32 }, false, false, false, false };
    if (modelType == "mixtral")
        return { "Mixtral", { 32000, 4096, 14336, 32, 32, 8, std::nullopt, 4096 * 32 }, false, false, false, false };
    if (modelType == "qwen2")
        return { "Qwen2", { 151936, 4096, 22016, 32, 32, 32, std::nullopt, 32768 }, false, false, true, false };
    if (modelType == "qwen3")
        return { "Qwen3", { 151936, 4096, 22016, 32, 32, 32, 128, 32768 }, false, true, false, true };
    return { "Qwen3Moe", { 151936, 2048, 6144, 24, 32, 4, std::nullopt, 32768 }, false, true, false, true };
}

enum LayerKind { Dense = SparseLayers::kDense, Routed = SparseLayers::kRouted };

Result<SparseLayers> declareExperts(Design& d, HfConfig& config, const std::string& modelType, Count layers)
{
    if (modelType == "mixtral") {
        HfReader r(config, d);
        r.symbol("X", "num_local_experts", 8, "experts per layer");
        r.symbol("Xk", "num_experts_per_tok", 2, "experts per token");
        SparseLayers e;
        e.any = true;
        e.runs = { { Routed, "L", {} } };
        return r.result(std::move(e));
    }
    if (modelType != "qwen3_moe") {
        SparseLayers e;
        e.runs = { { Dense, "L", {} } };
        return e;
    }
    return declareSparseLayers(d, config, layers, { 128, 8, 768 });
}

std::unique_ptr<Module> mixtralMoe(const std::string& p)
{
    auto moe = container("block_sparse_moe", p + "SparseMoeBlock");
    moe->role = "mlp";
    moe->add(linear("gate", "E", "X", false)); // the router: no bias
    auto expert = container("", p + "BlockSparseTop2MLP");
    expert->add(linear("w1", "E", "F", false));
    expert->add(linear("w2", "F", "E", false));
    expert->add(linear("w3", "E", "F", false));
    moe->add(moduleList("experts"))->add(repeated(std::move(expert), "X", "Xk"));
    return moe;
}

std::unique_ptr<Module> qwenMoe(const std::string& p)
{
    auto moe = container("mlp", p + "SparseMoeBlock");
    moe->role = "mlp";
    moe->add(linear("gate", "E", "X", false));
    moe->add(moduleList("experts"))->add(repeated(gatedMlp("", p + "MLP", "E", "Fx", false), "X", "Xk"));
    return moe;
}

} // namespace

Result<Design> buildLlama(HfConfig& config, const std::string& modelType, const std::string& className)
{
    const Family f = family(modelType);
    const std::string& p = f.prefix;
    Design d;
    describe(d, config, modelType, className);
    auto s = declareDecoderSymbols(d, config, f.defaults);
    if (!s)
        return s.error();
    auto experts = declareExperts(d, config, modelType, s->L);
    if (!experts)
        return experts.error();

    AttentionSpec attention { p + "Attention", f.qkvBias, false, f.qkNorm ? p + "RMSNorm" : "", "o_proj" };
    HfReader r(config, d);
    if (f.biasFlags)
        attention.qkvBias = attention.outBias = r.flag("attention_bias", false);
    const bool mlpBias = modelType == "llama" && r.flag("mlp_bias", false);
    const bool causal = className.ends_with("ForCausalLM");
    const bool tied = causal && r.flag("tie_word_embeddings", f.tie);
    if (r.error())
        return *r.error();
    // Mistral and Mixtral window every layer when sliding_window is set (MistralConfig's default
    // is 4096, Mixtral's none). Only the KV cache depends on it.
    SlidingWindows windows;
    if (modelType == "mistral" || modelType == "mixtral") {
        auto w = readSlidingWindows(
            config, modelType == "mistral" ? std::optional<Count>(4096) : std::nullopt, s->L, nullptr, 0);
        if (!w)
            return w.error();
        if (!w->runs.empty())
            return Error { config.name("layer_types"), "follows no period of sliding and full layers (not supported)" };
        windows = std::move(*w);
    }
    auto layer = [&](int sparse) {
        auto l = container("", p + "DecoderLayer");
        setWindow(*l->add(llamaAttention("self_attn", attention)), windows);
        if (modelType == "mixtral")
            l->add(mixtralMoe(p));
        else if (sparse)
            l->add(qwenMoe(p));
        else
            l->add(gatedMlp("mlp", p + "MLP", "E", "F", mlpBias));
        l->add(rmsNorm("input_layernorm", p + "RMSNorm", "E"));
        l->add(rmsNorm("post_attention_layernorm", p + "RMSNorm", "E"));
        return l;
    };

    Module* model = baseModel(d, className, causal, "model", p + "Model");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto* layers = model->add(moduleList("layers"));
    if (windows.listed) // Mistral's and Mixtral's one run; the list pins it to this layer count
        for (auto& run : experts->runs)
            run.repeat = windows.repeat(s->L);
    addLayerRuns(*layers, experts->runs, layer);
    if (experts->fixLayers)
        fixSymbol(d, "L", experts->why);
    fixListedLayers(d, config, windows);
    if (experts->any && modelType == "qwen3_moe")
        r.builder().check("X/X",
            d.symbol("X")->field + " = 0 would make every layer dense, a different structure from this "
                + "import's (import the config again instead)");
    if (experts->any)
        d.notes.push_back("transformers v5 fuses each layer's experts into two tensors (gate_up_proj, down_proj)"
            + std::string(modelType == "mixtral" ? " and renames block_sparse_moe to mlp" : "")
            + "; the count is the same");
    if (!experts->any) {
        for (const char* x : { "X", "Xk", "Fx" })
            if (int i = d.symbolIndex(x); i >= 0)
                d.symbols.erase(d.symbols.begin() + i);
    }
    model->add(rmsNorm("norm", p + "RMSNorm", "E"));
    if (causal)
        addLmHead(d, *d.root, tied, "model.embed_tokens");
    return d;
}

} // namespace paramscope::core::hf

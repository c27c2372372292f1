// SPDX-License-Identifier: MIT
// OLMo-2 and OLMo-3: Llama-shaped, but norms after attention and MLP instead of before, and
// q_norm/k_norm over the whole query and key projections (not per head). OLMo-3 adds sliding-window
// layers (layer_types; by default every fourth layer attends fully), which shape only the KV cache.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildOlmo2(HfConfig& c, const std::string& modelType, const std::string& className)
{
    const bool olmo3 = modelType == "olmo3";
    const std::string p = olmo3 ? "Olmo3" : "Olmo2";
    Design d;
    // Defaults of Olmo2Config and Olmo3Config (both the OLMo-2 7B shape).
    auto s = declareDecoderSymbols(d, c, { 50304, 4096, 11008, 32, 32, std::nullopt, std::nullopt, 2048 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    const bool bias = r.flag("attention_bias", false);
    const bool tie = r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();

    // OLMo-3: the windowed layers, from layer_types (which lists every layer, so it fixes L) or the
    // class's rule in L.
    SlidingWindows windows;
    std::vector<LayerRun> runs { { SlidingWindows::kSliding, "L", {} } };
    bool listed = false;
    if (olmo3) {
        auto types = readLayerTypes(c, s->L, { "full_attention", "sliding_attention" });
        if (!types)
            return types.error();
        if (!r.isNull("sliding_window"))
            windows.window = r.integer("sliding_window", 4096);
        if (r.error())
            return *r.error();
        if (*types) {
            static_assert(SlidingWindows::kFull == 0 && SlidingWindows::kSliding == 1); // readLayerTypes' kinds
            windows.runs = (*types)->runs();
            runs = windows.runs;
            listed = true;
        } else {
            windows.fullEvery = 4;
        }
    }

    const bool lm = className.ends_with("ForCausalLM");
    Module* model = baseModel(d, className, lm, "model", p + "Model");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto layer = [&](int kind) {
        auto l = container("", p + "DecoderLayer");
        auto attn = llamaAttention("self_attn", { p + "Attention", bias, bias, {}, "o_proj" });
        attn->add(rmsNorm("q_norm", p + "RMSNorm", "H*D"));
        attn->add(rmsNorm("k_norm", p + "RMSNorm", "K*D"));
        setWindow(*attn, windows, kind);
        l->add(std::move(attn));
        l->add(gatedMlp("mlp", p + "MLP", "E", "F", false));
        // No input_layernorm: OLMo normalises each sublayer's output.
        l->add(rmsNorm("post_attention_layernorm", p + "RMSNorm", "E"));
        l->add(rmsNorm("post_feedforward_layernorm", p + "RMSNorm", "E"));
        return l;
    };
    addLayerRuns(*model->add(moduleList("layers")), runs, layer);
    if (listed)
        fixSymbol(d, "L", listedLayersWhy(c));
    model->add(rmsNorm("norm", p + "RMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
// Cohere Command-R / Aya (model_type cohere) and Command R7B (cohere2): a parallel block — attention
// and the gated MLP read the same normalised input, so each layer has one norm — with LayerNorms
// that have a weight and no bias, optional q/k LayerNorms per head (cohere's use_qk_norm), and a
// head tied to the embedding by default. cohere2 windows three layers in four.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildCohere(HfConfig& c, const std::string& modelType, const std::string& className)
{
    const bool v2 = modelType == "cohere2";
    const std::string p = v2 ? "Cohere2" : "Cohere";
    Design d;
    // Defaults of CohereConfig and Cohere2Config (configuration_cohere*.py; the Command-R shape).
    auto s = declareDecoderSymbols(d, c, { 256000, 8192, 22528, 40, 64, std::nullopt, std::nullopt, 8192 });
    if (!s)
        return s.error();
    HfReader r(c, d);
    const bool bias = r.flag("attention_bias", false);
    const bool qkNorm = !v2 && r.flag("use_qk_norm", false);
    const bool lm = className.ends_with("ForCausalLM");
    const bool tie = lm && r.flag("tie_word_embeddings", true);
    if (r.error())
        return *r.error();
    SlidingWindows windows;
    if (v2) {
        // layer_types, else the older sliding_window_pattern (every 4th layer full).
        auto w = readSlidingWindows(c, 4096, s->L, "sliding_window_pattern", 4);
        if (!w)
            return w.error();
        windows = std::move(*w);
    }
    auto norm = [&](std::string name, const std::string& dim) {
        return layerNorm(std::move(name), dim, false, p + "LayerNorm"); // weight only
    };

    Module* model = baseModel(d, className, lm, "model", p + "Model");
    model->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    auto make = [&](int kind) {
        auto layer = container("", p + "DecoderLayer");
        auto attn = llamaAttention("self_attn", { p + "Attention", bias, bias, {}, "o_proj" });
        if (qkNorm) {
            // CohereLayerNorm((num_heads, head_dim)): a weight per head and dimension.
            attn->add(norm("q_norm", "H*D"));
            attn->add(norm("k_norm", "K*D"));
        }
        setWindow(*attn, windows, kind);
        layer->add(std::move(attn));
        layer->add(gatedMlp("mlp", p + "MLP", "E", "F", false));
        layer->add(norm("input_layernorm", "E")); // the only norm: attention and MLP run in parallel
        return layer;
    };
    auto* layers = model->add(moduleList("layers"));
    if (windows.runs.empty())
        layers->add(repeated(make(SlidingWindows::kSliding), windows.repeat(s->L)));
    else
        addLayerRuns(*layers, windows.runs, make);
    fixListedLayers(d, c, windows);
    model->add(norm("norm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "model.embed_tokens");
    d.notes.push_back("logit_scale multiplies the logits and holds no parameter");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

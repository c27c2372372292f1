// SPDX-License-Identifier: MIT
// T5, mT5 and UMT5: an encoder stack and a decoder stack sharing one embedding, RMS-style
// T5LayerNorms, attention without biases, a relative position bias (an embedding of buckets × heads)
// in the first layer of each stack only (UMT5: in every layer), cross-attention in every decoder
// layer, a plain (wi, wo) or gated (wi_0, wi_1, wo) feed-forward, and an LM head tied to the shared
// embedding only when tie_word_embeddings is true.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

namespace {

enum LayerKind { First = 0, Rest = 1 };

struct T5Spec {
    std::string prefix; ///< "T5", "MT5", "UMT5"
    bool gated = false; ///< feed_forward_proj "gated-…"
    bool biasEveryLayer = false; ///< UMT5
};

std::unique_ptr<Module> attention(const T5Spec& s, const std::string& name, bool relativeBias, bool cross)
{
    auto a = container(name, s.prefix + "Attention");
    a->role = cross ? "cross_attention" : "attention";
    a->add(linear("q", "E", "H*D", false));
    a->add(linear("k", "E", "H*D", false));
    a->add(linear("v", "E", "H*D", false));
    a->add(linear("o", "H*D", "E", false));
    if (relativeBias)
        a->add(leaf(ModuleKind::Embedding, "relative_attention_bias", { "B", "H" }));
    return a;
}

std::unique_ptr<Module> feedForward(const T5Spec& s, const std::string& name)
{
    auto ff = container(name, s.prefix + "LayerFF");
    auto dense = container("DenseReluDense", s.prefix + (s.gated ? "DenseGatedActDense" : "DenseActDense"));
    dense->role = "mlp";
    if (s.gated) {
        dense->add(linear("wi_0", "E", "F", false));
        dense->add(linear("wi_1", "E", "F", false));
    } else {
        dense->add(linear("wi", "E", "F", false));
    }
    dense->add(linear("wo", "F", "E", false));
    ff->add(std::move(dense));
    ff->add(rmsNorm("layer_norm", s.prefix + "LayerNorm", "E"));
    return ff;
}

/// A T5Stack: embed_tokens (the shared embedding), block (layers of @p layers, the first with the
/// relative position bias), final_layer_norm.
std::unique_ptr<Module> stack(
    const T5Spec& s, const std::string& name, const std::string& layers, bool decoder, const std::string& sharedPath)
{
    auto st = container(name, s.prefix + "Stack");
    Module* embed = st->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }));
    embed->tiedTo = sharedPath;
    auto make = [&](int kind) {
        auto block = container("", s.prefix + "Block");
        auto list = moduleList("layer");
        const bool bias = kind == First || s.biasEveryLayer;
        // The layer wrappers (attention and its norm) are what sizing reads as one attention layer.
        auto self = container("0", s.prefix + "LayerSelfAttention");
        self->role = "attention";
        // The decoder caches its keys and values per generated token; the encoder runs once per
        // input and caches nothing.
        self->kv.cache = expr(decoder ? "2*H*D" : "0");
        self->add(attention(s, "SelfAttention", bias, false));
        self->add(rmsNorm("layer_norm", s.prefix + "LayerNorm", "E"));
        list->add(std::move(self));
        if (decoder) {
            auto cross = container("1", s.prefix + "LayerCrossAttention");
            cross->role = "cross_attention";
            // k and v of each encoder token, per decoder layer (sizing's cross-attention cache).
            cross->kv.cache = expr("2*H*D");
            cross->add(attention(s, "EncDecAttention", false, true));
            cross->add(rmsNorm("layer_norm", s.prefix + "LayerNorm", "E"));
            list->add(std::move(cross));
        }
        list->add(feedForward(s, decoder ? "2" : "1"));
        block->add(std::move(list));
        return block;
    };
    const std::vector<LayerRun> runs = s.biasEveryLayer
        ? std::vector<LayerRun> { { Rest, layers, {} } }
        : std::vector<LayerRun> { { First, "1", {} }, { Rest, layers + " - 1", {} } };
    addLayerRuns(*st->add(moduleList("block")), runs, make);
    st->add(rmsNorm("final_layer_norm", s.prefix + "LayerNorm", "E"));
    return st;
}

} // namespace

Result<Design> buildT5(HfConfig& c, const std::string& modelType, const std::string& className)
{
    const bool t5 = modelType == "t5";
    T5Spec spec { t5 ? "T5" : modelType == "mt5" ? "MT5" : "UMT5", false, modelType == "umt5" };
    Design d;
    HfReader r(c, d);
    DesignBuilder& b = r.builder();
    // Defaults of T5Config (t5-small), MT5Config and UMT5Config (mt5-small / umt5-small).
    r.symbol("V", "vocab_size", t5 ? 32128 : 250112, "vocabulary size");
    r.symbol("E", "d_model", 512, "width (d_model)");
    r.symbol("D", "d_kv", 64, "head dimension (d_kv)");
    r.symbol("F", "d_ff", t5 ? 2048 : 1024, "feed-forward width (d_ff)");
    r.symbol("H", "num_heads", t5 ? 8 : 6, "attention heads");
    r.symbol("L", "num_layers", t5 ? 6 : 8, "encoder layers");
    // num_decoder_layers: absent or null means num_layers ("default = symmetry").
    if (c.hasValue("num_decoder_layers")) {
        r.symbol("Ld", "num_decoder_layers", std::nullopt, "decoder layers");
    } else {
        b.derive("Ld", "L", c.name("num_decoder_layers"), "decoder layers");
        d.notes.push_back(c.name("num_decoder_layers") + (c.has("num_decoder_layers") ? " is null" : " is absent")
            + ": the decoder has num_layers layers, as the config class sets it");
    }
    r.symbol("B", "relative_attention_num_buckets", 32, "relative position buckets");
    const std::string ff = r.text("feed_forward_proj", t5 ? "relu" : "gated-gelu");
    spec.gated = ff.rfind("gated-", 0) == 0;
    const bool encoderOnly = className.ends_with("EncoderModel");
    const bool lm = className.ends_with("ForConditionalGeneration");
    // T5Config leaves it to PretrainedConfig (true); MT5Config sets false, UMT5Config true.
    const bool tie = lm && r.flag("tie_word_embeddings", modelType != "mt5");
    if (r.error())
        return *r.error();
    if (ff.empty() || ff.find('-') != ff.rfind('-') || (ff.find('-') != std::string::npos && !spec.gated))
        return Error { c.name("feed_forward_proj"),
            "'" + ff + "' is not of the form ACT or gated-ACT (relu, gated-gelu …)" };

    d.root = container("", className);
    d.root->add(leaf(ModuleKind::Embedding, "shared", { "V", "E" }));
    d.root->add(stack(spec, "encoder", "L", false, "shared"));
    if (!encoderOnly)
        d.root->add(stack(spec, "decoder", "Ld", true, "shared"));
    if (lm)
        addLmHead(d, *d.root, tie, "shared");
    d.notes.push_back(spec.biasEveryLayer
            ? "every layer of both stacks has its own relative_attention_bias (UMT5)"
            : "relative_attention_bias is in the first layer of each stack only; the others reuse it");
    if (lm && !tie)
        d.notes.push_back("tie_word_embeddings is false: lm_head has its own weight (T5 v1.1, mT5, Flan-T5)");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

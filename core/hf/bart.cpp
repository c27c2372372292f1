// SPDX-License-Identifier: MIT
// BART and mBART: an encoder and a decoder sharing one embedding, learned positions with an offset
// of 2 (embed_positions has max_position_embeddings + 2 rows), a LayerNorm after the embeddings,
// biases on every projection, cross-attention (encoder_attn) in every decoder layer, and the LM
// head tied to the shared embedding. mBART adds a final LayerNorm to each stack.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

namespace {

std::unique_ptr<Module> attention(const std::string& p, const std::string& name, const std::string& role)
{
    auto a = container(name, p + "Attention");
    a->role = role;
    a->add(linear("k_proj", "E", "E", true));
    a->add(linear("v_proj", "E", "E", true));
    a->add(linear("q_proj", "E", "E", true));
    a->add(linear("out_proj", "E", "E", true));
    return a;
}

std::unique_ptr<Module> stack(const std::string& p, bool decoder, bool finalNorm, const std::string& shared)
{
    const std::string part = decoder ? "Decoder" : "Encoder";
    const std::string layers = decoder ? "Ld" : "L", ffn = decoder ? "Fd" : "F";
    auto st = container(decoder ? "decoder" : "encoder", p + part);
    st->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "E" }))->tiedTo = shared;
    // Positions 0 and 1 are reserved: the table has two more rows than max_position_embeddings.
    Module* positions = st->add(leaf(ModuleKind::Embedding, "embed_positions", { "P + 2", "E" }));
    positions->type = p + "LearnedPositionalEmbedding";
    auto layer = container("", p + part + "Layer");
    Module* self = layer->add(attention(p, "self_attn", "attention"));
    // The decoder caches keys and values per generated token; the encoder runs once per input.
    if (!decoder)
        self->kv.cache = expr("0");
    layer->add(layerNorm("self_attn_layer_norm", "E"));
    if (decoder) {
        layer->add(attention(p, "encoder_attn", "cross_attention"));
        layer->add(layerNorm("encoder_attn_layer_norm", "E"));
    }
    Module* fc1 = layer->add(linear("fc1", "E", ffn, true));
    Module* fc2 = layer->add(linear("fc2", ffn, "E", true));
    fc1->role = fc2->role = "mlp";
    layer->add(layerNorm("final_layer_norm", "E"));
    st->add(moduleList("layers"))->add(repeated(std::move(layer), layers));
    st->add(layerNorm("layernorm_embedding", "E"));
    if (finalNorm)
        st->add(layerNorm("layer_norm", "E"));
    return st;
}

} // namespace

Result<Design> buildBart(HfConfig& c, const std::string& modelType, const std::string& className)
{
    const bool mbart = modelType == "mbart";
    const std::string p = mbart ? "MBart" : "Bart";
    Design d;
    HfReader r(c, d);
    DesignBuilder& b = r.builder();
    // Defaults of BartConfig and MBartConfig (the bart-large shape).
    r.symbol("V", "vocab_size", 50265, "vocabulary size");
    r.symbol("P", "max_position_embeddings", 1024, "context length (learned positions)");
    r.symbol("E", "d_model", 1024, "width (d_model)");
    r.symbol("L", "encoder_layers", 12, "encoder layers");
    r.symbol("Ld", "decoder_layers", 12, "decoder layers");
    r.symbol("F", "encoder_ffn_dim", 4096, "encoder feed-forward width");
    r.symbol("Fd", "decoder_ffn_dim", 4096, "decoder feed-forward width");
    r.symbol("H", "encoder_attention_heads", 16, "encoder attention heads");
    r.symbol("Hd", "decoder_attention_heads", 16, "decoder attention heads");
    const bool lm = className.ends_with("ForConditionalGeneration");
    const bool tie = lm && r.flag("tie_word_embeddings", true);
    if (r.error())
        return *r.error();
    // BartAttention refuses a width its heads do not divide.
    b.check("E/H", c.name("encoder_attention_heads") + " must divide " + c.name("d_model"));
    b.check("E/Hd", c.name("decoder_attention_heads") + " must divide " + c.name("d_model"));

    Module* model = baseModel(d, className, lm, "model", p + "Model");
    model->add(leaf(ModuleKind::Embedding, "shared", { "V", "E" }));
    const std::string shared = lm ? "model.shared" : "shared";
    model->add(stack(p, false, mbart, shared));
    model->add(stack(p, true, mbart, shared));
    if (lm) {
        addLmHead(d, *d.root, tie, shared);
        d.notes.push_back("final_logits_bias (1 × V) is a buffer, not a parameter: not counted");
    }
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

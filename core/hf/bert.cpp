// SPDX-License-Identifier: MIT
// BERT: BertModel (embeddings, encoder, pooler) and BertForMaskedLM (no pooler; an MLM head
// whose decoder shares the word-embedding weight but has its own bias).
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

namespace {

/// BertAttention: self-attention (query, key, value) then its output projection and LayerNorm.
std::unique_ptr<Module> attention(const std::string& name, bool relative)
{
    auto a = container(name, "BertAttention");
    a->role = "attention";
    Module* self = a->add(container("self", "BertSelfAttention"));
    self->add(linear("query", "E", "E", true));
    self->add(linear("key", "E", "E", true));
    self->add(linear("value", "E", "E", true));
    // relative_key(_query): one learned vector per distance in (-P, P), per head dimension.
    if (relative)
        self->add(leaf(ModuleKind::Embedding, "distance_embedding", { "2*P - 1", "E/H" }));
    Module* out = a->add(container("output", "BertSelfOutput"));
    out->add(linear("dense", "E", "E", true));
    out->add(layerNorm("LayerNorm", "E"));
    return a;
}

std::unique_ptr<Module> bertModel(const std::string& name, bool pooler, bool relative, bool crossAttention)
{
    auto m = container(name, "BertModel");
    Module* emb = m->add(container("embeddings", "BertEmbeddings"));
    emb->add(leaf(ModuleKind::Embedding, "word_embeddings", { "V", "E" }));
    emb->add(leaf(ModuleKind::Embedding, "position_embeddings", { "P", "E" }));
    emb->add(leaf(ModuleKind::Embedding, "token_type_embeddings", { "T", "E" }));
    emb->add(layerNorm("LayerNorm", "E"));

    auto layer = container("", "BertLayer");
    layer->add(attention("attention", relative));
    if (crossAttention)
        layer->add(attention("crossattention", relative));
    Module* mid = layer->add(container("intermediate", "BertIntermediate"));
    mid->role = "mlp";
    mid->add(linear("dense", "E", "F", true));
    Module* out = layer->add(container("output", "BertOutput"));
    out->role = "mlp";
    out->add(linear("dense", "F", "E", true));
    out->add(layerNorm("LayerNorm", "E"));
    Module* encoder = m->add(container("encoder", "BertEncoder"));
    encoder->add(moduleList("layer"))->add(repeated(std::move(layer), "L"));

    if (pooler)
        m->add(container("pooler", "BertPooler"))->add(linear("dense", "E", "E", true));
    return m;
}

} // namespace

Result<Design> buildBert(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    HfReader r(c, d);
    // Defaults of BertConfig.
    r.symbol("V", "vocab_size", 30522, "vocabulary size");
    r.symbol("P", "max_position_embeddings", 512, "context length (positions)");
    r.symbol("T", "type_vocab_size", 2, "token types (segments)");
    r.symbol("E", "hidden_size", 768, "width (hidden size)");
    r.symbol("H", "num_attention_heads", 12, "attention heads");
    r.symbol("L", "num_hidden_layers", 12, "layers");
    r.symbol("F", "intermediate_size", 3072, "MLP width (intermediate size)");
    const std::string position = r.text("position_embedding_type", "absolute");
    const bool relative = position == "relative_key" || position == "relative_key_query";
    // Cross-attention exists only in a decoder built with add_cross_attention.
    const bool cross
        = c.hasValue("add_cross_attention") && r.flag("add_cross_attention", false) && r.flag("is_decoder", false);
    const bool maskedLm = className == "BertForMaskedLM";
    const bool tie = maskedLm && r.flag("tie_word_embeddings", true);
    if (r.error())
        return *r.error();
    r.builder().check("E/H", "num_attention_heads must divide hidden_size");

    if (!maskedLm) {
        d.root = bertModel("", true, relative, cross);
        d.root->type = className;
    } else {
        d.root = container("", className);
        d.root->add(bertModel("bert", false, relative, cross)); // add_pooling_layer=False
        Module* head
            = d.root->add(container("cls", "BertOnlyMLMHead"))->add(container("predictions", "BertLMPredictionHead"));
        Module* transform = head->add(container("transform", "BertPredictionHeadTransform"));
        transform->add(linear("dense", "E", "E", true));
        transform->add(layerNorm("LayerNorm", "E"));
        // decoder.bias is the Parameter cls.predictions.bias: counted once, here.
        Module* decoder = head->add(linear("decoder", "E", "V", true));
        if (tie)
            decoder->tiedTo = "bert.embeddings.word_embeddings"; // noted by Design::allNotes()
        d.notes.push_back("cls.predictions.decoder.bias is the checkpoint's cls.predictions.bias: counted once");
        d.notes.push_back("the published BERT sizes (110M; 109,482,240 for base) count BertModel with its pooler; "
                          "BertForMaskedLM has no pooler but adds the MLM transform and output bias");
    }
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

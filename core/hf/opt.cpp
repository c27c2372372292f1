// SPDX-License-Identifier: MIT
// OPT: a learned position table with two extra rows, optional projections between a narrower
// word-embedding width and the model width (opt-350m), and an lm_head tied to the embedding.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildOpt(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    HfReader r(c, d);
    // Defaults of OPTConfig (which keeps PretrainedConfig's tie_word_embeddings = true).
    r.symbol("V", "vocab_size", 50272, "vocabulary size");
    r.symbol("P", "max_position_embeddings", 2048, "context length (positions)");
    const Count E = r.symbol("E", "hidden_size", 768, "width (hidden size)");
    r.symbol("H", "num_attention_heads", 12, "attention heads");
    r.symbol("L", "num_hidden_layers", 12, "layers");
    r.symbol("F", "ffn_dim", 3072, "MLP width (ffn_dim)");
    Count W = E;
    if (c.hasValue("word_embed_proj_dim"))
        W = r.symbol("W", "word_embed_proj_dim", std::nullopt, "word embedding width");
    else
        r.builder().derive("W", "E", "word_embed_proj_dim", "word embedding width");
    const bool bias = r.flag("enable_bias", true);
    const bool affine = r.flag("layer_norm_elementwise_affine", true);
    const bool normBefore = r.flag("do_layer_norm_before", true);
    const bool removeFinal = c.hasValue("_remove_final_layer_norm") && r.flag("_remove_final_layer_norm", false);
    const bool tie = r.flag("tie_word_embeddings", true);
    if (r.error())
        return *r.error();
    r.builder().check("E/H", "num_attention_heads must divide hidden_size");

    const bool lm = className == "OPTForCausalLM";
    Module* model = baseModel(d, className, lm, "model", "OPTModel");
    Module* decoder = model->add(container("decoder", "OPTDecoder"));
    decoder->add(leaf(ModuleKind::Embedding, "embed_tokens", { "V", "W" }));
    // OPTLearnedPositionalEmbedding offsets positions by 2 (a fairseq legacy), hence P + 2 rows.
    decoder->add(leaf(ModuleKind::Embedding, "embed_positions", { "P + 2", "E" }))->type
        = "OPTLearnedPositionalEmbedding";
    // project_in/out exist only when the widths differ, which no expression can switch on: the
    // import keeps them equal or different, as they are here.
    if (W != E) {
        decoder->add(linear("project_out", "E", "W", false));
        decoder->add(linear("project_in", "W", "E", false));
        r.builder().check("(W - E)/(W - E)",
            "word_embed_proj_dim must differ from hidden_size here: OPT has project_in and project_out only when "
            "they differ (import the config again to make them equal)");
    } else {
        r.builder().check("W/E + E/W",
            "word_embed_proj_dim must equal hidden_size here: OPT adds project_in and project_out when they "
            "differ (set both, or import the config again)");
    }
    // Without elementwise_affine a LayerNorm holds no parameters, so it is left out.
    const bool finalNorm = normBefore && !removeFinal && affine;
    if (finalNorm)
        decoder->add(layerNorm("final_layer_norm", "E"));

    auto layer = container("", "OPTDecoderLayer");
    Module* attn = layer->add(container("self_attn", "OPTAttention"));
    attn->role = "attention";
    for (const char* name : { "k_proj", "v_proj", "q_proj", "out_proj" })
        attn->add(linear(name, "E", "E", bias));
    if (affine)
        layer->add(layerNorm("self_attn_layer_norm", "E"));
    layer->add(linear("fc1", "E", "F", bias))->role = "mlp";
    layer->add(linear("fc2", "F", "E", bias))->role = "mlp";
    if (affine)
        layer->add(layerNorm("final_layer_norm", "E"));
    decoder->add(moduleList("layers"))->add(repeated(std::move(layer), "L"));

    if (!affine)
        d.notes.push_back("layer_norm_elementwise_affine = false: the LayerNorms hold no parameters and are not shown");
    if (!normBefore)
        d.notes.push_back("do_layer_norm_before = false (post-norm, as opt-350m): the decoder has no final_layer_norm");
    if (lm) {
        Module* head = d.root->add(linear("lm_head", "W", "V", false));
        if (tie)
            head->tiedTo = "model.decoder.embed_tokens"; // noted by Design::allNotes()
    }
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

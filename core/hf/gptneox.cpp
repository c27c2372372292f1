// SPDX-License-Identifier: MIT
// GPT-NeoX (Pythia, GPT-NeoX-20B): fused query_key_value, LayerNorms with bias, an output
// projection named embed_out, and no lm_head.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildGptNeox(HfConfig& c, const std::string& modelType, const std::string& className)
{
    Design d;
    HfReader r(c, d);
    // Defaults of GPTNeoXConfig (the GPT-NeoX-20B shape). Always multi-head: no KV heads or head_dim.
    r.symbol("V", "vocab_size", 50432, "vocabulary size");
    r.symbol("P", "max_position_embeddings", 2048, "context length (rotary)");
    r.symbol("E", "hidden_size", 6144, "width (hidden size)");
    r.symbol("H", "num_attention_heads", 64, "attention heads");
    r.symbol("L", "num_hidden_layers", 44, "layers");
    r.symbol("F", "intermediate_size", 24576, "MLP width (intermediate size)");
    // attention_bias arrived in transformers 4.38; older configs (Pythia) lack it and had biases.
    const bool bias = r.flag("attention_bias", true);
    const bool tie = r.flag("tie_word_embeddings", false);
    if (r.error())
        return *r.error();
    r.builder().check("E/H", "num_attention_heads must divide hidden_size");

    const bool lm = className == "GPTNeoXForCausalLM";
    Module* model = baseModel(d, className, lm, "gpt_neox", "GPTNeoXModel");
    model->add(leaf(ModuleKind::Embedding, "embed_in", { "V", "E" }));

    auto layer = container("", "GPTNeoXLayer");
    layer->add(layerNorm("input_layernorm", "E"));
    layer->add(layerNorm("post_attention_layernorm", "E"));
    Module* attn = layer->add(container("attention", "GPTNeoXAttention"));
    attn->role = "attention";
    attn->add(linear("query_key_value", "E", "3*E", bias));
    attn->add(linear("dense", "E", "E", bias));
    layer->add(plainMlp("mlp", "GPTNeoXMLP", "E", "F", true, "dense_h_to_4h", "dense_4h_to_h"));
    model->add(moduleList("layers"))->add(repeated(std::move(layer), "L"));
    model->add(layerNorm("final_layer_norm", "E"));

    if (lm) {
        Module* head = d.root->add(linear("embed_out", "E", "V", false));
        if (tie) {
            head->tiedTo = "gpt_neox.embed_in"; // noted by Design::allNotes()
        } else {
            d.notes.push_back("Pythia's model cards count non-embedding parameters without embed_out as well "
                              "(total − 2·V·E)");
        }
    }
    d.notes.push_back("the causal-mask buffers (attention.bias, masked_bias) of older transformers are not "
                      "parameters and are not counted");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
// Falcon (model_type falcon, and the hub's original RefinedWebModel / RefinedWeb configs): a fused
// query_key_value projection that is multi-query (Falcon-7B: one key/value head), grouped
// (new_decoder_architecture, Falcon-40B/180B: num_kv_heads) or multi-head (Falcon-RW); attention
// and MLP in parallel under one LayerNorm (or two, ln_attn and ln_mlp, in the new architecture), or
// in sequence with two; a head tied to the word embeddings by default.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

Result<Design> buildFalcon(HfConfig& c, const std::string& modelType, const std::string& className)
{
    // RefinedWeb is the original Falcon-40B config (the new decoder architecture, n_head_kv groups),
    // RefinedWebModel the original Falcon-7B one; transformers converts both to model_type falcon.
    const bool refinedWeb = modelType == "RefinedWeb";
    Design d;
    HfReader r(c, d);
    DesignBuilder& b = r.builder();
    // Defaults of FalconConfig (configuration_falcon.py; the Falcon-7B shape). attribute_map:
    // num_hidden_layers is n_layer, num_attention_heads n_head (the original configs' names).
    auto field
        = [&](const char* name, const char* legacy) { return !c.hasValue(name) && c.hasValue(legacy) ? legacy : name; };
    r.symbol("V", "vocab_size", 65024, "vocabulary size");
    r.symbol("P", "max_position_embeddings", 2048, "context length (rotary)");
    r.symbol("E", field("hidden_size", "n_embed"), 4544, "width (hidden size)");
    r.symbol("H", field("num_attention_heads", "n_head"), 71, "attention heads");
    r.symbol("L", field("num_hidden_layers", "n_layer"), 32, "layers");
    const bool newArch = refinedWeb || r.flag("new_decoder_architecture", false);
    const bool multiQuery = r.flag("multi_query", true);
    const bool parallel = r.flag("parallel_attn", true);
    const bool bias = r.flag("bias", false);
    const Count norms = newArch ? r.integer("num_ln_in_parallel_attn", 2) : 1;
    const bool lm = className.ends_with("ForCausalLM");
    const bool tie = lm && r.flag("tie_word_embeddings", true);
    // Key/value heads: num_kv_heads (n_head_kv in the original configs), H when absent; multi-query
    // attention outside the new architecture has one.
    const bool grouped = newArch || !multiQuery;
    if (grouped && newArch) {
        const char* kv = field("num_kv_heads", "n_head_kv");
        if (c.hasValue(kv))
            r.symbol("K", kv, std::nullopt, "key/value heads");
        else
            b.derive("K", "H", c.name("num_kv_heads"), "key/value heads");
    }
    b.derive("D", "E/H", "", "head dimension");
    b.check("E/H", c.name("num_attention_heads") + " must divide " + c.name("hidden_size"));
    if (c.hasValue("ffn_hidden_size"))
        r.symbol("F", "ffn_hidden_size", std::nullopt, "MLP width");
    else
        b.derive("F", "4*E", c.name("ffn_hidden_size"), "MLP width (4 × hidden_size when ffn_hidden_size is unset)");
    if (r.error())
        return *r.error();

    Module* model = baseModel(d, className, lm, "transformer", "FalconModel");
    model->add(leaf(ModuleKind::Embedding, "word_embeddings", { "V", "E" }));
    auto layer = container("", "FalconDecoderLayer");
    auto attn = container("self_attention", "FalconAttention");
    attn->role = "attention";
    // q for every head, then k and v for each key/value head (one with multi-query attention).
    const std::string qkv = newArch ? "(H + 2*K)*D" : multiQuery ? "E + 2*D" : "3*E";
    attn->add(linear("query_key_value", "E", qkv, bias))->type = "FalconLinear";
    attn->add(linear("dense", "E", "E", bias))->type = "FalconLinear";
    attn->kv.cache = expr(newArch ? "2*K*D" : multiQuery ? "2*D" : "2*E");
    layer->add(std::move(attn));
    auto mlp = plainMlp("mlp", "FalconMLP", "E", "F", bias, "dense_h_to_4h", "dense_4h_to_h");
    for (auto& m : mlp->children)
        m->type = "FalconLinear";
    layer->add(std::move(mlp));
    if (!parallel) {
        layer->add(layerNorm("post_attention_layernorm", "E"));
        layer->add(layerNorm("input_layernorm", "E"));
    } else if (norms == 2) {
        layer->add(layerNorm("ln_attn", "E"));
        layer->add(layerNorm("ln_mlp", "E"));
    } else {
        layer->add(layerNorm("input_layernorm", "E")); // one norm feeds attention and MLP alike
    }
    model->add(moduleList("h"))->add(repeated(std::move(layer), "L"));
    model->add(layerNorm("ln_f", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "transformer.word_embeddings");
    if (tie)
        d.notes.push_back("the hub's safetensors of Falcon-7B/40B/180B store lm_head.weight beside "
                          "word_embeddings.weight, so their totals exceed this count by V·E");
    if (modelType != "falcon")
        d.notes.push_back("model_type " + modelType
            + " is the original (remote-code) Falcon config; transformers reads " + "it as falcon"
            + (refinedWeb ? " with new_decoder_architecture" : ""));
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

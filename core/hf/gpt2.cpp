// SPDX-License-Identifier: MIT
// GPT-2 (GPT2LMHeadModel, GPT2Model), including the 2019 configs with no model_type. The tree and
// symbols match presets/gpt2.json (V, P, E, H, L, F, D).
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

namespace {

/// GPT-2's Conv1D(nf, nx): weight [nx, nf] and bias [nf].
std::unique_ptr<Module> conv1d(std::string name, const std::string& nf, const std::string& nx)
{
    return leaf(ModuleKind::Conv1D, std::move(name), { nf, nx });
}

std::unique_ptr<Module> block(bool crossAttention)
{
    auto b = container("", "GPT2Block");
    b->add(layerNorm("ln_1", "E"));
    auto attn = b->add(container("attn", "GPT2Attention"));
    attn->role = "attention";
    attn->add(conv1d("c_attn", "3*E", "E"));
    attn->add(conv1d("c_proj", "E", "E"));
    b->add(layerNorm("ln_2", "E"));
    if (crossAttention) {
        // GPT2Attention(is_cross_attention=True): keys and values from the encoder, queries apart.
        auto cross = b->add(container("crossattention", "GPT2Attention"));
        cross->role = "attention";
        cross->add(conv1d("c_attn", "2*E", "E"));
        cross->add(conv1d("q_attn", "E", "E"));
        cross->add(conv1d("c_proj", "E", "E"));
        b->add(layerNorm("ln_cross_attn", "E"));
    }
    auto mlp = b->add(container("mlp", "GPT2MLP"));
    mlp->role = "mlp";
    mlp->add(conv1d("c_fc", "F", "E"));
    mlp->add(conv1d("c_proj", "E", "F"));
    return b;
}

} // namespace

Result<Design> buildGpt2(HfConfig& config, const std::string& modelType, const std::string& className)
{
    Design d;
    describe(d, config, modelType, className);
    HfReader r(config, d);
    // GPT2Config defaults; n_ctx is not read (wpe uses n_positions).
    r.symbol("V", "vocab_size", 50257, "vocabulary size");
    r.symbol("P", "n_positions", 1024, "context length (positions)");
    r.symbol("E", "n_embd", 768, "width (embedding size)");
    r.symbol("H", "n_head", 12, "attention heads");
    r.symbol("L", "n_layer", 12, "layers (blocks)");
    // n_inner null or absent: 4·n_embd, computed by GPT2MLP.
    if (config.hasValue("n_inner"))
        r.symbol("F", "n_inner", std::nullopt, "MLP width");
    else
        r.builder().derive("F", "4*E", config.name("n_inner"), "MLP width");
    r.builder().derive("D", "E/H", "", "head dimension");
    r.builder().check("E/H", "n_head must divide n_embd");
    const bool cross = r.flag("add_cross_attention", false);
    const bool lmHead = className == "GPT2LMHeadModel";
    const bool tied = lmHead && r.flag("tie_word_embeddings", true);
    if (r.error())
        return *r.error();

    Module* model = baseModel(d, className, lmHead, "transformer", "GPT2Model");
    model->add(leaf(ModuleKind::Embedding, "wte", { "V", "E" }));
    model->add(leaf(ModuleKind::Embedding, "wpe", { "P", "E" }));
    model->add(moduleList("h"))->add(repeated(block(cross), "L"));
    model->add(layerNorm("ln_f", "E"));
    if (lmHead)
        addLmHead(d, *d.root, tied, "transformer.wte");
    d.notes.push_back("the checkpoint also stores a causal-mask buffer per layer (h.N.attn.bias, P×P): "
                      "not a parameter, so a count of the file's values is higher");
    return d;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
#include "hfblocks.h"

#include "hfreader.h"

namespace paramscope::core::hf {

Result<DecoderSymbols> declareDecoderSymbols(Design& design, HfConfig& config, const DecoderDefaults& defaults)
{
    HfReader r(config, design);
    DesignBuilder& b = r.builder();
    DecoderSymbols s;
    s.V = r.symbol("V", "vocab_size", defaults.vocab, "vocabulary size");
    // Rotary positions have no parameters, but the context length is part of the design a reader
    // sizes (and a slider the app always shows), so it is declared when the config gives it.
    if (config.hasValue("max_position_embeddings") || defaults.positions)
        s.P = r.symbol("P", "max_position_embeddings", defaults.positions, "context length (rotary)");
    s.E = r.symbol("E", "hidden_size", defaults.hidden, "width (hidden size)");
    s.H = r.symbol("H", "num_attention_heads", defaults.heads, "attention heads");
    s.L = r.symbol("L", "num_hidden_layers", defaults.layers, "layers");

    // num_key_value_heads: absent takes the class default (when it has one); null means H.
    const bool kvNull = r.isNull("num_key_value_heads");
    if (kvNull || (!config.has("num_key_value_heads") && !defaults.kvHeads)) {
        b.derive("K", "H", config.name("num_key_value_heads"), "key/value heads");
        design.notes.push_back(config.name("num_key_value_heads") + (kvNull ? " is null" : " is absent")
            + ": K = H (one key/value head per query head), as the config class sets it");
        s.K = s.H;
    } else {
        s.K = r.symbol("K", "num_key_value_heads", defaults.kvHeads, "key/value heads");
    }

    // head_dim: absent takes the class default (when it has one); null or 0 means E/H, which the
    // modeling code computes as `config.head_dim or hidden_size // num_attention_heads`.
    bool derivedHeadDim = false;
    if (config.hasValue("head_dim")) {
        // Read with minimum 0 (0 is allowed and means E/H), declared with the usual minimum 1.
        s.D = r.integer("head_dim", std::nullopt, 0);
        if (s.D > 0)
            b.set("D", s.D, config.name("head_dim"), "head dimension");
        else
            derivedHeadDim = true;
    } else if (!config.has("head_dim") && defaults.headDim) {
        s.D = r.symbol("D", "head_dim", defaults.headDim, "head dimension");
    } else {
        derivedHeadDim = true;
    }
    if (derivedHeadDim) {
        b.derive("D", "E/H", config.name("head_dim"), "head dimension");
        b.check("E/H", config.name("num_attention_heads") + " must divide " + config.name("hidden_size"));
        design.notes.push_back(config.name("head_dim") + (config.has("head_dim") ? " is null or 0" : " is absent")
            + ": D = E/H (hidden_size / num_attention_heads), as the modeling code computes it");
        s.D = s.E / s.H; // H >= 1 even after an error: a failed read gives its fallback or 1
    }

    s.F = r.symbol("F", "intermediate_size", defaults.intermediate, "MLP width (intermediate size)");
    b.check("H/K", config.name("num_key_value_heads") + " must divide " + config.name("num_attention_heads"));
    return r.result(s);
}

Module* baseModel(Design& design, const std::string& className, bool wrapped, std::string name, std::string modelClass)
{
    design.root = container("", className);
    return wrapped ? design.root->add(container(std::move(name), std::move(modelClass))) : design.root.get();
}

std::unique_ptr<Module> linear(std::string name, const std::string& in, const std::string& out, bool bias)
{
    return leaf(ModuleKind::Linear, std::move(name), { in, out }, bias);
}

std::unique_ptr<Module> rmsNorm(std::string name, std::string type, const std::string& dim)
{
    auto m = leaf(ModuleKind::RMSNorm, std::move(name), { dim });
    m->type = std::move(type);
    return m;
}

std::unique_ptr<Module> layerNorm(std::string name, const std::string& dim, bool bias, std::string type)
{
    auto m = leaf(ModuleKind::LayerNorm, std::move(name), { dim }, bias);
    m->type = std::move(type);
    return m;
}

std::unique_ptr<Module> moduleList(std::string name)
{
    return container(std::move(name), "ModuleList");
}

std::unique_ptr<Module> repeated(std::unique_ptr<Module> m, const std::string& repeat, const std::string& active)
{
    m->name.clear();
    m->repeat = expr(repeat);
    if (!active.empty())
        m->activeRepeat = expr(active);
    return m;
}

std::unique_ptr<Module> llamaAttention(std::string name, const AttentionSpec& spec)
{
    auto a = container(std::move(name), spec.type);
    a->role = "attention";
    a->add(linear("q_proj", "E", "H*D", spec.qkvBias));
    a->add(linear("k_proj", "E", "K*D", spec.qkvBias));
    a->add(linear("v_proj", "E", "K*D", spec.qkvBias));
    a->add(linear(spec.outName, "H*D", "E", spec.outBias));
    if (!spec.qkNormType.empty()) {
        a->add(rmsNorm("q_norm", spec.qkNormType, "D"));
        a->add(rmsNorm("k_norm", spec.qkNormType, "D"));
    }
    return a;
}

std::unique_ptr<Module> gatedMlp(
    std::string name, std::string type, const std::string& in, const std::string& hidden, bool bias)
{
    auto m = container(std::move(name), std::move(type));
    m->role = "mlp";
    m->add(linear("gate_proj", in, hidden, bias));
    m->add(linear("up_proj", in, hidden, bias));
    m->add(linear("down_proj", hidden, in, bias));
    return m;
}

std::unique_ptr<Module> plainMlp(std::string name, std::string type, const std::string& in, const std::string& hidden,
    bool bias, std::string fc1, std::string fc2)
{
    auto m = container(std::move(name), std::move(type));
    m->role = "mlp";
    m->add(linear(std::move(fc1), in, hidden, bias));
    m->add(linear(std::move(fc2), hidden, in, bias));
    return m;
}

void addLmHead(Design& /*design*/, Module& parent, bool tied, const std::string& embeddingPath)
{
    auto head = linear("lm_head", "E", "V", false);
    if (tied)
        head->tiedTo = embeddingPath; // the note follows from the tie: Design::allNotes()
    parent.add(std::move(head));
}

int addLayerRuns(Module& list, const std::vector<int>& kinds, const std::function<std::unique_ptr<Module>(int)>& make,
    const std::string& uniformRepeat)
{
    std::vector<std::pair<int, Count>> runs; // kind, length
    for (int k : kinds) {
        if (runs.empty() || runs.back().first != k)
            runs.emplace_back(k, 0);
        ++runs.back().second;
    }
    for (const auto& [kind, length] : runs)
        list.add(repeated(make(kind), runs.size() == 1 ? uniformRepeat : std::to_string(length)));
    return static_cast<int>(runs.size());
}

void describe(Design& design, HfConfig& config, const std::string& modelType, const std::string& className)
{
    auto name = config.string("_name_or_path", "");
    const std::string repo = name ? *name : std::string();
    if (!repo.empty())
        design.name = repo;
    design.source = "Hugging Face " + (repo.empty() ? std::string() : repo + " ") + "config.json (model_type "
        + modelType + "); structure as print(model) of " + className;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
// Mamba (model_type mamba) and Mamba-2 (mamba2): state-space language models with no attention.
// Each layer is a norm and a mixer: in_proj, a depthwise causal conv1d (with bias), the selective
// scan's parameters (Mamba: x_proj, dt_proj with bias, A_log [d_inner, N], D [d_inner]; Mamba-2:
// dt_bias, A_log and D per head and a gated RMSNorm) and out_proj. Generation keeps a fixed state
// per sequence instead of a KV cache.
#include "blocks.h"
#include "families.h"
#include "reader.h"

namespace paramscope::core::hf {

namespace {

/// Di: intermediate_size when the config has it (MambaConfig lets a saved value override its
/// int(expand · hidden_size)), else Ex·E from a whole-number expand.
void declareInner(HfReader& r, bool fromField)
{
    HfConfig& c = r.config();
    if (fromField && c.hasValue("intermediate_size")) {
        r.symbol("Di", "intermediate_size", std::nullopt, "mixer width (d_inner)");
        return;
    }
    r.symbol("Ex", "expand", 2, "expansion factor");
    r.builder().derive("Di", "Ex*E", "", "mixer width (d_inner = expand × hidden_size)");
}

} // namespace

Result<Design> buildMamba(HfConfig& c, const std::string& modelType, const std::string& className)
{
    const bool v2 = modelType == "mamba2";
    const std::string p = v2 ? "Mamba2" : "Mamba";
    Design d;
    HfReader r(c, d);
    DesignBuilder& b = r.builder();
    // Defaults of MambaConfig (the mamba-130m shape but 32 layers) and Mamba2Config (the
    // Mamba-Codestral-7B shape).
    r.symbol("V", "vocab_size", v2 ? 32768 : 50280, "vocabulary size");
    const Count E = r.symbol("E", "hidden_size", v2 ? 4096 : 768, "width (hidden size)");
    r.symbol("L", "num_hidden_layers", v2 ? 64 : 32, "layers");
    r.symbol("N", "state_size", v2 ? 128 : 16, "SSM state size");
    r.symbol("Kc", "conv_kernel", 4, "convolution kernel");
    // Mamba2Mixer computes d_inner from expand alone; MambaMixer reads config.intermediate_size.
    declareInner(r, !v2);
    if (v2) {
        r.symbol("Hs", "num_heads", 128, "SSM heads");
        r.symbol("Dh", "head_dim", 64, "SSM head dimension (state only)");
        r.symbol("G", "n_groups", 8, "B/C groups");
    } else {
        // time_step_rank "auto" is ceil(hidden_size / 16): exact in E for every E with the
        // imported remainder mod 16, which a check keeps.
        const bool autoRank = !c.hasValue("time_step_rank")
            || (c.json()["time_step_rank"].is_string() && c.json()["time_step_rank"] == "auto");
        if (autoRank) {
            const Count up = (16 - E % 16) % 16;
            const std::string rank = up == 0 ? "E/16" : "(E + " + std::to_string(up) + ")/16";
            b.derive("R", rank, c.name("time_step_rank"), "time-step rank (ceil(hidden_size / 16): \"auto\")");
            b.check(rank,
                c.name("hidden_size") + " must leave the remainder " + std::to_string((16 - up) % 16)
                    + " when divided by 16: time_step_rank \"auto\" is ceil(hidden_size / 16), written for this "
                      "remainder (import the config again for another)");
        } else {
            r.symbol("R", "time_step_rank", std::nullopt, "time-step rank");
        }
    }
    const bool bias = r.flag("use_bias", !v2); // MambaConfig's default is True, Mamba2Config's False
    const bool convBias = r.flag("use_conv_bias", true);
    const bool lm = className.ends_with("ForCausalLM");
    const bool tie = lm && r.flag("tie_word_embeddings", !v2);
    if (r.error())
        return *r.error();

    Module* model = baseModel(d, className, lm, "backbone", p + "Model");
    model->add(leaf(ModuleKind::Embedding, "embeddings", { "V", "E" }));
    auto block = container("", p + "Block");
    block->add(rmsNorm("norm", p + "RMSNorm", "E"));
    auto mixer = container("mixer", p + "Mixer");
    mixer->role = "ssm";
    if (v2) {
        // in_proj gives the gate z (Di), x, B and C (Di + 2·G·N, which the conv mixes) and dt (Hs).
        mixer->add(linear("in_proj", "E", "2*Di + 2*G*N + Hs", bias));
        mixer->add(leaf(ModuleKind::Conv1d, "conv1d", { "Di + 2*G*N", "Di + 2*G*N", "Kc", "Di + 2*G*N" }, convBias));
        mixer->add(leaf(ModuleKind::Parameter, "dt_bias", { "Hs" }));
        mixer->add(leaf(ModuleKind::Parameter, "A_log", { "Hs" }));
        mixer->add(leaf(ModuleKind::Parameter, "D", { "Hs" }));
        mixer->add(rmsNorm("norm", "MambaRMSNormGated", "Di"));
        mixer->add(linear("out_proj", "Di", "E", bias));
        // Mamba2's cache: conv_states [conv_dim, conv_kernel], ssm_states [num_heads, head_dim, N].
        mixer->kv.state = expr("(Di + 2*G*N)*Kc + Hs*Dh*N");
    } else {
        mixer->add(leaf(ModuleKind::Conv1d, "conv1d", { "Di", "Di", "Kc", "Di" }, convBias));
        mixer->add(linear("in_proj", "E", "2*Di", bias)); // x and the gate z
        mixer->add(linear("x_proj", "Di", "R + 2*N", false)); // dt (rank R), B and C
        mixer->add(linear("dt_proj", "R", "Di", true));
        mixer->add(leaf(ModuleKind::Parameter, "A_log", { "Di", "N" }));
        mixer->add(leaf(ModuleKind::Parameter, "D", { "Di" }));
        mixer->add(linear("out_proj", "Di", "E", bias));
        // MambaCache: conv_states [d_inner, conv_kernel], ssm_states [d_inner, N].
        mixer->kv.state = expr("Di*Kc + Di*N");
    }
    block->add(std::move(mixer));
    model->add(moduleList("layers"))->add(repeated(std::move(block), "L"));
    model->add(rmsNorm("norm_f", p + "RMSNorm", "E"));
    if (lm)
        addLmHead(d, *d.root, tie, "backbone.embeddings");
    d.notes.push_back("no attention: each layer keeps a fixed state per sequence (convolution and SSM states), "
                      "not a KV cache");
    describe(d, c, modelType, className);
    return d;
}

} // namespace paramscope::core::hf

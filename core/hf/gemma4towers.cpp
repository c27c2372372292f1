// SPDX-License-Identifier: MIT
// Gemma 4's vision and audio towers, as modeling_gemma4.py builds them (Gemma4VisionModel,
// Gemma4AudioModel).
#include "gemma4towers.h"

#include "blocks.h"
#include "reader.h"

#include <string>

namespace paramscope::core::hf {

namespace {

/// Gemma4ClippableLinear: a Linear inside a wrapper (checkpoint name q_proj.linear.weight); its clip
/// bounds, when used, are buffers.
std::unique_ptr<Module> clippable(std::string name, const std::string& in, const std::string& out)
{
    auto m = container(std::move(name), "Gemma4ClippableLinear");
    m->add(linear("linear", in, out, false));
    return m;
}

/// Gemma4AudioFeedForward: a 4× MLP between two norms (the Conformer's half-step feed-forward).
std::unique_ptr<Module> audioFeedForward(std::string name)
{
    auto ff = container(std::move(name), "Gemma4AudioFeedForward");
    ff->role = "mlp";
    ff->add(clippable("ffw_layer_1", "Ea", "4*Ea"));
    ff->add(clippable("ffw_layer_2", "4*Ea", "Ea"));
    ff->add(rmsNorm("pre_layer_norm", "Gemma4RMSNorm", "Ea"));
    ff->add(rmsNorm("post_layer_norm", "Gemma4RMSNorm", "Ea"));
    return ff;
}

/// One stride-2 3×3 convolution of the subsampler, bias-free, then a LayerNorm without bias.
std::unique_ptr<Module> subsampleLayer(std::string name, const std::string& in, const std::string& out)
{
    auto l = container(std::move(name), "Gemma4AudioSubSampleConvProjectionLayer");
    l->add(leaf(ModuleKind::Conv2d, "conv", { in, out, "3" }, false));
    l->add(layerNorm("norm", out, false));
    return l;
}

} // namespace

Result<bool> clipsLinears(HfConfig& tower, bool fallback)
{
    return tower.boolean("use_clipped_linears", fallback);
}

Result<std::unique_ptr<Module>> gemma4Vision(Design& d, HfConfig& vision)
{
    HfReader r(vision, d);
    r.symbol("Ev", "hidden_size", 768, "vision width");
    r.symbol("Hv", "num_attention_heads", 12, "vision attention heads");
    r.symbol("Kv", "num_key_value_heads", 12, "vision key/value heads");
    r.symbol("Dv", "head_dim", 64, "vision head dimension");
    r.symbol("Lv", "num_hidden_layers", 16, "vision layers");
    r.symbol("Fv", "intermediate_size", 3072, "vision MLP width");
    r.symbol("Pv", "patch_size", 16, "patch size (pixels)");
    r.symbol("Nv", "position_embedding_size", 10240, "learned positions per axis");
    if (r.error())
        return *r.error();
    r.builder().check(
        "Hv/Kv", vision.name("num_key_value_heads") + " must divide " + vision.name("num_attention_heads"));

    auto tower = container("vision_tower", "Gemma4VisionModel");
    tower->role = "vision";
    auto embed = tower->add(container("patch_embedder", "Gemma4VisionPatchEmbedder"));
    embed->add(linear("input_proj", "3*Pv^2", "Ev", false)); // RGB patches, flattened
    embed->add(leaf(ModuleKind::Parameter, "position_embedding_table", { "2", "Nv", "Ev" })); // x and y
    auto layer = container("", "Gemma4VisionEncoderLayer");
    auto attn = layer->add(container("self_attn", "Gemma4VisionAttention"));
    attn->role = "attention";
    attn->add(clippable("q_proj", "Ev", "Hv*Dv"));
    attn->add(clippable("k_proj", "Ev", "Kv*Dv"));
    attn->add(clippable("v_proj", "Ev", "Kv*Dv"));
    attn->add(clippable("o_proj", "Hv*Dv", "Ev"));
    attn->add(rmsNorm("q_norm", "Gemma4RMSNorm", "Dv"));
    attn->add(rmsNorm("k_norm", "Gemma4RMSNorm", "Dv")); // v_norm has no scale
    auto mlp = layer->add(container("mlp", "Gemma4VisionMLP"));
    mlp->role = "mlp";
    mlp->add(clippable("gate_proj", "Ev", "Fv"));
    mlp->add(clippable("up_proj", "Ev", "Fv"));
    mlp->add(clippable("down_proj", "Fv", "Ev"));
    for (const char* n :
        { "input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm" })
        layer->add(rmsNorm(n, "Gemma4RMSNorm", "Ev"));
    tower->add(container("encoder", "Gemma4VisionEncoder"))
        ->add(moduleList("layers"))
        ->add(repeated(std::move(layer), "Lv"));
    // The pooler scales and averages (no parameters); standardize's std_bias and std_scale are buffers.
    return tower;
}

Result<std::unique_ptr<Module>> gemma4Audio(Design& d, HfConfig& audio)
{
    HfReader r(audio, d);
    r.symbol("Ea", "hidden_size", 1024, "audio width");
    r.symbol("La", "num_hidden_layers", 12, "audio Conformer layers");
    r.symbol("Ha", "num_attention_heads", 8, "audio attention heads");
    r.symbol("Ka", "conv_kernel_size", 5, "audio depthwise convolution kernel");
    r.symbol("Oa", "output_proj_dims", 1536, "audio output width");
    std::vector<Count> channels = r.integers("subsampling_conv_channels");
    if (r.error())
        return *r.error();
    const std::string channelsField = audio.name("subsampling_conv_channels");
    if (!audio.hasValue("subsampling_conv_channels")) {
        channels = { 128, 32 };
        audio.assume("subsampling_conv_channels", "[128, 32]");
    }
    if (channels.size() != 2)
        return Error { channelsField,
            "expected two channel counts (one per subsampling convolution), got " + std::to_string(channels.size()) };
    for (std::size_t i = 0; i < 2; ++i)
        if (channels[i] < 1)
            return Error { channelsField + "[" + std::to_string(i) + "]",
                "must be at least 1, got " + std::to_string(channels[i]) };
    r.builder().set("Ca1", channels[0], channelsField + "[0]", "audio subsampling channels, first convolution");
    r.builder().set("Ca2", channels[1], channelsField + "[1]", "audio subsampling channels, second convolution");
    r.builder().check("Ea/Ha",
        audio.name("hidden_size") + " must be a multiple of " + audio.name("num_attention_heads")
            + " (Gemma4AudioAttention's head dimension)");
    // Gemma4AudioSubSampleConvProjection flattens Ca1/4 frequency bins of Ca2 channels (128 mel bins
    // halved twice: it takes Ca1 for the bins); another Ca1 builds a projection no input fits.
    r.builder().check("Ca1/4",
        channelsField + "[0] must be a multiple of 4 (the subsampler's projection takes " + "Ca1/4·Ca2 inputs)");

    auto tower = container("audio_tower", "Gemma4AudioModel");
    tower->role = "audio";
    auto subsample = tower->add(container("subsample_conv_projection", "Gemma4AudioSubSampleConvProjection"));
    subsample->add(subsampleLayer("layer0", "1", "Ca1"));
    subsample->add(subsampleLayer("layer1", "Ca1", "Ca2"));
    subsample->add(linear("input_proj_linear", "Ca1/4*Ca2", "Ea", false));
    // rel_pos_enc: sinusoidal, a buffer.
    auto layer = container("", "Gemma4AudioLayer");
    layer->add(audioFeedForward("feed_forward1"));
    layer->add(audioFeedForward("feed_forward2"));
    auto attn = layer->add(container("self_attn", "Gemma4AudioAttention"));
    attn->role = "attention";
    attn->add(clippable("q_proj", "Ea", "Ea")); // Ha heads of Ea/Ha
    attn->add(clippable("k_proj", "Ea", "Ea"));
    attn->add(clippable("v_proj", "Ea", "Ea"));
    attn->add(clippable("post", "Ea", "Ea"));
    attn->add(linear("relative_k_proj", "Ea", "Ea", false)); // keys for the relative positions
    attn->add(leaf(ModuleKind::Parameter, "per_dim_scale", { "Ea/Ha" })); // softcap is a buffer
    auto conv = layer->add(container("lconv1d", "Gemma4AudioLightConv1d"));
    conv->add(clippable("linear_start", "Ea", "2*Ea")); // halved again by a GLU
    conv->add(clippable("linear_end", "Ea", "Ea"));
    conv->add(leaf(ModuleKind::Conv1d, "depthwise_conv1d", { "Ea", "Ea", "Ka", "Ea" }, false))->type
        = "Gemma4AudioCausalConv1d";
    conv->add(rmsNorm("pre_layer_norm", "Gemma4RMSNorm", "Ea"));
    conv->add(rmsNorm("conv_norm", "Gemma4RMSNorm", "Ea"));
    for (const char* n : { "norm_pre_attn", "norm_post_attn", "norm_out" })
        layer->add(rmsNorm(n, "Gemma4RMSNorm", "Ea"));
    tower->add(moduleList("layers"))->add(repeated(std::move(layer), "La"));
    tower->add(linear("output_proj", "Ea", "Oa", true));
    return tower;
}

} // namespace paramscope::core::hf

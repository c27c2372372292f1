// SPDX-License-Identifier: MIT
#include "vision.h"

#include "blocks.h"
#include "reader.h"

namespace paramscope::core::hf {

namespace {

/// A vision_config field declared as a symbol, with its class default.
struct Field {
    const char* name;
    const char* field;
    Count fallback;
    const char* description;
};

template <std::size_t N> void declare(HfReader& r, const Field (&fields)[N])
{
    for (const auto& f : fields)
        r.symbol(f.name, f.field, f.fallback, f.description);
}

/// A Conv3d shown as PyTorch names its tensors (proj.weight, proj.bias): the kinds have no 3-d
/// convolution, and its weight is one [out, in, frames, k, k] tensor.
std::unique_ptr<Module> conv3d(std::string name, const std::string& in, const std::string& out,
    const std::string& frames, const std::string& kernel, bool bias)
{
    auto conv = container(std::move(name), "Conv3d");
    conv->add(leaf(ModuleKind::Parameter, "weight", { out, in, frames, kernel, kernel }));
    if (bias)
        conv->add(leaf(ModuleKind::Parameter, "bias", { out }));
    return conv;
}

} // namespace

Result<std::unique_ptr<Module>> siglipVision(Design& d, HfConfig& vision)
{
    const Field fields[] = {
        { "Ev", "hidden_size", 768, "vision width" },
        { "Hv", "num_attention_heads", 12, "vision attention heads" },
        { "Lv", "num_hidden_layers", 12, "vision layers" },
        { "Fv", "intermediate_size", 3072, "vision MLP width" },
        { "Cv", "num_channels", 3, "image channels" },
        { "Iv", "image_size", 224, "image size (pixels)" },
        { "Pv", "patch_size", 16, "patch size (pixels)" },
    };
    HfReader r(vision, d);
    declare(r, fields);
    r.builder().check("Ev/Hv", vision.name("num_attention_heads") + " must divide " + vision.name("hidden_size"));
    r.builder().check("Iv/Pv", vision.name("patch_size") + " must divide " + vision.name("image_size"));
    // Not a SiglipVisionConfig field: the model builds the pooling head unless the key says false.
    const bool useHead = r.flag("vision_use_head", true);
    if (r.error())
        return *r.error();

    auto tower = container("vision_tower", "SiglipVisionModel");
    tower->role = "vision";
    auto vm = tower->add(container("vision_model", "SiglipVisionTransformer"));
    auto emb = vm->add(container("embeddings", "SiglipVisionEmbeddings"));
    emb->add(leaf(ModuleKind::Conv2d, "patch_embedding", { "Cv", "Ev", "Pv" }, true));
    emb->add(leaf(ModuleKind::Embedding, "position_embedding", { "(Iv/Pv)^2", "Ev" })); // learned, one per patch

    auto layer = container("", "SiglipEncoderLayer");
    layer->add(layerNorm("layer_norm1", "Ev"));
    auto attn = layer->add(container("self_attn", "SiglipAttention"));
    attn->role = "attention";
    for (const char* n : { "k_proj", "v_proj", "q_proj", "out_proj" })
        attn->add(linear(n, "Ev", "Ev", true));
    layer->add(layerNorm("layer_norm2", "Ev"));
    layer->add(plainMlp("mlp", "SiglipMLP", "Ev", "Fv", true));
    auto encoder = vm->add(container("encoder", "SiglipEncoder"));
    encoder->add(moduleList("layers"))->add(repeated(std::move(layer), "Lv"));
    vm->add(layerNorm("post_layernorm", "Ev"));

    if (useHead) {
        auto head = vm->add(container("head", "SiglipMultiheadAttentionPoolingHead"));
        head->add(leaf(ModuleKind::Parameter, "probe", { "1", "1", "Ev" }));
        auto mha = head->add(container("attention", "MultiheadAttention"));
        mha->role = "attention";
        mha->add(leaf(ModuleKind::Parameter, "in_proj_weight", { "3*Ev", "Ev" }));
        mha->add(leaf(ModuleKind::Parameter, "in_proj_bias", { "3*Ev" }));
        mha->add(linear("out_proj", "Ev", "Ev", true))->type = "NonDynamicallyQuantizableLinear";
        head->add(layerNorm("layernorm", "Ev"));
        head->add(plainMlp("mlp", "SiglipMLP", "Ev", "Fv", true));
    }
    return tower;
}

Result<std::unique_ptr<Module>> clipVision(Design& d, HfConfig& vision)
{
    const Field fields[] = {
        { "Ev", "hidden_size", 768, "vision width" },
        { "Hv", "num_attention_heads", 12, "vision attention heads" },
        { "Lv", "num_hidden_layers", 12, "vision layers" },
        { "Fv", "intermediate_size", 3072, "vision MLP width" },
        { "Cv", "num_channels", 3, "image channels" },
        { "Iv", "image_size", 224, "image size (pixels)" },
        { "Pv", "patch_size", 32, "patch size (pixels)" },
    };
    HfReader r(vision, d);
    declare(r, fields);
    if (r.error())
        return *r.error();
    r.builder().check("Ev/Hv", vision.name("num_attention_heads") + " must divide " + vision.name("hidden_size"));
    r.builder().check("Iv/Pv", vision.name("patch_size") + " must divide " + vision.name("image_size"));

    auto tower = container("vision_tower", "CLIPVisionModel");
    tower->role = "vision";
    auto vm = tower->add(container("vision_model", "CLIPVisionTransformer"));
    auto emb = vm->add(container("embeddings", "CLIPVisionEmbeddings"));
    emb->add(leaf(ModuleKind::Parameter, "class_embedding", { "Ev" }));
    emb->add(leaf(ModuleKind::Conv2d, "patch_embedding", { "Cv", "Ev", "Pv" }, false));
    // One learned position per patch and one for the class token.
    emb->add(leaf(ModuleKind::Embedding, "position_embedding", { "(Iv/Pv)^2 + 1", "Ev" }));
    vm->add(layerNorm("pre_layrnorm", "Ev")); // sic: the checkpoint's name

    auto layer = container("", "CLIPEncoderLayer");
    auto attn = layer->add(container("self_attn", "CLIPAttention"));
    attn->role = "attention";
    for (const char* n : { "k_proj", "v_proj", "q_proj", "out_proj" })
        attn->add(linear(n, "Ev", "Ev", true));
    layer->add(layerNorm("layer_norm1", "Ev"));
    layer->add(plainMlp("mlp", "CLIPMLP", "Ev", "Fv", true));
    layer->add(layerNorm("layer_norm2", "Ev"));
    auto encoder = vm->add(container("encoder", "CLIPEncoder"));
    encoder->add(moduleList("layers"))->add(repeated(std::move(layer), "Lv"));
    vm->add(layerNorm("post_layernorm", "Ev"));
    return tower;
}

Result<std::unique_ptr<Module>> pixtralVision(Design& d, HfConfig& vision)
{
    const Field fields[] = {
        { "Ev", "hidden_size", 1024, "vision width" },
        { "Hv", "num_attention_heads", 16, "vision attention heads" },
        { "Lv", "num_hidden_layers", 24, "vision layers" },
        { "Fv", "intermediate_size", 4096, "vision MLP width" },
        { "Cv", "num_channels", 3, "image channels" },
        { "Pv", "patch_size", 16, "patch size (pixels)" },
    };
    HfReader r(vision, d);
    declare(r, fields);
    if (r.error())
        return *r.error();
    r.builder().check("Ev/Hv", vision.name("num_attention_heads") + " must divide " + vision.name("hidden_size"));

    auto tower = container("vision_tower", "PixtralVisionModel");
    tower->role = "vision";
    tower->add(leaf(ModuleKind::Conv2d, "patch_conv", { "Cv", "Ev", "Pv" }, false));
    tower->add(rmsNorm("ln_pre", "PixtralRMSNorm", "Ev"));
    auto layer = container("", "PixtralAttentionLayer");
    layer->add(rmsNorm("attention_norm", "PixtralRMSNorm", "Ev"));
    layer->add(gatedMlp("feed_forward", "PixtralMLP", "Ev", "Fv", false));
    auto attn = layer->add(container("attention", "PixtralAttention"));
    attn->role = "attention";
    for (const char* n : { "k_proj", "v_proj", "q_proj", "o_proj" })
        attn->add(linear(n, "Ev", "Ev", false));
    layer->add(rmsNorm("ffn_norm", "PixtralRMSNorm", "Ev"));
    tower->add(container("transformer", "PixtralTransformer"))
        ->add(moduleList("layers"))
        ->add(repeated(std::move(layer), "Lv"));
    return tower;
}

Result<std::unique_ptr<Module>> qwenVision(Design& d, HfConfig& vision, const QwenVisionSpec& spec)
{
    const bool qwen3 = spec.generation == QwenVisionSpec::Qwen3;
    const Field fields[] = {
        { "Ev", "hidden_size", spec.hidden, "vision width" },
        { "Hv", "num_heads", spec.heads, "vision attention heads" },
        { "Lv", "depth", spec.depth, "vision blocks" },
        { "Fv", "intermediate_size", spec.intermediate, "vision MLP width" },
        { "Cv", "in_channels", 3, "image channels" },
        { "Pv", "patch_size", spec.patch, "patch size (pixels)" },
        { "Tv", "temporal_patch_size", 2, "frames per patch" },
        { "Mv", "spatial_merge_size", 2, "patches merged per side" },
        { "Ov", "out_hidden_size", spec.out, "merger output width (the text width)" },
    };
    HfReader r(vision, d);
    declare(r, fields);
    if (qwen3)
        r.symbol("Nv", "num_position_embeddings", spec.positions, "learned vision positions");
    // One deepstack merger per listed block; the list's length, not its values, shapes the tower.
    Count deepstack = 0;
    if (spec.deepstack) {
        if (vision.hasValue("deepstack_visual_indexes")) {
            deepstack = static_cast<Count>(r.integers("deepstack_visual_indexes").size());
        } else {
            vision.assume("deepstack_visual_indexes", "[8, 16, 24]");
            deepstack = 3;
        }
    }
    if (r.error())
        return *r.error();
    r.builder().check("Ev/Hv", vision.name("num_heads") + " must divide " + vision.name("hidden_size"));

    const std::string& p = spec.prefix;
    auto tower = container("visual", qwen3 ? p + "VisionModel" : "Qwen2_5_VisionTransformerPretrainedModel");
    tower->role = "vision";
    auto embed = tower->add(container("patch_embed", qwen3 ? p + "VisionPatchEmbed" : "Qwen2_5_VisionPatchEmbed"));
    embed->add(conv3d("proj", "Cv", "Ev", "Tv", "Pv", qwen3));
    if (qwen3)
        tower->add(leaf(ModuleKind::Embedding, "pos_embed", { "Nv", "Ev" })); // interpolated over the grid

    auto block = container("", p + "VisionBlock");
    if (qwen3) {
        block->add(layerNorm("norm1", "Ev"));
        block->add(layerNorm("norm2", "Ev"));
    } else {
        block->add(rmsNorm("norm1", "Qwen2RMSNorm", "Ev"));
        block->add(rmsNorm("norm2", "Qwen2RMSNorm", "Ev"));
    }
    auto attn = block->add(container("attn", p + "VisionAttention"));
    attn->role = "attention";
    attn->add(linear("qkv", "Ev", "3*Ev", true));
    attn->add(linear("proj", "Ev", "Ev", true));
    if (qwen3)
        block->add(plainMlp("mlp", p + "VisionMLP", "Ev", "Fv", true, "linear_fc1", "linear_fc2"));
    else
        block->add(gatedMlp("mlp", "Qwen2_5_VLMLP", "Ev", "Fv", true));
    tower->add(moduleList("blocks"))->add(repeated(std::move(block), "Lv"));

    // The merger concatenates Mv² neighbouring patches (Ev·Mv² wide) and projects them to Ov.
    const std::string merged = "Ev*Mv^2";
    auto merger = [&](std::string name, bool postShuffleNorm) {
        auto m = container(std::move(name), qwen3 ? p + "VisionPatchMerger" : "Qwen2_5_VLPatchMerger");
        m->role = "projector";
        if (!qwen3) {
            m->add(rmsNorm("ln_q", "Qwen2RMSNorm", "Ev"));
            auto mlp = m->add(container("mlp", "Sequential"));
            mlp->add(linear("0", merged, merged, true));
            mlp->add(linear("2", merged, "Ov", true)); // 1 is the GELU
            return m;
        }
        m->add(layerNorm("norm", postShuffleNorm ? merged : "Ev"));
        m->add(linear("linear_fc1", merged, merged, true));
        m->add(linear("linear_fc2", merged, "Ov", true));
        return m;
    };
    tower->add(merger("merger", false));
    if (deepstack > 0) {
        // Deepstack features of intermediate blocks are merged apart and added to the first text layers.
        tower->add(moduleList("deepstack_merger_list"))->add(repeated(merger("", true), std::to_string(deepstack)));
    }
    return tower;
}

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
#pragma once

// Vision towers shared by the multimodal families (core/hf/*.cpp), written once: SigLIP (Gemma 3),
// CLIP (LLaVA), the Qwen ViTs (Qwen2.5-VL, Qwen3-VL, Qwen3.5) and Pixtral (Mistral 3). Each reads
// its vision_config with the config class's defaults and declares its symbols with a "v" (Ev, Lv,
// Fv …), whose fields are "vision_config.hidden_size" …, so they never clash with the text model's.

#include "config.h"

namespace paramscope::core::hf {

/// SiglipVisionModel named "vision_tower" (SiglipVisionConfig defaults); the pooling head unless
/// vision_use_head is false.
Result<std::unique_ptr<Module>> siglipVision(Design& d, HfConfig& vision);

/// CLIPVisionModel named "vision_tower" (CLIPVisionConfig defaults).
Result<std::unique_ptr<Module>> clipVision(Design& d, HfConfig& vision);

/// PixtralVisionModel named "vision_tower" (PixtralVisionConfig defaults): a patch convolution,
/// RMSNorm blocks of bias-free attention and gated MLP, rotary positions (no parameters).
Result<std::unique_ptr<Module>> pixtralVision(Design& d, HfConfig& vision);

/// The Qwen vision transformers: a Conv3d patch embedding over temporal_patch_size frames, blocks of
/// fused-qkv attention, and a merger of spatial_merge_size² patches into out_hidden_size.
struct QwenVisionSpec {
    enum Generation { Qwen25, Qwen3 } generation = Qwen25;
    std::string prefix; ///< class-name prefix: "Qwen2_5_VL", "Qwen3VL", "Qwen3VLMoe", "Qwen3_5"
    /// Class defaults of the vision config.
    Count depth = 32, hidden = 3584, intermediate = 3420, heads = 16, patch = 14, out = 3584;
    Count positions = 2304; ///< Qwen3: num_position_embeddings
    bool deepstack = false; ///< Qwen3-VL: deepstack mergers, one per deepstack_visual_indexes entry
};
/// The tower named "visual": Qwen2.5 (RMSNorm blocks with a gated MLP, Conv3d without bias, ln_q
/// merger) or Qwen3 (LayerNorm blocks with a plain MLP, biased Conv3d, learned position table,
/// deepstack mergers).
Result<std::unique_ptr<Module>> qwenVision(Design& d, HfConfig& vision, const QwenVisionSpec& spec);

} // namespace paramscope::core::hf

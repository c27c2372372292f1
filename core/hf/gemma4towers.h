// SPDX-License-Identifier: MIT
#pragma once

// Gemma 4's own encoders, which no other family shares: the vision tower (a linear patch embedding
// with a learned 2-D position table, Gemma-style encoder layers) and the audio tower of E2B/E4B (a
// convolutional subsampler and Conformer layers). Symbols end in "v" / "a" (Ev, La …), fields are
// "vision_config.…" / "audio_config.…", so they never clash with the text model's.

#include "config.h"

namespace paramscope::core::hf {

/// Gemma4VisionModel named "vision_tower" (Gemma4VisionConfig defaults).
Result<std::unique_ptr<Module>> gemma4Vision(Design& d, HfConfig& vision);

/// Gemma4AudioModel named "audio_tower" (Gemma4AudioConfig defaults); its output width is Oa.
Result<std::unique_ptr<Module>> gemma4Audio(Design& d, HfConfig& audio);

/// Whether @p tower's config asks for Gemma4ClippableLinear clip bounds (four scalar buffers per
/// linear layer, stored in the checkpoint but no parameters): @p fallback when the field is absent.
Result<bool> clipsLinears(HfConfig& tower, bool fallback);

} // namespace paramscope::core::hf

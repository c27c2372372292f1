// SPDX-License-Identifier: MIT
#pragma once

// One builder per Hugging Face family (core/hf/<family>.cpp). Each gets the config, its
// model_type and the class to count (already checked against the family's list in import.cpp),
// and returns a design whose tree mirrors print(model) of that class with checkpoint names.
// The dispatcher adds the assumed defaults to the notes and compiles the design.

#include "config.h"

namespace paramscope::core::hf {

using Builder = Result<Design> (*)(HfConfig& config, const std::string& modelType, const std::string& className);

Result<Design> buildGpt2(HfConfig&, const std::string&, const std::string&);
Result<Design> buildLlama(
    HfConfig&, const std::string&, const std::string&); // llama mistral mixtral qwen2 qwen3 qwen3_moe
Result<Design> buildGemma(HfConfig&, const std::string&, const std::string&); // gemma gemma2 gemma3_text gemma3
Result<Design> buildPhi(HfConfig&, const std::string&, const std::string&); // phi phi3
Result<Design> buildGptNeox(HfConfig&, const std::string&, const std::string&);
Result<Design> buildOpt(HfConfig&, const std::string&, const std::string&);
Result<Design> buildOlmo2(HfConfig&, const std::string&, const std::string&); // olmo2 olmo3
Result<Design> buildBert(HfConfig&, const std::string&, const std::string&);
Result<Design> buildDeepseek(HfConfig&, const std::string&, const std::string&); // deepseek_v2 deepseek_v3 kimi_k2
Result<Design> buildGptOss(HfConfig&, const std::string&, const std::string&);
Result<Design> buildGemma4(HfConfig&, const std::string&, const std::string&); // gemma4 gemma4_text
Result<Design> buildGlm4Moe(HfConfig&, const std::string&, const std::string&);
Result<Design> buildLlama4(HfConfig&, const std::string&, const std::string&); // llama4 llama4_text
Result<Design> buildLlava(HfConfig&, const std::string&, const std::string&); // llava mistral3
Result<Design> buildQwen35(HfConfig&, const std::string&, const std::string&); // qwen3_next qwen3_5 qwen3_5_moe
Result<Design> buildQwenVl(HfConfig&, const std::string&, const std::string&); // qwen2_5_vl qwen3_vl qwen3_vl_moe
Result<Design> buildStarcoder2(HfConfig&, const std::string&, const std::string&);
Result<Design> buildQwen2Moe(HfConfig&, const std::string&, const std::string&);
Result<Design> buildOlmoe(HfConfig&, const std::string&, const std::string&);
Result<Design> buildGranite(HfConfig&, const std::string&, const std::string&); // granite granitemoe
Result<Design> buildPhimoe(HfConfig&, const std::string&, const std::string&);
Result<Design> buildCohere(HfConfig&, const std::string&, const std::string&); // cohere cohere2
Result<Design> buildFalcon(HfConfig&, const std::string&, const std::string&); // falcon RefinedWebModel RefinedWeb
Result<Design> buildMamba(HfConfig&, const std::string&, const std::string&); // mamba mamba2
Result<Design> buildT5(HfConfig&, const std::string&, const std::string&); // t5 mt5 umt5
Result<Design> buildBart(HfConfig&, const std::string&, const std::string&); // bart mbart

} // namespace paramscope::core::hf

// SPDX-License-Identifier: MIT
#include "import.h"

#include "families.h"

#include <array>

namespace paramscope::core {

namespace {

struct Family {
    std::string_view modelType;
    hf::Builder build;
    std::vector<std::string_view> classes; ///< the first is the default
};

const std::vector<Family>& families()
{
    static const std::vector<Family> all {
        { "gpt2", hf::buildGpt2, { "GPT2LMHeadModel", "GPT2Model" } },
        { "llama", hf::buildLlama, { "LlamaForCausalLM", "LlamaModel" } },
        { "mistral", hf::buildLlama, { "MistralForCausalLM", "MistralModel" } },
        { "mixtral", hf::buildLlama, { "MixtralForCausalLM", "MixtralModel" } },
        { "qwen2", hf::buildLlama, { "Qwen2ForCausalLM", "Qwen2Model" } },
        { "qwen3", hf::buildLlama, { "Qwen3ForCausalLM", "Qwen3Model" } },
        { "qwen3_moe", hf::buildLlama, { "Qwen3MoeForCausalLM", "Qwen3MoeModel" } },
        { "gemma", hf::buildGemma, { "GemmaForCausalLM", "GemmaModel" } },
        { "gemma2", hf::buildGemma, { "Gemma2ForCausalLM", "Gemma2Model" } },
        { "gemma3_text", hf::buildGemma, { "Gemma3ForCausalLM", "Gemma3TextModel" } },
        { "gemma3", hf::buildGemma, { "Gemma3ForConditionalGeneration", "Gemma3Model" } },
        { "gemma4_text", hf::buildGemma4, { "Gemma4ForCausalLM", "Gemma4TextModel" } },
        { "gemma4", hf::buildGemma4, { "Gemma4ForConditionalGeneration", "Gemma4Model" } },
        { "phi", hf::buildPhi, { "PhiForCausalLM", "PhiModel" } },
        { "phi3", hf::buildPhi, { "Phi3ForCausalLM", "Phi3Model" } },
        { "gpt_neox", hf::buildGptNeox, { "GPTNeoXForCausalLM", "GPTNeoXModel" } },
        { "opt", hf::buildOpt, { "OPTForCausalLM", "OPTModel" } },
        { "olmo2", hf::buildOlmo2, { "Olmo2ForCausalLM", "Olmo2Model" } },
        { "olmo3", hf::buildOlmo2, { "Olmo3ForCausalLM", "Olmo3Model" } },
        { "bert", hf::buildBert, { "BertForMaskedLM", "BertModel" } },
        { "deepseek_v2", hf::buildDeepseek, { "DeepseekV2ForCausalLM", "DeepseekV2Model" } },
        { "deepseek_v3", hf::buildDeepseek, { "DeepseekV3ForCausalLM", "DeepseekV3Model" } },
        { "kimi_k2", hf::buildDeepseek, { "DeepseekV3ForCausalLM", "DeepseekV3Model" } },
        { "glm4_moe", hf::buildGlm4Moe, { "Glm4MoeForCausalLM", "Glm4MoeModel" } },
        { "qwen3_next", hf::buildQwen35, { "Qwen3NextForCausalLM", "Qwen3NextModel" } },
        { "qwen3_5", hf::buildQwen35, { "Qwen3_5ForConditionalGeneration", "Qwen3_5Model" } },
        { "qwen3_5_moe", hf::buildQwen35, { "Qwen3_5MoeForConditionalGeneration", "Qwen3_5MoeModel" } },
        { "gpt_oss", hf::buildGptOss, { "GptOssForCausalLM", "GptOssModel" } },
        { "llama4", hf::buildLlama4, { "Llama4ForConditionalGeneration" } },
        { "llama4_text", hf::buildLlama4, { "Llama4ForCausalLM", "Llama4TextModel" } },
        { "llava", hf::buildLlava, { "LlavaForConditionalGeneration", "LlavaModel" } },
        { "mistral3", hf::buildLlava, { "Mistral3ForConditionalGeneration", "Mistral3Model" } },
        { "qwen2_5_vl", hf::buildQwenVl, { "Qwen2_5_VLForConditionalGeneration", "Qwen2_5_VLModel" } },
        { "qwen3_vl", hf::buildQwenVl, { "Qwen3VLForConditionalGeneration", "Qwen3VLModel" } },
        { "qwen3_vl_moe", hf::buildQwenVl, { "Qwen3VLMoeForConditionalGeneration", "Qwen3VLMoeModel" } },
    };
    return all;
}

std::string supportedTypes()
{
    std::string s;
    for (const auto& f : families())
        s += (s.empty() ? "" : ", ") + std::string(f.modelType);
    return s;
}

} // namespace

bool isHfConfig(const nlohmann::json& j)
{
    return j.is_object() && (j.contains("model_type") || j.contains("architectures") || j.contains("n_embd"));
}

Result<Design> importHfConfig(const nlohmann::json& json, const std::string& requestedClass)
{
    HfConfig config(json);
    auto modelType = config.string("model_type", "");
    if (!modelType)
        return modelType.error();
    // The original GPT-2 files (2019) have neither model_type nor architectures.
    if (modelType->empty() && json.contains("n_embd") && json.contains("n_layer") && json.contains("n_head"))
        *modelType = "gpt2";
    if (modelType->empty())
        return Error { "model_type",
            "missing, and the fields do not say which family this is (supported: " + supportedTypes() + ")" };
    const Family* family = nullptr;
    for (const auto& f : families())
        if (f.modelType == *modelType)
            family = &f;
    if (!family)
        return Error { "model_type", "'" + *modelType + "' is not supported (supported: " + supportedTypes() + ")" };

    std::string className = requestedClass;
    if (className.empty() && json.contains("architectures") && json["architectures"].is_array()
        && !json["architectures"].empty() && json["architectures"][0].is_string())
        className = json["architectures"][0].get<std::string>();
    if (className.empty())
        className = std::string(family->classes.front());
    bool known = false;
    std::string list;
    for (auto c : family->classes) {
        known = known || c == className;
        list += (list.empty() ? "" : ", ") + std::string(c);
    }
    if (!known)
        return Error { requestedClass.empty() ? "architectures" : "--class",
            "class '" + className + "' is not supported for " + *modelType + " (supported: " + list + ")" };

    auto design = family->build(config, *modelType, className);
    if (!design)
        return design.error();
    design->className = className;
    if (!config.assumed().empty()) {
        std::string defaults;
        for (const auto& a : config.assumed())
            defaults += (defaults.empty() ? "" : ", ") + a;
        design->notes.push_back("defaults assumed (absent from config.json): " + defaults);
    }
    if (auto st = design->compile(); !st)
        return st.error();
    return design;
}

} // namespace paramscope::core

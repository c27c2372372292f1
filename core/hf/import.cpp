// SPDX-License-Identifier: MIT
#include "import.h"

#include "families.h"

#include <algorithm>
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
        // Issue 15: beyond decoder-only transformers, and block variants.
        { "starcoder2", hf::buildStarcoder2, { "Starcoder2ForCausalLM", "Starcoder2Model" } },
        { "qwen2_moe", hf::buildQwen2Moe, { "Qwen2MoeForCausalLM", "Qwen2MoeModel" } },
        { "olmoe", hf::buildOlmoe, { "OlmoeForCausalLM", "OlmoeModel" } },
        { "granite", hf::buildGranite, { "GraniteForCausalLM", "GraniteModel" } },
        { "granitemoe", hf::buildGranite, { "GraniteMoeForCausalLM", "GraniteMoeModel" } },
        { "phimoe", hf::buildPhimoe, { "PhimoeForCausalLM", "PhimoeModel", "PhiMoEForCausalLM" } },
        { "cohere", hf::buildCohere, { "CohereForCausalLM", "CohereModel" } },
        { "cohere2", hf::buildCohere, { "Cohere2ForCausalLM", "Cohere2Model" } },
        { "falcon", hf::buildFalcon, { "FalconForCausalLM", "FalconModel" } },
        { "RefinedWebModel", hf::buildFalcon, { "RWForCausalLM", "RWModel", "FalconForCausalLM", "FalconModel" } },
        { "RefinedWeb", hf::buildFalcon, { "RWForCausalLM", "RWModel", "FalconForCausalLM", "FalconModel" } },
        { "mamba", hf::buildMamba, { "MambaForCausalLM", "MambaModel" } },
        { "mamba2", hf::buildMamba, { "Mamba2ForCausalLM", "Mamba2Model" } },
        { "t5", hf::buildT5, { "T5ForConditionalGeneration", "T5Model", "T5EncoderModel" } },
        { "mt5", hf::buildT5, { "MT5ForConditionalGeneration", "MT5Model", "MT5EncoderModel" } },
        { "umt5", hf::buildT5, { "UMT5ForConditionalGeneration", "UMT5Model", "UMT5EncoderModel" } },
        { "bart", hf::buildBart, { "BartForConditionalGeneration", "BartModel" } },
        { "mbart", hf::buildBart, { "MBartForConditionalGeneration", "MBartModel" } },
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

const Family* findFamily(const std::string& modelType)
{
    for (const auto& f : families())
        if (f.modelType == modelType)
            return &f;
    return nullptr;
}

/// The class of @p family that stands for @p className of another family under --as: the same
/// head (…ForCausalLM, …ForConditionalGeneration, …EncoderModel, …Model), else the default.
std::string_view counterpart(const Family& family, const std::string& className)
{
    for (std::string_view suffix : { "ForCausalLM", "ForConditionalGeneration", "EncoderModel", "Model" })
        if (className.ends_with(suffix))
            for (auto c : family.classes)
                if (c.ends_with(suffix) && (suffix != "Model" || !c.ends_with("EncoderModel")))
                    return c;
    return family.classes.front();
}

} // namespace

bool isHfConfig(const nlohmann::json& j)
{
    return j.is_object() && (j.contains("model_type") || j.contains("architectures") || j.contains("n_embd"));
}

Result<Design> importHfConfig(
    const nlohmann::json& json, const std::string& requestedClass, const std::string& asFamily)
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
    const Family* family = findFamily(*modelType);
    // --as: an unknown model_type counted with a known family's builder.
    const Family* as = asFamily.empty() ? nullptr : findFamily(asFamily);
    if (!asFamily.empty() && !as)
        return Error { "--as",
            "'" + asFamily + "' is not a supported model_type (supported: " + supportedTypes() + ")" };
    if (as && family && family != as)
        return Error { "--as",
            "model_type '" + *modelType + "' is supported itself; --as counts an unknown model_type as a known one" };
    if (as && !family)
        family = as;
    else
        as = nullptr; // the config's own family: nothing to say
    if (!family)
        return Error { "model_type",
            "'" + *modelType + "' is not supported (supported: " + supportedTypes()
                + "); --as FAMILY counts it with a supported family's layout" };

    std::string className = requestedClass;
    if (className.empty() && json.contains("architectures") && json["architectures"].is_array()
        && !json["architectures"].empty() && json["architectures"][0].is_string())
        className = json["architectures"][0].get<std::string>();
    std::string originalClass; // under --as, the config's class before it stands for the family's
    if (as && requestedClass.empty() && !className.empty()
        && std::find(family->classes.begin(), family->classes.end(), className) == family->classes.end()) {
        originalClass = className;
        className = std::string(counterpart(*family, className));
    }
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
            "class '" + className + "' is not supported for " + std::string(family->modelType) + " (supported: " + list
                + ")" };
    const std::string builtType = as ? std::string(as->modelType) : *modelType;

    auto design = family->build(config, builtType, className);
    if (!design)
        return design.error();
    design->className = className;
    if (as) {
        const std::string counted = "model_type '" + *modelType + "' counted as " + builtType + " (--as " + builtType
            + ")" + (originalClass.empty() ? "" : ", its class " + originalClass + " as " + className)
            + ": the layout is assumed to be " + builtType + "'s, fields read with its defaults";
        design->notes.insert(design->notes.begin(), counted);
        design->source += "; " + counted;
    }
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

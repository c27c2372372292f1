// SPDX-License-Identifier: MIT
// LLaVA and Mistral 3: a vision tower (CLIP, SigLIP or Pixtral, vision.cpp), a projector into the
// text width, and the text model that AutoModel builds from text_config (Llama, Mistral, Qwen2 …,
// built by the text family's own importer and grafted in as "language_model").
#include "blocks.h"
#include "families.h"
#include "reader.h"
#include "vision.h"

#include <map>

namespace paramscope::core::hf {

namespace {

/// The decoder families a text_config may name, with their class-name prefixes.
const std::map<std::string, std::string>& textFamilies()
{
    static const std::map<std::string, std::string> all { { "llama", "Llama" }, { "mistral", "Mistral" },
        { "mixtral", "Mixtral" }, { "qwen2", "Qwen2" }, { "qwen3", "Qwen3" }, { "qwen3_moe", "Qwen3Moe" } };
    return all;
}

/// Builds the bare text model of @p text (its <Prefix>Model) with that family's importer and moves
/// its symbols, checks and notes into @p d; returns the model named "language_model".
Result<std::unique_ptr<Module>> textModel(Design& d, HfConfig& text, const std::string& defaultType)
{
    auto type = text.string("model_type", defaultType);
    if (!type)
        return type.error();
    const auto family = textFamilies().find(*type);
    if (family == textFamilies().end()) {
        std::string known;
        for (const auto& [t, p] : textFamilies())
            known += (known.empty() ? "" : ", ") + t;
        return Error { text.name("model_type"), "'" + *type + "' is not supported as the text model (" + known + ")" };
    }
    auto built = buildLlama(text, *type, family->second + "Model");
    if (!built)
        return built.error();
    for (auto& s : built->symbols)
        d.symbols.push_back(std::move(s));
    for (auto& c : built->checks)
        d.checks.push_back(std::move(c));
    for (auto& n : built->notes)
        d.notes.push_back(std::move(n));
    built->root->name = "language_model";
    return std::move(built->root);
}

} // namespace

Result<Design> buildLlava(HfConfig& config, const std::string& modelType, const std::string& className)
{
    const bool mistral3 = modelType == "mistral3";
    const std::string p = mistral3 ? "Mistral3" : "Llava";
    Design d;
    describe(d, config, modelType, className);
    // Absent nested configs are the config class's own default objects: LlamaConfig() and a CLIP
    // ViT-L/14 at 336 pixels for LLaVA, Mistral Small 3.1's text model and Pixtral for Mistral 3.
    const nlohmann::json textDefault = mistral3 ? nlohmann::json { { "model_type", "mistral" }, { "head_dim", 128 },
        { "hidden_size", 5120 }, { "intermediate_size", 32768 }, { "max_position_embeddings", 131072 },
        { "num_attention_heads", 32 }, { "num_hidden_layers", 40 }, { "num_key_value_heads", 8 },
        { "sliding_window", nullptr }, { "vocab_size", 131072 } }
                                                : nlohmann::json { { "model_type", "llama" } };
    const nlohmann::json visionDefault = mistral3
        ? nlohmann::json { { "model_type", "pixtral" }, { "intermediate_size", 4096 }, { "hidden_size", 1024 },
              { "patch_size", 14 }, { "image_size", 1540 }, { "num_hidden_layers", 24 }, { "num_attention_heads", 16 } }
        : nlohmann::json { { "model_type", "clip_vision_model" }, { "intermediate_size", 4096 },
              { "hidden_size", 1024 }, { "patch_size", 14 }, { "image_size", 336 }, { "num_hidden_layers", 24 },
              { "num_attention_heads", 16 } };
    auto text = config.sub("text_config", textDefault,
        mistral3 ? "Mistral3Config's default (Mistral Small 3.1's text model)"
                 : "LlavaConfig's default (LlamaConfig())");
    if (!text)
        return text.error();
    auto vision = config.sub("vision_config", visionDefault,
        mistral3 ? "Mistral3Config's default (Pixtral, 24 layers of 1024)"
                 : "LlavaConfig's default (CLIP ViT-L/14 at 336 pixels)");
    if (!vision)
        return vision.error();

    // Text symbols first (they matter most).
    auto language = textModel(d, *text, mistral3 ? "mistral" : "llama");
    if (!language)
        return language.error();

    // AutoModel builds the tower vision_config names (LlavaConfig: clip_vision_model by default,
    // Mistral3Config: pixtral).
    auto visionType = vision->string("model_type", mistral3 ? "pixtral" : "clip_vision_model");
    if (!visionType)
        return visionType.error();
    Result<std::unique_ptr<Module>> tower = Error { vision->name("model_type"),
        "'" + *visionType
            + "' is not supported as the vision tower (clip_vision_model, siglip_vision_model, pixtral)" };
    if (*visionType == "clip_vision_model")
        tower = clipVision(d, *vision);
    else if (*visionType == "siglip_vision_model")
        tower = siglipVision(d, *vision);
    else if (*visionType == "pixtral")
        tower = pixtralVision(d, *vision);
    if (!tower)
        return tower.error();

    HfReader r(config, d);
    const bool projectorBias = r.flag("multimodal_projector_bias", !mistral3);
    if (mistral3)
        r.symbol("Mv", "spatial_merge_size", 2, "patches merged per side");
    // vision_feature_layer: one layer (an integer), or a list whose features are concatenated.
    Count featureLayers = 1;
    if (config.hasValue("vision_feature_layer") && config.json()["vision_feature_layer"].is_array())
        featureLayers = static_cast<Count>(r.integers("vision_feature_layer").size());
    if (r.error())
        return *r.error();
    if (featureLayers < 1)
        return Error { config.name("vision_feature_layer"), "is an empty list (the projector needs a layer)" };

    const bool generation = className.ends_with("ForConditionalGeneration");
    Module* model = baseModel(d, className, generation, "model", p + "Model");
    model->add(std::move(*tower));
    auto projector = model->add(container("multi_modal_projector", p + "MultiModalProjector"));
    projector->role = "projector";
    const std::string in = featureLayers == 1 ? "Ev" : std::to_string(featureLayers) + "*Ev";
    if (mistral3) {
        projector->add(rmsNorm("norm", "Mistral3RMSNorm", "Ev"));
        // Mv² neighbouring patches concatenated and merged back to one patch's width.
        projector->add(container("patch_merger", "Mistral3PatchMerger"))
            ->add(linear("merging_layer", "Ev*Mv^2", "Ev", false));
    }
    projector->add(linear("linear_1", in, "E", projectorBias));
    projector->add(linear("linear_2", "E", "E", projectorBias));
    model->add(std::move(*language));

    if (generation) {
        // The head is tied as the text config says (its class default: false for these decoders);
        // LlavaConfig also carries the top-level value over when only it is given.
        auto tied = text->hasValue("tie_word_embeddings") || !config.hasValue("tie_word_embeddings")
            ? text->boolean("tie_word_embeddings", false)
            : config.boolean("tie_word_embeddings", false);
        if (!tied)
            return tied.error();
        addLmHead(d, *d.root, *tied, "model.language_model.embed_tokens");
    }
    d.notes.push_back("checkpoints written before transformers v4.52 name the modules language_model.model.*, "
                      "vision_tower.*, multi_modal_projector.* and language_model.lm_head; the count is the same");
    return d;
}

} // namespace paramscope::core::hf

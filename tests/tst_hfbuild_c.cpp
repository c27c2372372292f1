// SPDX-License-Identifier: MIT
// The Hugging Face importers of issue 13 (qwen2_5_vl, qwen3_vl, qwen3_vl_moe, llava, mistral3,
// olmo3, glm4_moe, kimi_k2, qwen3_5, qwen3_next …): checkpoint paths and classes, vision towers,
// layer runs, bad input, and stacks of 2^31 layers. Totals against published numbers are in
// tst_hfimport (tests/data/hf-families); every other expected number here is derived by hand in the
// test.
#include "sizing.h"
#include "testutil.h"

#include <QtTest>

using namespace paramscope::core;
using namespace paramscope::test;

namespace {

const char* kQwen25Vl = "hf-families/Qwen__Qwen2.5-VL-3B-Instruct.json";
const char* kQwen3Vl = "hf-families/Qwen__Qwen3-VL-2B-Instruct.json";
const char* kQwen3VlMoe = "hf-families/Qwen__Qwen3-VL-30B-A3B-Instruct.json";
const char* kLlava = "hf-families/llava-hf__llava-1.5-7b-hf.json";
const char* kMistral3 = "hf-families/mistralai__Mistral-Small-3.2-24B-Instruct-2506.json";
const char* kOlmo3 = "hf-families/allenai__Olmo-3-1025-7B.json";
const char* kGlm = "hf-families/zai-org__GLM-4.5-Air.json";
const char* kKimi = "hf-families/moonshotai__Kimi-K2-Instruct.json";
const char* kQwen35 = "hf-families/Qwen__Qwen3.5-9B.json";
const char* kQwenNext = "hf-families/Qwen__Qwen3-Next-80B-A3B-Instruct.json";
const char* kQwen35Moe = "hf-families/Qwen__Qwen3.5-35B-A3B.json";
const char* kGemma4 = "hf-families/google__gemma-4-31B-it.json";
const char* kScout = "hf-families/meta-llama__Llama-4-Scout-17B-16E-Instruct.json";
const char* kMaverick = "hf-families/meta-llama__Llama-4-Maverick-17B-128E-Instruct.json";

nlohmann::json readConfig(const char* file)
{
    auto text = readFile(dataPath(file));
    if (!text)
        qFatal("%s", text.error().text().c_str());
    return nlohmann::json::parse(*text);
}

/// A small Qwen3-Next for hand derivations: E 16, H 4, K 2, D 4, F 32; linear attention with 2 key
/// heads and 4 value heads of 4, kernel 4; 4 experts (2 per token) of width 8, a shared expert of 8.
nlohmann::json smallNext(const nlohmann::json& extra)
{
    nlohmann::json j = { { "model_type", "qwen3_next" }, { "vocab_size", 100 }, { "hidden_size", 16 },
        { "num_attention_heads", 4 }, { "num_key_value_heads", 2 }, { "head_dim", 4 }, { "intermediate_size", 32 },
        { "linear_num_key_heads", 2 }, { "linear_num_value_heads", 4 }, { "linear_key_head_dim", 4 },
        { "linear_value_head_dim", 4 }, { "linear_conv_kernel_dim", 4 }, { "num_experts", 4 },
        { "num_experts_per_tok", 2 }, { "moe_intermediate_size", 8 }, { "shared_expert_intermediate_size", 8 },
        { "full_attention_interval", 4 }, { "tie_word_embeddings", false } };
    j.update(extra);
    return j;
}

/// A Qwen3NextDecoderLayer as one letter: its token mixer (l linear, F full) then its MLP (R routed,
/// d dense), so "lR" is a linear-attention layer with experts.
std::string nextLayer(const Module& m)
{
    std::string s(1, m.children[0]->name == "linear_attn" ? 'l' : 'F');
    s += m.children[1]->type == "Qwen3NextSparseMoeBlock" ? 'R' : 'd';
    return s;
}

/// hugeLayerCounts' bound on the tree's nodes: a layer's subtree per run, never per layer.
std::size_t maxNodes(const char* tag)
{
    return QByteArray(tag).endsWith("listed") ? 500 : 200;
}

} // namespace

class TestHfBuildC : public QObject {
    Q_OBJECT
private slots:
    void paths_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("className");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("type"); // empty: the path must not exist
        auto row = [](const char* tag, const char* config, const char* cls, const char* path, const char* type) {
            QTest::newRow(tag) << QString::fromLatin1(config) << QString::fromLatin1(cls) << QString::fromLatin1(path)
                               << QString::fromLatin1(type);
        };
        row("2.5 conv3d", kQwen25Vl, "", "model.visual.patch_embed.proj", "Conv3d");
        row("2.5 conv3d weight", kQwen25Vl, "", "model.visual.patch_embed.proj.weight", "Parameter");
        row("2.5 conv3d no bias", kQwen25Vl, "", "model.visual.patch_embed.proj.bias", "");
        row("2.5 block norm", kQwen25Vl, "", "model.visual.blocks.*.norm1", "Qwen2RMSNorm");
        row("2.5 qkv", kQwen25Vl, "", "model.visual.blocks.*.attn.qkv", "Linear");
        row("2.5 gated vision mlp", kQwen25Vl, "", "model.visual.blocks.*.mlp.gate_proj", "Linear");
        row("2.5 merger", kQwen25Vl, "", "model.visual.merger.mlp.2", "Linear");
        row("2.5 merger norm", kQwen25Vl, "", "model.visual.merger.ln_q", "Qwen2RMSNorm");
        row("2.5 no position table", kQwen25Vl, "", "model.visual.pos_embed", "");
        row("2.5 text", kQwen25Vl, "", "model.language_model", "Qwen2_5_VLTextModel");
        row("2.5 text attention", kQwen25Vl, "", "model.language_model.layers.*.self_attn", "Qwen2_5_VLAttention");
        row("2.5 head", kQwen25Vl, "", "lm_head", "Linear");
        row("2.5 bare", kQwen25Vl, "Qwen2_5_VLModel", "visual.blocks.*.attn.proj", "Linear");
        row("2.5 bare no head", kQwen25Vl, "Qwen2_5_VLModel", "lm_head", "");
        row("3 conv3d bias", kQwen3Vl, "", "model.visual.patch_embed.proj.bias", "Parameter");
        row("3 positions", kQwen3Vl, "", "model.visual.pos_embed", "Embedding");
        row("3 block norm", kQwen3Vl, "", "model.visual.blocks.*.norm1", "LayerNorm");
        row("3 vision mlp", kQwen3Vl, "", "model.visual.blocks.*.mlp.linear_fc1", "Linear");
        row("3 merger", kQwen3Vl, "", "model.visual.merger.linear_fc2", "Linear");
        row("3 deepstack", kQwen3Vl, "", "model.visual.deepstack_merger_list.*.norm", "LayerNorm");
        row("3 q_norm", kQwen3Vl, "", "model.language_model.layers.*.self_attn.q_norm", "Qwen3VLTextRMSNorm");
        row("3 text", kQwen3Vl, "", "model.language_model", "Qwen3VLTextModel");
        row("moe experts", kQwen3VlMoe, "", "model.language_model.layers.*.mlp.experts", "Qwen3VLMoeTextExperts");
        row("moe gate_up", kQwen3VlMoe, "", "model.language_model.layers.*.mlp.experts.gate_up_proj", "Parameter");
        row("moe router", kQwen3VlMoe, "", "model.language_model.layers.*.mlp.gate.weight", "Parameter");
        row("moe vision", kQwen3VlMoe, "", "model.visual", "Qwen3VLMoeVisionModel");
        row("llava clip", kLlava, "", "model.vision_tower.vision_model.embeddings.class_embedding", "Parameter");
        row("llava clip pre-norm", kLlava, "", "model.vision_tower.vision_model.pre_layrnorm", "LayerNorm");
        row("llava clip layer", kLlava, "", "model.vision_tower.vision_model.encoder.layers.*.self_attn.q_proj",
            "Linear");
        row("llava projector", kLlava, "", "model.multi_modal_projector.linear_1", "Linear");
        row("llava text", kLlava, "", "model.language_model", "LlamaModel");
        row("llava text layer", kLlava, "", "model.language_model.layers.*.self_attn.o_proj", "Linear");
        row("llava head", kLlava, "", "lm_head", "Linear");
        row("llava bare", kLlava, "LlavaModel", "language_model.norm", "LlamaRMSNorm");
        row("pixtral conv", kMistral3, "", "model.vision_tower.patch_conv", "Conv2d");
        row("pixtral layer", kMistral3, "", "model.vision_tower.transformer.layers.*.feed_forward.gate_proj", "Linear");
        row("pixtral norm", kMistral3, "", "model.vision_tower.transformer.layers.*.ffn_norm", "PixtralRMSNorm");
        row("mistral3 merger", kMistral3, "", "model.multi_modal_projector.patch_merger.merging_layer", "Linear");
        row("mistral3 text", kMistral3, "", "model.language_model", "MistralModel");
        row("olmo3 q_norm", kOlmo3, "", "model.layers.*.self_attn.q_norm", "Olmo3RMSNorm");
        row("olmo3 no input norm", kOlmo3, "", "model.layers.*.input_layernorm", "");
        row("glm attention", kGlm, "", "model.layers.*.self_attn", "Glm4MoeAttention");
        row("glm no qk norm", kGlm, "", "model.layers.*.self_attn.q_norm", "");
        row("glm router", kGlm, "", "model.layers.*.mlp.gate.weight", "Parameter");
        row("glm bias is a buffer", kGlm, "", "model.layers.*.mlp.gate.e_score_correction_bias", "");
        row("glm shared", kGlm, "", "model.layers.*.mlp.shared_experts", "Glm4MoeMLP");
        row("kimi mla", kKimi, "", "model.layers.*.self_attn.kv_a_proj_with_mqa", "Linear");
        row("3.5 delta net", kQwen35, "", "model.language_model.layers.*.linear_attn", "Qwen3_5GatedDeltaNet");
        row("3.5 split projections", kQwen35, "", "model.language_model.layers.*.linear_attn.in_proj_z", "Linear");
        row("3.5 conv", kQwen35, "", "model.language_model.layers.*.linear_attn.conv1d.weight", "Parameter");
        row("3.5 A_log", kQwen35, "", "model.language_model.layers.*.linear_attn.A_log", "Parameter");
        row("3.5 gated norm", kQwen35, "", "model.language_model.layers.*.linear_attn.norm", "Qwen3_5RMSNormGated");
        row("3.5 attention", kQwen35, "", "model.language_model.layers.*.self_attn.q_norm", "Qwen3_5RMSNorm");
        row("3.5 vision", kQwen35, "", "model.visual", "Qwen3_5VisionModel");
        row("3.5 no deepstack", kQwen35, "", "model.visual.deepstack_merger_list", "");
        row("next fused qkvz", kQwenNext, "", "model.layers.*.*.linear_attn.in_proj_qkvz", "Linear");
        row("next shared expert gate", kQwenNext, "", "model.layers.*.*.mlp.shared_expert_gate", "Linear");
        row("next experts", kQwenNext, "", "model.layers.*.*.mlp.experts.*.down_proj", "Linear");
        row("3.5 moe experts", kQwen35Moe, "", "model.language_model.layers.*.mlp.experts.gate_up_proj", "Parameter");
        row("3.5 moe router", kQwen35Moe, "", "model.language_model.layers.*.mlp.gate.weight", "Parameter");
        row("3.5 moe shared", kQwen35Moe, "", "model.language_model.layers.*.mlp.shared_expert", "Qwen3_5MoeMLP");
        row("gemma4 sliding v_proj", kGemma4, "", "model.language_model.layers.*.*.self_attn.v_proj", "Linear");
        row("gemma4 patch embedder", kGemma4, "", "model.vision_tower.patch_embedder.position_embedding_table",
            "Parameter");
        row("gemma4 clippable", kGemma4, "", "model.vision_tower.encoder.layers.*.self_attn.q_proj.linear", "Linear");
        row("gemma4 embed_vision", kGemma4, "", "model.embed_vision.embedding_projection", "Linear");
        row("gemma4 no audio", kGemma4, "", "model.audio_tower", "");
        row("llama4 text", kScout, "", "language_model.model.layers.*.feed_forward.experts.gate_up_proj", "Parameter");
        row("llama4 shared", kScout, "", "language_model.model.layers.*.feed_forward.shared_expert", "Llama4TextMLP");
        row("llama4 router", kScout, "", "language_model.model.layers.*.feed_forward.router", "Llama4Router");
        row("llama4 head", kScout, "", "language_model.lm_head", "Linear");
        row("llama4 vision", kScout, "", "vision_model.patch_embedding.linear", "Linear");
        row("llama4 adapter", kScout, "", "vision_model.vision_adapter.mlp.fc1", "Linear");
        row("llama4 projector", kScout, "", "multi_modal_projector.linear_1", "Linear");
        row("llama4 dense", kMaverick, "", "language_model.model.layers.*.*.feed_forward.down_proj", "Linear");
        row("kimi class", kKimi, "DeepseekV3Model", "layers.*.mlp.gate", "DeepseekV3TopkRouter");
    }
    void paths()
    {
        QFETCH(QString, config);
        QFETCH(QString, className);
        QFETCH(QString, path);
        QFETCH(QString, type);
        const Design d = load(dataPath(qPrintable(config)), className.toStdString());
        const Module* m = d.find(path.toStdString());
        if (type.isEmpty()) {
            QVERIFY2(!m, qPrintable(path));
            return;
        }
        QVERIFY2(m, qPrintable(path));
        QCOMPARE(QString::fromStdString(m->type), type);
    }

    void qwenVlParts()
    {
        // Qwen2.5-VL-3B's tower by hand (vision_config: 1280 wide, 32 blocks, MLP 3420, 14-pixel
        // patches over 2 frames, 2x2 merge into 2048): Conv3d 1280·3·2·14·14 = 1,505,280; a block
        // 2·1280 (norms) + 1280·3840 + 3840 + 1280·1280 + 1280 (attention) + 3·1280·3420 + 2·3420
        // + 1280 (gated MLP, biased) = 19,702,200; the merger 1280 + 5120·5120 + 5120 + 5120·2048
        // + 2048 = 36,708,608.
        const Counted c = counted(load(dataPath(kQwen25Vl)));
        QCOMPARE(at(c, "model.visual.patch_embed").count, Count(1505280));
        QCOMPARE(at(c, "model.visual.blocks.*").each, Count(19702200));
        QCOMPARE(at(c, "model.visual.merger").count, Count(36708608));
        QCOMPARE(at(c, "model.visual").count, Count(1505280) + 32 * Count(19702200) + Count(36708608));
        // The head is tied (top-level tie_word_embeddings true): the bare model counts the same.
        QCOMPARE(evaluated(load(dataPath(kQwen25Vl), "Qwen2_5_VLModel")).total, c.evaluation.total);
    }

    void qwen3VlDeepstack()
    {
        // Qwen3-VL-2B: three deepstack mergers, each LayerNorm(4096) + Linear(4096, 4096) +
        // Linear(4096, 2048) = 2·4096 + 4096·4096 + 4096 + 4096·2048 + 2048 = 25,180,160.
        const Count merger = 2 * 4096 + 4096 * 4096 + 4096 + 4096 * 2048 + 2048;
        QCOMPARE(merger, Count(25180160));
        const Counted c = counted(load(dataPath(kQwen3Vl)));
        QCOMPARE(at(c, "model.visual.deepstack_merger_list.*").each, merger);
        QCOMPARE(at(c, "model.visual.deepstack_merger_list").count, 3 * merger);
        // Two listed blocks make two mergers; none, no list at all.
        nlohmann::json j = readConfig(kQwen3Vl);
        j["vision_config"]["deepstack_visual_indexes"] = { 5, 11 };
        auto two = inlineConfig(j);
        QVERIFY2(two.ok(), two.ok() ? "" : two.error().text().c_str());
        QCOMPARE(evaluated(*two).total, c.evaluation.total - merger);
        j["vision_config"]["deepstack_visual_indexes"] = nlohmann::json::array();
        auto none = inlineConfig(j);
        QVERIFY(none.ok());
        QVERIFY(!none->find("model.visual.deepstack_merger_list"));
        QCOMPARE(evaluated(*none).total, c.evaluation.total - 3 * merger);
        // Absent: the class default [8, 16, 24], said among the defaults assumed.
        j["vision_config"].erase("deepstack_visual_indexes");
        auto absent = inlineConfig(j);
        QVERIFY(absent.ok());
        QCOMPARE(evaluated(*absent).total, c.evaluation.total);
        QVERIFY(hasNote(*absent, QStringLiteral("vision_config.deepstack_visual_indexes = [8, 16, 24]")));
    }

    void qwen3VlMoeActive()
    {
        // Qwen3-VL-30B-A3B: 8 of 128 experts per token; the others (120 · 3 · 2048 · 768 per layer,
        // 48 layers) are inactive. The head is untied: the bare model has V·E = 151936 · 2048 fewer.
        const Design d = load(dataPath(kQwen3VlMoe));
        const Evaluation e = evaluated(d);
        QCOMPARE(e.total - e.active, 48 * Count(120) * 3 * 2048 * 768);
        QCOMPARE(evaluated(load(dataPath(kQwen3VlMoe), "Qwen3VLMoeModel")).total, e.total - Count(151936) * 2048);
        // decoder_sparse_step 2: every second layer routed, the others dense MLPs of F = 6144; with
        // L = 48 that is 24 of each. Per layer the experts and router are 128·3·2048·768 + 128·2048
        // and a dense MLP 3·2048·6144.
        nlohmann::json j = readConfig(kQwen3VlMoe);
        j["text_config"]["decoder_sparse_step"] = 2;
        auto stepped = inlineConfig(j);
        QVERIFY2(stepped.ok(), stepped.ok() ? "" : stepped.error().text().c_str());
        const Count routed = Count(128) * 3 * 2048 * 768 + 128 * 2048, dense = Count(3) * 2048 * 6144;
        QCOMPARE(evaluated(*stepped).total, e.total - 24 * (routed - dense));
    }

    void llavaParts()
    {
        // LLaVA-1.5-7B's CLIP ViT-L/14 at 336 pixels by hand: class embedding 1024, patches
        // 3·1024·14·14 = 602,112 (no bias), positions (24² + 1)·1024 = 590,848, two LayerNorms
        // 2·2·1024, 24 layers of 4·(1024² + 1024) + 2·2·1024 + 1024·4096 + 4096 + 4096·1024 + 1024
        // = 12,596,224; projector 1024·4096 + 4096 + 4096² + 4096 = 20,979,712.
        const Counted c = counted(load(dataPath(kLlava)));
        QCOMPARE(at(c, "model.vision_tower").count, 1024 + 602112 + 590848 + 4 * 1024 + 24 * Count(12596224));
        QCOMPARE(at(c, "model.multi_modal_projector").count, Count(20979712));
        // Two feature layers concatenated double linear_1's input: 1024·4096 more.
        nlohmann::json j = readConfig(kLlava);
        j["vision_feature_layer"] = { -2, -5 };
        auto two = inlineConfig(j);
        QVERIFY2(two.ok(), two.ok() ? "" : two.error().text().c_str());
        QCOMPARE(evaluated(*two).total, c.evaluation.total + 1024 * 4096);
        // No vision_config: LlavaConfig's own default, the same CLIP tower as this file's.
        j = readConfig(kLlava);
        j.erase("vision_config");
        auto absent = inlineConfig(j);
        QVERIFY2(absent.ok(), absent.ok() ? "" : absent.error().text().c_str());
        QCOMPARE(evaluated(*absent).total, c.evaluation.total);
        QVERIFY(hasNote(*absent, QStringLiteral("vision_config = LlavaConfig's default")));
        // A SigLIP tower (as LLaVA-OneVision-style files give): SigLIP's symbols, its pooling head.
        j = readConfig(kLlava);
        j["vision_config"] = { { "model_type", "siglip_vision_model" }, { "hidden_size", 64 },
            { "intermediate_size", 128 }, { "num_hidden_layers", 2 }, { "num_attention_heads", 4 },
            { "image_size", 32 }, { "patch_size", 16 } };
        auto siglip = inlineConfig(j);
        QVERIFY2(siglip.ok(), siglip.ok() ? "" : siglip.error().text().c_str());
        QVERIFY(siglip->find("model.vision_tower.vision_model.head.probe"));
    }

    void mistral3Parts()
    {
        // Mistral Small 3.2's projector by hand: RMSNorm(1024), merging_layer 4·1024 → 1024,
        // linear_1 1024 → 5120, linear_2 5120 → 5120, no biases = 35,652,608.
        const Counted c = counted(load(dataPath(kMistral3)));
        QCOMPARE(
            at(c, "model.multi_modal_projector").count, Count(1024) + 4096 * 1024 + 1024 * 5120 + Count(5120) * 5120);
        QCOMPARE(at(c, "model.multi_modal_projector").count, Count(35652608));
        // spatial_merge_size is a hyperparameter: 3 merges 9 patches (9·1024·1024 in merging_layer).
        Design d = load(dataPath(kMistral3));
        QVERIFY(applySetting(d, "spatial_merge_size", 3).ok());
        QCOMPARE(evaluated(d).total, c.evaluation.total + 5 * 1024 * 1024);
    }

    void olmo3Windows()
    {
        // The released layer_types (three sliding layers, then a full one, eight times) as runs:
        // eight periods of two entries would merge nothing, so 16 alternating runs of 3 and 1.
        const Design d = load(dataPath(kOlmo3));
        const Module* layers = d.find("model.layers");
        QCOMPARE(layers->children.size(), std::size_t(16));
        QCOMPARE(layers->children[0]->repeat.text(), std::string("3"));
        QCOMPARE(layers->children[1]->repeat.text(), std::string("1"));
        QVERIFY(!layers->children[0]->children[0]->kv.window.isEmpty()); // sliding: holds 4096 tokens
        QVERIFY(layers->children[1]->children[0]->kv.window.isEmpty()); // full
        QVERIFY(!d.symbol("L")); // the list fixes the layer count
        // Without the list the class's rule (every fourth layer full) holds for any L: one run in L.
        nlohmann::json j = readConfig(kOlmo3);
        j.erase("layer_types");
        auto rule = inlineConfig(j);
        QVERIFY2(rule.ok(), rule.ok() ? "" : rule.error().text().c_str());
        QCOMPARE(rule->find("model.layers")->children.size(), std::size_t(1));
        QCOMPARE(rule->find("model.layers.*.self_attn")->kv.fullEvery.text(), std::string("4"));
        QCOMPARE(evaluated(*rule).total, evaluated(d).total);
        QVERIFY(rule->symbol("L"));
    }

    void glmLayers()
    {
        // GLM-4.5-Air: first_k_dense_replace 1 of 46 layers; --set it to 0 makes all 46 MoE. A MoE
        // layer minus a dense one: 128·3·4096·1408 + 128·4096 + 3·4096·1408 − 3·4096·10944.
        Design d = load(dataPath(kGlm));
        const Count total = evaluated(d).total;
        QCOMPARE(d.symbol("Ld")->field, std::string("first_k_dense_replace"));
        QVERIFY(applySetting(d, "first_k_dense_replace", 0).ok());
        const Count moeMinusDense
            = Count(128) * 3 * 4096 * 1408 + 128 * 4096 + Count(3) * 4096 * 1408 - Count(3) * 4096 * 10944;
        QCOMPARE(evaluated(d).total, total + moeMinusDense);
        // The MTP layer is said, not counted.
        QVERIFY(hasNote(load(dataPath(kGlm)), QStringLiteral("model.layers.46.*")));
        // use_qk_norm adds q_norm and k_norm of head_dim 128 to each of the 46 layers.
        nlohmann::json j = readConfig(kGlm);
        j["use_qk_norm"] = true;
        auto normed = inlineConfig(j);
        QVERIFY(normed.ok());
        QCOMPARE(evaluated(*normed).total, total + 46 * 2 * 128);
    }

    void kimiNotes()
    {
        const Design d = load(dataPath(kKimi));
        QCOMPARE(d.className, std::string("DeepseekV3ForCausalLM"));
        QVERIFY(hasNote(d, QStringLiteral("weight_scale_inv")));
        // Moonshot's "32B activated" leaves out the input embedding (163840·7168).
        const Evaluation e = evaluated(d);
        const Count published = e.active - Count(163840) * 7168;
        QVERIFY(published > Count(31500000000) && published < Count(32500000000));
    }

    void hybridLayers()
    {
        // Qwen3.5-9B: layer_types lists 3 linear-attention layers then a full one, eight times:
        // 16 runs, and L fixed by the list. By hand, a linear-attention layer's token mixer:
        // conv1d (2·16·128 + 32·128)·4, in_proj_qkv 4096·8192, in_proj_z 4096·4096, in_proj_b and
        // in_proj_a 2·4096·32, dt_bias and A_log 2·32, norm 128, out_proj 4096·4096 = 67,403,968;
        // a full-attention one: q_proj (with the gate) 4096·8192, k_proj and v_proj 2·4096·1024,
        // o_proj 4096·4096, q_norm and k_norm 2·256 = 58,720,768.
        const Counted c = counted(load(dataPath(kQwen35)));
        const Module* layers = c.design.find("model.language_model.layers");
        QCOMPARE(layers->children.size(), std::size_t(16));
        QCOMPARE(at(c, "model.language_model.layers.*.linear_attn").each, Count(67403968));
        QCOMPARE(at(c, "model.language_model.layers.*.self_attn").each, Count(58720768));
        QVERIFY(!c.design.symbol("L"));
        // Qwen3-Next gives no list: every fourth layer full, as periods in L (48 = 12 periods of 4).
        const Design next = load(dataPath(kQwenNext));
        const Module* stack = next.find("model.layers");
        QCOMPARE(stack->children.size(), std::size_t(1));
        QCOMPARE(stack->children[0]->repeat.text(), std::string("L/4"));
        QVERIFY(next.symbol("L"));
        // L = 50 leaves a remainder of 2 layers: refused with the reason (import again for that).
        Design set = next;
        auto st = applySetting(set, "num_hidden_layers", 50);
        QVERIFY(st.ok());
        auto e = evaluate(set);
        QVERIFY(!e.ok());
        QVERIFY2(e.error().text().find("full_attention_interval") != std::string::npos, e.error().text().c_str());
        // L = 52: 13 periods.
        QVERIFY(applySetting(set, "num_hidden_layers", 52).ok());
        const Count perPeriod = (evaluated(next).total - 2 * Count(151936) * 2048 - 2048) / 12;
        QCOMPARE(evaluated(set).total, evaluated(next).total + perPeriod);
    }

    void nextSparseStep()
    {
        // decoder_sparse_step 2 and mlp_only_layers [5] over 8 layers, every fourth layer full.
        // Qwen3NextDecoderLayer: layer l is full attention when (l + 1) % 4 == 0 (3, 7), and has the
        // sparse MoE block when l is not listed, num_experts > 0 and (l + 1) % 2 == 0 (1, 3, 7; 5
        // is listed), else Qwen3NextMLP(intermediate_size). The stack, in order:
        //   lD lR lD FR lD lD lD FR  →  runs 1, 1, 1, 1, 3 (layers 4-6), 1.
        // By hand, from modeling_qwen3_next.py:
        //   Gated DeltaNet: key_dim 2·4 = 8, value_dim 4·4 = 16; conv1d (2·8 + 16)·1·4 = 128 (no
        //   bias), in_proj_qkvz 16·(2·8 + 2·16) = 768, in_proj_ba 16·2·4 = 128, dt_bias and A_log
        //   4 + 4, norm (gated, over a value head) 4, out_proj 16·16 = 256: 1,292.
        //   Gated attention: q_proj 16·2·4·4 = 512, k_proj and v_proj 2·16·2·4 = 256, o_proj
        //   16·16 = 256, q_norm and k_norm 4 + 4: 1,032.
        //   Sparse MoE: router 4·16 = 64, experts 4·3·16·8 = 1,536, shared expert 3·16·8 = 384,
        //   shared_expert_gate 16: 2,000 (active: 64 + 2·384 + 384 + 16 = 1,232).
        //   Dense MLP: 3·16·32 = 1,536. Norms: input and post-attention 2·16 = 32.
        //   So lD 1,292 + 1,536 + 32 = 2,860; lR 1,292 + 2,000 + 32 = 3,324; FR 1,032 + 2,000 + 32
        //   = 3,064. Embedding and lm_head (untied) 2·100·16, final norm 16: 3,216.
        const Count lD = 2860, lR = 3324, FR = 3064, outer = 3216, moeInactive = 2000 - 1232;
        const nlohmann::json listed
            = smallNext({ { "num_hidden_layers", 8 }, { "decoder_sparse_step", 2 }, { "mlp_only_layers", { 5 } } });
        auto d = inlineConfig(listed);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        const Counted c = counted(std::move(*d));
        QCOMPARE(c.evaluation.total, outer + 5 * lD + lR + 2 * FR);
        QCOMPARE(c.evaluation.total, Count(26968));
        QCOMPARE(c.evaluation.active, c.evaluation.total - 3 * moeInactive);
        const Module* layers = c.design.find("model.layers");
        std::string repeats, kinds;
        for (const auto& run : layers->children) {
            repeats += run->repeat.text() + " ";
            kinds += nextLayer(*run) + " ";
        }
        QCOMPARE(repeats, std::string("1 1 1 1 3 1 "));
        QCOMPARE(kinds, std::string("ld lR ld FR ld FR "));
        QCOMPARE(layers->children[4]->children[1]->type, std::string("Qwen3NextMLP"));
        QCOMPARE(at(c, "model.layers.*.mlp.gate_proj").each, Count(16 * 32)); // the dense MLP's width is F
        // The list pins the stack to 8 layers: L is fixed, and --set says why.
        QVERIFY(!c.design.symbol("L"));
        Design set = c.design;
        auto st = applySetting(set, "num_hidden_layers", 16);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().text().find("mlp_only_layers") != std::string::npos, st.error().text().c_str());

        // Without the list the two rules repeat together every lcm(4, 2) = 4 layers (lD lR lD FR):
        // periods in L, so L stays a hyperparameter; L = 12 is three periods, L = 10 is refused.
        const nlohmann::json rule = smallNext({ { "num_hidden_layers", 8 }, { "decoder_sparse_step", 2 } });
        auto r = inlineConfig(rule);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().text().c_str());
        const Module* stack = r->find("model.layers");
        QCOMPARE(stack->children.size(), std::size_t(1));
        QCOMPARE(stack->children[0]->repeat.text(), std::string("L/4"));
        QCOMPARE(stack->children[0]->children.size(), std::size_t(4));
        const Count period = 2 * lD + lR + FR;
        QCOMPARE(evaluated(*r).total, outer + 2 * period);
        QVERIFY(applySetting(*r, "num_hidden_layers", 12).ok());
        QCOMPARE(evaluated(*r).total, outer + 3 * period);
        QVERIFY(applySetting(*r, "num_hidden_layers", 10).ok());
        const QString refused = failure(rule) + QString::fromStdString(evaluate(*r).error().text());
        QVERIFY2(refused.contains(QStringLiteral("full_attention_interval = 4 and decoder_sparse_step = 2 repeat "
                                                 "together every 4 layers")),
            qPrintable(refused));
        // 2^31 layers: 2^29 periods, counted by multiplication on a tree of a few dozen nodes.
        Design huge = *r;
        QVERIFY(applySetting(huge, "num_hidden_layers", Count(1) << 31).ok());
        QCOMPARE(evaluated(huge).total, outer + (Count(1) << 29) * period);
        QCOMPARE(evaluated(huge).active, outer + (Count(1) << 29) * (period - 2 * moeInactive));
        QVERIFY(huge.nodes().size() < 100);
        // Importing 10 layers gives 2 periods and lD lR after them, as the class builds them.
        auto ten = inlineConfig(smallNext({ { "num_hidden_layers", 10 }, { "decoder_sparse_step", 2 } }));
        QVERIFY(ten.ok());
        QCOMPARE(evaluated(*ten).total, outer + 2 * period + lD + lR);
    }

    void nextLayerOrder()
    {
        // The stack as built (runs and periods expanded) against Qwen3NextDecoderLayer's rule applied
        // layer by layer, for layer counts, intervals, steps and lists (with layer_types too).
        for (Count layers = 1; layers <= 13; ++layers) {
            for (Count every : { 1, 2, 3, 4 }) {
                for (Count step : { 1, 2, 3 }) {
                    std::vector<std::vector<Count>> lists { {}, { 0 }, { layers - 1 }, { 1, 2, 20 } };
                    std::vector<Count> even;
                    for (Count l = 0; l < layers; l += 2)
                        even.push_back(l);
                    lists.push_back(even);
                    for (const auto& dense : lists) {
                        for (const bool typed : { false, true }) {
                            nlohmann::json j
                                = smallNext({ { "num_hidden_layers", layers }, { "full_attention_interval", every },
                                    { "decoder_sparse_step", step }, { "mlp_only_layers", dense } });
                            std::string rule;
                            for (Count l = 0; l < layers; ++l) {
                                const bool full = (l + 1) % every == 0;
                                if (typed)
                                    j["layer_types"].push_back(full ? "full_attention" : "linear_attention");
                                const bool isListed = std::find(dense.begin(), dense.end(), l) != dense.end();
                                rule += full ? 'F' : 'l';
                                rule += !isListed && (l + 1) % step == 0 ? 'R' : 'd';
                            }
                            auto d = inlineConfig(j);
                            QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
                            const std::string built
                                = expandedLayers(*d, evaluated(*d), "model.layers", "Qwen3NextDecoderLayer", nextLayer);
                            QVERIFY2(built == rule,
                                qPrintable(QString::fromStdString(j.dump() + ": " + built + " vs " + rule)));
                        }
                    }
                }
            }
        }
    }

    void nextWithoutExperts()
    {
        // num_experts 0: every MLP is a Qwen3NextMLP, whatever the step; the expert fields shape
        // nothing and are no hyperparameters. By hand (smallNext): 6 lD and 2 Fd layers, Fd =
        // 1,032 + 1,536 + 32 = 2,600.
        auto d = inlineConfig(
            smallNext({ { "num_hidden_layers", 8 }, { "num_experts", 0 }, { "decoder_sparse_step", 2 } }));
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QCOMPARE(evaluated(*d).total, Count(3216 + 6 * 2860 + 2 * 2600));
        for (const char* x : { "X", "Xk", "Fx", "Fs" })
            QVERIFY2(!d->symbol(x), x);
        QVERIFY(d->symbol("L"));
    }

    void gemma4Layers()
    {
        // Gemma 4 31B: layers 5, 11, …, 59 full (10 of 60). A sliding layer's attention: q_proj
        // 5376·32·256, k_proj and v_proj 2·5376·16·256, o_proj 32·256·5376, q_norm and k_norm 2·256;
        // a full one (attention_k_eq_v, global_head_dim 512, 4 key heads, no v_proj): q_proj
        // 5376·32·512, k_proj 5376·4·512, o_proj 32·512·5376, norms 2·512.
        // The list's twenty runs fold into one period of five sliding layers and a full one, ten times.
        const Counted c = counted(load(dataPath(kGemma4)));
        const Module* layers = c.design.find("model.language_model.layers");
        QCOMPARE(layers->children.size(), std::size_t(1));
        const Module* period = layers->children[0].get();
        QCOMPARE(period->repeat.text(), std::string("10"));
        QCOMPARE(period->children.size(), std::size_t(2));
        const Count sliding = Count(5376) * 32 * 256 * 2 + 2 * Count(5376) * 16 * 256 + 2 * 256;
        const Count full = Count(5376) * 32 * 512 * 2 + Count(5376) * 4 * 512 + 2 * 512;
        const auto& e = c.evaluation;
        QCOMPARE(period->children[0]->repeat.text(), std::string("5"));
        QCOMPARE(e.nodes[static_cast<std::size_t>(period->children[0]->children[0]->index)].each, sliding);
        QCOMPARE(e.nodes[static_cast<std::size_t>(period->children[1]->children[0]->index)].each, full);
        for (const auto& m : period->children[1]->children[0]->children)
            QVERIFY(m->name != "v_proj");
        // Without the list, the class's rule (five sliding, one full) in L; 60 = 10 periods.
        nlohmann::json j = readConfig(kGemma4);
        j["text_config"].erase("layer_types");
        auto rule = inlineConfig(j);
        QVERIFY2(rule.ok(), rule.ok() ? "" : rule.error().text().c_str());
        QCOMPARE(evaluated(*rule).total, e.total);
        QCOMPARE(rule->find("model.language_model.layers")->children[0]->repeat.text(), std::string("L/6"));
        // A list ending with a sliding layer is made full by the class: counted so, and said.
        j = readConfig(kGemma4);
        j["text_config"]["layer_types"][59] = "sliding_attention";
        auto forced = inlineConfig(j);
        QVERIFY(forced.ok());
        QCOMPARE(evaluated(*forced).total, e.total);
        QVERIFY(hasNote(*forced, QStringLiteral("makes the last layer full_attention")));
    }

    void llama4Layers()
    {
        // Maverick: interleave_moe_layer_step 2, so dense and MoE layers alternate as 24 periods in
        // L. A MoE layer minus a dense one: 128·3·5120·8192 (experts) + 5120·128 (router)
        // + 3·5120·8192 (shared expert) − 3·5120·16384 (dense MLP). Scout is MoE in every layer.
        const Design maverick = load(dataPath(kMaverick));
        const Module* stack = maverick.find("language_model.model.layers");
        QCOMPARE(stack->children.size(), std::size_t(1));
        QCOMPARE(stack->children[0]->repeat.text(), std::string("L/2"));
        // moe_layers given as a list: the same layers, L fixed by it.
        nlohmann::json j = readConfig(kMaverick);
        j["text_config"]["moe_layers"] = nlohmann::json::array();
        for (int l = 1; l < 48; l += 2)
            j["text_config"]["moe_layers"].push_back(l);
        auto listed = inlineConfig(j);
        QVERIFY2(listed.ok(), listed.ok() ? "" : listed.error().text().c_str());
        QCOMPARE(evaluated(*listed).total, evaluated(maverick).total);
        QVERIFY(!listed->symbol("L"));
        // Every layer MoE instead: 24 more MoE layers in place of dense ones.
        j["text_config"]["moe_layers"].clear();
        for (int l = 0; l < 48; ++l)
            j["text_config"]["moe_layers"].push_back(l);
        auto all = inlineConfig(j);
        QVERIFY(all.ok());
        const Count moeMinusDense
            = Count(128) * 3 * 5120 * 8192 + 5120 * 128 + Count(3) * 5120 * 8192 - Count(3) * 5120 * 16384;
        QCOMPARE(evaluated(*all).total, evaluated(maverick).total + 24 * moeMinusDense);
    }

    void kvCaches_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<qint64>("bytes"); // at 8192 tokens × batch 1 in bf16, by hand
        // Gemma 4 31B: 50 sliding layers hold their last 1024 tokens of k and v (2·16·256 values),
        // 10 full layers all 8192 tokens of keys and the values they double as (2·4·512 values).
        QTest::newRow("gemma4") << QString::fromLatin1(kGemma4)
                                << qint64(2 * (50 * 2 * 16 * 256 * Count(1024) + 10 * 2 * 4 * 512 * Count(8192)));
        // Qwen3.5-9B: only its 8 full-attention layers cache (2·4·256 values per token); the 24
        // Gated DeltaNet layers keep a fixed-size state, nothing per token.
        QTest::newRow("qwen3.5") << QString::fromLatin1(kQwen35) << qint64(2 * 8 * 2 * 4 * 256 * Count(8192));
        // Qwen3-VL-30B-A3B: 48 layers of 2·4·128; the vision tower caches nothing.
        QTest::newRow("qwen3-vl-moe") << QString::fromLatin1(kQwen3VlMoe) << qint64(2 * 48 * 2 * 4 * 128 * Count(8192));
    }
    void kvCaches()
    {
        QFETCH(QString, config);
        QFETCH(qint64, bytes);
        const Design d = load(dataPath(qPrintable(config)));
        const Evaluation e = evaluated(d);
        auto groups = attentionGroups(d, e);
        QVERIFY2(groups.ok(), groups.ok() ? "" : groups.error().text().c_str());
        auto kv = kvCacheBytes(*groups, 8192, 1, *parseDataType("bf16"));
        QVERIFY(kv.ok());
        QCOMPARE(*kv, Count(bytes));
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        auto row = [](const char* tag, const nlohmann::json& j, const char* message) {
            QTest::newRow(tag) << QByteArray::fromStdString(j.dump()) << QString::fromLatin1(message);
        };
        nlohmann::json j = readConfig(kQwen3Vl);
        j["text_config"]["layer_types"] = nlohmann::json::array();
        for (int i = 0; i < 28; ++i)
            j["text_config"]["layer_types"].push_back(i == 3 ? "linear_attention" : "full_attention");
        row("unknown layer type", j, "text_config.layer_types/3: unknown layer type \"linear_attention\"");
        j["text_config"]["layer_types"].erase(3);
        row("layer types too short", j, "text_config.layer_types: lists 27 layers; num_hidden_layers is 28");
        j = readConfig(kQwen3Vl);
        j["vision_config"] = 3;
        row("vision config not an object", j, "vision_config: expected an object");
        j = readConfig(kQwen3Vl);
        j["vision_config"]["hidden_size"] = "1024";
        row("vision width a string", j, "vision_config.hidden_size: expected an integer");
        j = readConfig(kQwen3Vl);
        j["vision_config"]["deepstack_visual_indexes"] = 3;
        row("deepstack not a list", j, "vision_config.deepstack_visual_indexes: expected a list");
        j = readConfig(kQwen3Vl);
        j["vision_config"]["num_heads"] = 15;
        row("vision heads", j, "vision_config.num_heads must divide vision_config.hidden_size");
        j = readConfig(kQwen3Vl);
        j["vision_config"]["spatial_merge_size"] = 0;
        row("merge size zero", j, "vision_config.spatial_merge_size: 0 must be positive");
        j = readConfig(kLlava);
        j["vision_config"]["model_type"] = "dinov2";
        row("llava unknown tower", j, "vision_config.model_type: 'dinov2' is not supported as the vision tower");
        j = readConfig(kLlava);
        j["text_config"]["model_type"] = "t5";
        row("llava unknown text", j, "text_config.model_type: 't5' is not supported as the text model");
        j = readConfig(kLlava);
        j["vision_feature_layer"] = nlohmann::json::array();
        row("no feature layer", j, "vision_feature_layer: is an empty list");
        j = readConfig(kMistral3);
        j["vision_config"]["patch_size"] = -14;
        row("pixtral patch", j, "vision_config.patch_size: -14 must be positive");
        j = readConfig(kOlmo3);
        j["layer_types"][5] = "chunked_attention";
        row("olmo3 unknown layer type", j, "layer_types/5: unknown layer type \"chunked_attention\"");
        j = readConfig(kOlmo3);
        j["num_hidden_layers"] = 33;
        row("olmo3 list length", j, "layer_types: lists 32 layers; num_hidden_layers is 33");
        j = readConfig(kOlmo3);
        j["layer_types"] = "sliding_attention";
        row("olmo3 not a list", j, "layer_types: expected a list of layer types");
        j = readConfig(kQwen35);
        j["text_config"]["layer_types"][7] = "mamba";
        row("3.5 unknown layer type", j, "text_config.layer_types/7: unknown layer type \"mamba\"");
        j = readConfig(kQwen35);
        j["text_config"]["num_hidden_layers"] = 31;
        row("3.5 list length", j, "text_config.layer_types: lists 32 layers; num_hidden_layers is 31");
        j = readConfig(kQwen35);
        j["vision_config"]["depth"] = "27";
        row("3.5 vision depth", j, "vision_config.depth: expected an integer");
        j = readConfig(kQwenNext);
        j["linear_num_key_heads"] = 5;
        row("next key heads", j, "linear_num_key_heads must divide linear_num_value_heads");
        j = readConfig(kQwenNext);
        j["decoder_sparse_step"] = 0;
        row("next sparse step 0", j, "decoder_sparse_step: 0 must be positive");
        j = readConfig(kQwenNext);
        j["full_attention_interval"] = 0;
        row("next interval 0", j, "full_attention_interval: 0 must be positive");
        // Interval 4 and step 10007 (a prime) repeat together every 40028 layers, in 20016 runs.
        j = readConfig(kQwenNext);
        j["decoder_sparse_step"] = 10007;
        row("next period too long", j,
            "decoder_sparse_step: with full_attention_interval = 4 and decoder_sparse_step = 10007 makes more than "
            "10000 runs of layers in one period (40028 layers; the limit)");
        j = readConfig(kQwenNext);
        j["decoder_sparse_step"] = Count(1) << 62;
        j["full_attention_interval"] = (Count(1) << 62) - 1;
        row("next period beyond 2^63", j,
            "decoder_sparse_step: with full_attention_interval = 4611686018427387903 "
            "and decoder_sparse_step = 4611686018427387904 makes more than 10000 runs "
            "of layers in one period (beyond 2^63 layers; the limit)");
        j = readConfig(kQwenNext);
        j["mlp_only_layers"] = "0";
        row("next mlp_only_layers", j, "mlp_only_layers: expected a list");
        j = readConfig(kQwenNext);
        j["layer_types"] = std::vector<std::string>(47, "linear_attention");
        row("next list length", j, "layer_types: lists 47 layers; num_hidden_layers is 48");
        j = readConfig(kGemma4);
        j["text_config"]["layer_types"][0] = "chunked_attention";
        row("gemma4 layer type", j, "text_config.layer_types/0: unknown layer type");
        j = readConfig(kScout);
        j["text_config"]["moe_layers"] = "all";
        row("llama4 moe_layers", j, "text_config.moe_layers: expected a list of integers");
        j = readConfig(kScout);
        j["vision_config"]["patch_size"] = 15;
        row("llama4 patch", j, "vision_config.patch_size must divide vision_config.image_size");
        j = readConfig(kQwen25Vl);
        j["text_config"] = { { "hidden_size", 64 } };
        j["text_config"]["num_attention_heads"] = 5;
        row("2.5 text heads", j, "E = 64 is not divisible by H = 5");
    }
    void badInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const QString error = failure(nlohmann::json::parse(json.toStdString()));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void layerTypesFixLayers()
    {
        // A valid list pins the layer count: L is no hyperparameter, and --set says why.
        nlohmann::json j = readConfig(kQwen3Vl);
        j["text_config"]["layer_types"] = std::vector<std::string>(28, "full_attention");
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QVERIFY(!d->symbol("L"));
        QCOMPARE(evaluated(*d).total, evaluated(load(dataPath(kQwen3Vl))).total);
        auto st = applySetting(*d, "text_config.num_hidden_layers", 56);
        QVERIFY(!st.ok());
        QVERIFY2(
            st.error().text().find("layer_types lists every layer") != std::string::npos, st.error().text().c_str());
    }

    void hugeLayerCounts_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("perLayer"); // parameters each extra layer adds, by hand
        const Count layers = Count(1) << 31;
        // Qwen2's defaults: E 4096, H = K 32, F 22016: q/k/v 3·(4096·4096 + 4096), o 4096·4096,
        // MLP 3·4096·22016, two norms 2·4096.
        const Count qwen2Layer
            = 3 * (Count(4096) * 4096 + 4096) + Count(4096) * 4096 + 3 * Count(4096) * 22016 + 2 * 4096;
        QTest::newRow("qwen2") << QByteArray::fromStdString(
            nlohmann::json { { "model_type", "qwen2" }, { "num_hidden_layers", layers } }.dump())
                               << qint64(qwen2Layer);
        // Qwen3-VL-MoE with decoder_sparse_step 2 (periods of a dense and a routed layer, in L):
        // L = 2^31 is 2^30 periods of the two layers.
        nlohmann::json moe = readConfig(kQwen3VlMoe);
        moe["text_config"]["num_hidden_layers"] = layers;
        moe["text_config"]["decoder_sparse_step"] = 2;
        QTest::newRow("qwen3_vl_moe step 2") << QByteArray::fromStdString(moe.dump()) << qint64(0);
        // A hybrid family with the layer_types default (every fourth layer full): 2^29 periods.
        nlohmann::json next = readConfig(kQwenNext);
        next["num_hidden_layers"] = layers;
        QTest::newRow("qwen3_next") << QByteArray::fromStdString(next.dump()) << qint64(0);
        // Qwen3-Next with decoder_sparse_step 2: the two rules repeat together every 4 layers,
        // 2^29 periods of (linear dense, linear routed, linear dense, full routed).
        next["decoder_sparse_step"] = 2;
        QTest::newRow("qwen3_next step 2") << QByteArray::fromStdString(next.dump()) << qint64(0);
        // A full-attention layer every 2^40 layers and every layer routed: one kind per run, so the
        // rule's period (2^40 layers in two runs) is never walked layer by layer. (Small sizes: a
        // period of 2^40 Qwen3-Next-80B layers, though repeated 0 times here, overflows 64 bits.)
        nlohmann::json sparse
            = smallNext({ { "num_hidden_layers", layers }, { "full_attention_interval", Count(1) << 40 } });
        QTest::newRow("qwen3_next interval 2^40") << QByteArray::fromStdString(sparse.dump()) << qint64(0);
        sparse["mlp_only_layers"] = { 3 };
        QTest::newRow("qwen3_next interval 2^40 listed") << QByteArray::fromStdString(sparse.dump()) << qint64(0);
        // And with mlp_only_layers, which fixes L: runs around the four listed layers and two
        // repeated periods between them, 14 entries of about 25 nodes (388 nodes), whatever L.
        next["mlp_only_layers"] = { 0, 5, 1000001, layers - 1 };
        QTest::newRow("qwen3_next step 2 listed") << QByteArray::fromStdString(next.dump()) << qint64(0);
    }
    void hugeLayerCounts()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, perLayer);
        // Built per run and counted by multiplication: a few dozen nodes, answered at once (no
        // per-layer allocation, which would need gigabytes at 2^31 layers).
        QElapsedTimer timer;
        timer.start();
        auto d = inlineConfig(nlohmann::json::parse(json.toStdString()));
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QVERIFY(d->nodes().size() < maxNodes(QTest::currentDataTag()));
        auto e = evaluate(*d);
        QVERIFY2(e.ok(), e.ok() ? "" : e.error().text().c_str());
        QVERIFY(timer.elapsed() < 5000);
        if (perLayer > 0) {
            auto small = inlineConfig({ { "model_type", "qwen2" }, { "num_hidden_layers", 1 } });
            QVERIFY(small.ok());
            QCOMPARE(e->total, evaluated(*small).total + ((Count(1) << 31) - 1) * perLayer);
        }
    }
};

QTEST_APPLESS_MAIN(TestHfBuildC)
#include "tst_hfbuild_c.moc"

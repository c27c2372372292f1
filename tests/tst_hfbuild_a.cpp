// SPDX-License-Identifier: MIT
// The Hugging Face importers of families A (gpt2, llama, mistral, mixtral, qwen2, qwen3, qwen3_moe,
// gemma, gemma2, gemma3): module paths and classes, formulas, ties, notes, class choice and bad input.
// Expected numbers are published totals (tests/data/hf-configs/expected.json) or derived by hand here.
#include "designio.h"
#include "testutil.h"

#include <QtTest>

#include <algorithm>
#include <functional>

using namespace paramscope::core;
using namespace paramscope::test;

namespace {

std::string fixture(const char* file)
{
    return dataPath(std::string("hf-configs/") + file);
}

nlohmann::json mistral7b()
{
    auto text = readFile(fixture("mistralai__Mistral-7B-v0.1.json"));
    if (!text)
        qFatal("%s", text.error().text().c_str());
    return nlohmann::json::parse(*text);
}

} // namespace

class TestHfBuildA : public QObject {
    Q_OBJECT
private slots:
    void llamaTree()
    {
        const Counted c = counted(load(fixture("meta-llama__Meta-Llama-3-8B.json")));
        const Design& d = c.design;
        QCOMPARE(d.root->type, std::string("LlamaForCausalLM"));
        QCOMPARE(d.find("model")->type, std::string("LlamaModel"));
        QCOMPARE(d.find("model.layers")->type, std::string("ModuleList"));
        QCOMPARE(d.find("model.layers")->children.size(), std::size_t(1));
        QCOMPARE(d.find("model.layers.*")->type, std::string("LlamaDecoderLayer"));
        QCOMPARE(d.find("model.layers.*")->repeat.text(), std::string("L"));
        QCOMPARE(d.find("model.layers.*.self_attn")->type, std::string("LlamaAttention"));
        for (const char* p :
            { "model.embed_tokens", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.k_proj",
                "model.layers.*.self_attn.v_proj", "model.layers.*.self_attn.o_proj", "model.layers.*.mlp.gate_proj",
                "model.layers.*.mlp.up_proj", "model.layers.*.mlp.down_proj", "model.layers.*.input_layernorm",
                "model.layers.*.post_attention_layernorm", "model.norm", "lm_head" })
            QVERIFY2(d.find(p), p);
        const Module* norm = d.find("model.norm");
        QCOMPARE(norm->kind, ModuleKind::RMSNorm);
        QCOMPARE(norm->type, std::string("LlamaRMSNorm"));
        // Llama 3 does not tie: lm_head holds its own V·E.
        QVERIFY(d.find("lm_head")->tiedTo.empty());
        QCOMPARE(at(c, "lm_head").count, Count(128256) * 4096);
        // Fields are recorded, so --set works with config names.
        QCOMPARE(d.symbol("E")->field, std::string("hidden_size"));
        QCOMPARE(d.symbol("K")->field, std::string("num_key_value_heads"));
        QVERIFY(d.symbol("D")->isDerived()); // head_dim absent: hidden_size / num_attention_heads
        QCOMPARE(d.symbol("D")->definition.text(), std::string("E/H"));
    }

    void formulas()
    {
        // Qwen3: q (E×HD), o (HD×E), k and v (E×KD), q_norm and k_norm (D each); gated MLP 3EF; 2 norms.
        const Counted q = counted(load(fixture("Qwen__Qwen3-8B.json")));
        QCOMPARE(formulaAt(q, "model.layers.*.self_attn").total, std::string("2EHD + 2EKD + 2D"));
        QCOMPARE(formulaAt(q, "model.layers.*.mlp").total, std::string("3EF"));
        QCOMPARE(formulaAt(q, "model.layers.*").total, std::string("L(2EHD + 2EKD + 3EF + 2E + 2D)"));
        // Mixtral: X experts of three E×F matrices.
        const Counted m = counted(load(fixture("mistralai__Mixtral-8x7B-v0.1.json")));
        QCOMPARE(formulaAt(m, "model.layers.*.block_sparse_moe.experts").total, std::string("3EFX"));
        QCOMPARE(formulaAt(m, "model.layers.*.block_sparse_moe.gate").total, std::string("EX"));
    }

    void qwen2HiddenBiases()
    {
        // Qwen2.5-0.5B: E 896, 14 heads, 2 KV heads, D 64; q/k/v have biases, o_proj has none.
        const Counted c = counted(load(fixture("Qwen__Qwen2.5-0.5B.json")));
        const Count E = 896, HD = 14 * 64, KD = 2 * 64;
        QCOMPARE(at(c, "model.layers.*.self_attn").count, (E * HD + HD) + 2 * (E * KD + KD) + HD * E);
        QVERIFY(c.design.find("model.layers.*.self_attn.q_proj")->bias);
        QVERIFY(!c.design.find("model.layers.*.self_attn.o_proj")->bias);
        QCOMPARE(c.design.find("lm_head")->tiedTo, std::string("model.embed_tokens"));
    }

    void tiedHeadIsShared()
    {
        const Counted c = counted(load(fixture("google__gemma-2-2b.json")));
        const Module* head = c.design.find("lm_head");
        QCOMPARE(head->tiedTo, std::string("model.embed_tokens"));
        QCOMPARE(c.design.ties()[static_cast<std::size_t>(head->index)], c.design.find("model.embed_tokens")->index);
        QCOMPARE(at(c, "lm_head").count, 0);
        // The tie is said in a note derived from the tree (Design::allNotes()).
        bool said = false;
        for (const Note& n : c.design.allNotes())
            said = said
                || (n.kind == Note::Kind::Tie && n.node == "lm_head" && n.target == "model.embed_tokens"
                    && n.text.find("counted once") != std::string::npos);
        QVERIFY(said);
        // Gemma 2: four norms per layer.
        QVERIFY(c.design.find("model.layers.*.pre_feedforward_layernorm"));
        QVERIFY(c.design.find("model.layers.*.post_feedforward_layernorm"));
        QCOMPARE(c.evaluation.total, 2'614'341'888);
    }

    void mixtralActive()
    {
        const Counted c = counted(load(fixture("mistralai__Mixtral-8x7B-v0.1.json")));
        const Module* experts = c.design.find("model.layers.*.block_sparse_moe.experts.*");
        QCOMPARE(experts->repeat.text(), std::string("X"));
        QCOMPARE(experts->activeRepeat.text(), std::string("Xk"));
        QVERIFY(c.evaluation.sparse);
        // Published 46,702,792,704; per token 6 of 8 experts (3·4096·14336 each) idle in all 32 layers.
        QCOMPARE(c.evaluation.total, 46'702'792'704);
        QCOMPARE(c.evaluation.active, 46'702'792'704 - 32 * 6 * Count(3 * 4096 * 14336));
        QCOMPARE(c.evaluation.active, 12'879'925'248);
    }

    void qwen3MoeMixedLayers()
    {
        // Layer 0 dense (mlp_only_layers), layers 1-3 routed: two runs in the ModuleList.
        const nlohmann::json j = { { "model_type", "qwen3_moe" }, { "vocab_size", 100 }, { "hidden_size", 16 },
            { "num_attention_heads", 4 }, { "num_key_value_heads", 2 }, { "head_dim", 4 }, { "num_hidden_layers", 4 },
            { "intermediate_size", 32 }, { "num_experts", 4 }, { "num_experts_per_tok", 2 },
            { "moe_intermediate_size", 8 }, { "mlp_only_layers", { 0 } }, { "decoder_sparse_step", 1 } };
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        const Counted c = counted(std::move(*d));
        const Module* layers = c.design.find("model.layers");
        QCOMPARE(layers->children.size(), std::size_t(2));
        const auto& dense = c.evaluation.nodes[static_cast<std::size_t>(layers->children[0]->index)];
        const auto& sparse = c.evaluation.nodes[static_cast<std::size_t>(layers->children[1]->index)];
        QCOMPARE(dense.first, 0);
        QCOMPARE(dense.repeat, 1);
        QCOMPARE(sparse.first, 1);
        QCOMPARE(sparse.repeat, 3);
        // By hand: attention 2·16·16 + 2·16·8 + 2·4 = 776; norms 32; dense MLP 3·16·32 = 1536;
        // routed: router 16·4 + 4 experts × 3·16·8 (active: 2 experts); embed, head 1600 each; norm 16.
        const Count attn = 776, norms = 32, embedAndHead = 1600 + 1600 + 16;
        QCOMPARE(c.evaluation.total, embedAndHead + (attn + 1536 + norms) + 3 * (attn + 64 + 4 * 384 + norms));
        QCOMPARE(c.evaluation.active, embedAndHead + (attn + 1536 + norms) + 3 * (attn + 64 + 2 * 384 + norms));
        // The layer pattern fixes the runs, so the layer count is no free hyperparameter.
        Design copy = c.design;
        QVERIFY(!applySetting(copy, "num_hidden_layers", 8).ok());
    }

    void qwen3MoeLayerOrder()
    {
        // The stack as built (runs and periods, expanded with their evaluated repeats) against
        // Qwen3MoeDecoderLayer's rule applied layer by layer: routed when experts > 0, the layer is
        // not in mlp_only_layers and (l + 1) % decoder_sparse_step == 0.
        QRandomGenerator random(9);
        for (Count layers = 1; layers <= 24; ++layers) {
            for (Count step = 1; step <= 4; ++step) {
                std::vector<std::vector<Count>> lists { {}, { 0 }, { layers - 1 }, { 30 } };
                std::vector<Count> even, random3;
                for (Count l = 0; l < layers; l += 2)
                    even.push_back(l);
                for (Count l = 0; l < layers; ++l)
                    if (random.bounded(3) == 0)
                        random3.push_back(l);
                lists.push_back(even);
                lists.push_back(random3);
                for (const auto& listed : lists) {
                    const nlohmann::json j = { { "model_type", "qwen3_moe" }, { "vocab_size", 100 },
                        { "hidden_size", 16 }, { "num_attention_heads", 4 }, { "num_key_value_heads", 2 },
                        { "head_dim", 4 }, { "intermediate_size", 32 }, { "num_experts", 4 },
                        { "num_experts_per_tok", 2 }, { "moe_intermediate_size", 8 }, { "num_hidden_layers", layers },
                        { "decoder_sparse_step", step }, { "mlp_only_layers", listed } };
                    auto d = inlineConfig(j);
                    QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
                    const Evaluation e = evaluated(*d);
                    const std::string built = expandedLayers(*d, e, "model.layers", "Qwen3MoeDecoderLayer",
                        [](const Module& m) { return m.children[1]->type == "Qwen3MoeSparseMoeBlock" ? 'R' : 'd'; });
                    std::string rule;
                    for (Count l = 0; l < layers; ++l) {
                        const bool isListed = std::find(listed.begin(), listed.end(), l) != listed.end();
                        rule += !isListed && (l + 1) % step == 0 ? 'R' : 'd';
                    }
                    QVERIFY2(
                        built == rule, qPrintable(QString::fromStdString(j.dump() + ": " + built + " vs " + rule)));
                }
            }
        }
    }

    void hugeLayerCounts_data()
    {
        QTest::addColumn<qint64>("layers");
        QTest::newRow("2") << qint64(2);
        QTest::newRow("2^31") << (qint64(1) << 31);
        QTest::newRow("2^40") << (qint64(1) << 40);
    }
    void hugeLayerCounts()
    {
        // Issue 9: qwen2 with 2^31 layers took 25 s and 8.4 GB (a vector per layer), 2^40 ran out of
        // memory. The tree is the same whatever L: 18 nodes (root, model, embed_tokens, layers, one
        // layer of self_attn + 4 projections, mlp + 3 projections and 2 norms, norm, lm_head).
        // By hand: a layer is q 16·16 + 16, k and v 16·8 + 8 each, o 16·16, MLP 3·16·32, norms 2·16
        // = 2368; embed_tokens and lm_head 100·16 each, the final norm 16.
        QFETCH(qint64, layers);
        const nlohmann::json j
            = { { "model_type", "qwen2" }, { "vocab_size", 100 }, { "hidden_size", 16 }, { "num_attention_heads", 4 },
                  { "num_key_value_heads", 2 }, { "intermediate_size", 32 }, { "num_hidden_layers", layers } };
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QCOMPARE(d->nodes().size(), std::size_t(18));
        QCOMPARE(evaluated(*d).total, 3216 + 2368 * layers);
    }

    void qwen3MoeLongList()
    {
        // Issue 9: 50,000 mlp_only_layers took 36 s (a search of the list per layer). Every even
        // layer of 100,000 listed: the stack is layer 0, then 49,999 periods of (routed, dense),
        // then the routed layer 99,999: 3 entries whatever the length.
        nlohmann::json listed = nlohmann::json::array();
        for (int l = 0; l < 100000; l += 2)
            listed.push_back(l);
        const nlohmann::json j = { { "model_type", "qwen3_moe" }, { "vocab_size", 100 }, { "hidden_size", 16 },
            { "num_attention_heads", 4 }, { "num_key_value_heads", 2 }, { "head_dim", 4 },
            { "num_hidden_layers", 100000 }, { "intermediate_size", 32 }, { "num_experts", 4 },
            { "num_experts_per_tok", 2 }, { "moe_intermediate_size", 8 }, { "mlp_only_layers", listed } };
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QCOMPARE(d->find("model.layers")->children.size(), std::size_t(3));
        QVERIFY(d->nodes().size() < 80);
        // By hand (as in qwen3MoeMixedLayers): a dense layer 776 + 1536 + 32, a routed one
        // 776 + 64 + 4·384 + 32; 50,000 of each; embed, head and final norm 3216.
        QCOMPARE(evaluated(*d).total, 3216 + 50000 * Count(776 + 1536 + 32) + 50000 * Count(776 + 64 + 1536 + 32));
        QVERIFY(hasNote(*d, QStringLiteral("num_hidden_layers (L) is fixed at 100000")));

        // A list with no regularity makes a run per entry: beyond the limit it is refused.
        nlohmann::json squares = nlohmann::json::array();
        for (Count k = 0; k < 20000; ++k)
            squares.push_back(k * k);
        nlohmann::json irregular = j;
        irregular["mlp_only_layers"] = squares;
        irregular["num_hidden_layers"] = Count(1) << 40;
        QVERIFY(failure(irregular).contains(QStringLiteral("mlp_only_layers: makes more than 10000 runs")));
        // A list is read up to 1,000,000 entries.
        nlohmann::json tooLong = j;
        tooLong["mlp_only_layers"] = std::vector<int>(1000001, 1);
        QCOMPARE(failure(tooLong),
            QStringLiteral("inline.json: mlp_only_layers: has 1000001 entries; the limit is 1000000"));
    }

    void gemma3DefaultsNoted()
    {
        const Design d = load(fixture("google__gemma-3-4b-pt.json"));
        for (const char* n : { "text_config.num_attention_heads = 8", "text_config.num_key_value_heads = 4",
                 "text_config.head_dim = 256", "text_config.vocab_size = 262208" })
            QVERIFY2(hasNote(d, QString::fromLatin1(n)), n);
        QCOMPARE(d.symbol("E")->field, std::string("text_config.hidden_size"));
        QCOMPARE(d.symbol("Ev")->field, std::string("vision_config.hidden_size"));
    }

    void gemma3ClassSwitch()
    {
        const Counted full = counted(load(fixture("google__gemma-3-4b-pt.json"), "Gemma3ForConditionalGeneration"));
        QCOMPARE(full.design.root->type, std::string("Gemma3ForConditionalGeneration"));
        QCOMPARE(full.design.find("model")->type, std::string("Gemma3Model"));
        QCOMPARE(full.design.find("model.vision_tower")->type, std::string("SiglipVisionModel"));
        QCOMPARE(full.design.find("lm_head")->tiedTo, std::string("model.language_model.embed_tokens"));
        // Learned position embedding: (896/14)² patches × 1152.
        QCOMPARE(at(full, "model.vision_tower.vision_model.embeddings.position_embedding").count, 4096 * 1152);
        QCOMPARE(at(full, "model.multi_modal_projector").count, 1152 * 2560 + 1152);
        QVERIFY(!full.design.find("model.vision_tower.vision_model.head")); // vision_use_head: false
        QCOMPARE(full.evaluation.total, 4'300'079'472);

        const Counted bare = counted(load(fixture("google__gemma-3-4b-pt.json"), "Gemma3Model"));
        QCOMPARE(bare.design.className, std::string("Gemma3Model"));
        QCOMPARE(bare.design.root->type, std::string("Gemma3Model"));
        QVERIFY(bare.design.find("vision_tower.vision_model.encoder.layers.*.self_attn.q_proj"));
        QVERIFY(bare.design.find("language_model.layers.*.self_attn.q_norm"));
        QVERIFY(!bare.design.find("lm_head"));
        QCOMPARE(bare.evaluation.total, full.evaluation.total); // the head was tied: it added nothing

        // A nested field is set by its dotted name: one text layer instead of 34, each 94,382,592
        // (attention 15,729,152 with q/k norms, MLP 3·2560·10240, four norms of 2560).
        Design one = full.design;
        QVERIFY(applySetting(one, "text_config.num_hidden_layers", 1).ok());
        QCOMPARE(counted(std::move(one)).evaluation.total, 4'300'079'472 - 33 * Count(94'382'592));
    }

    void bareModelClass()
    {
        // LlamaModel has no lm_head: the published 8,030,261,248 less 128256·4096.
        const Counted c = counted(load(fixture("meta-llama__Meta-Llama-3-8B.json"), "LlamaModel"));
        QCOMPARE(c.design.root->type, std::string("LlamaModel"));
        QVERIFY(c.design.find("layers.*.self_attn.q_proj"));
        QCOMPARE(c.evaluation.total, 8'030'261'248 - Count(128256) * 4096);
    }

    void gpt2MatchesPreset()
    {
        const Design imported = load(fixture("openai-community__gpt2.json"));
        const Design preset = load("gpt2");
        const auto a = nlohmann::json::parse(designToJson(imported));
        const auto b = nlohmann::json::parse(designToJson(preset));
        QCOMPARE(a["tree"].dump(), b["tree"].dump());
        QCOMPARE(a["hyperparameters"].dump(), b["hyperparameters"].dump());
        // The 2019 gpt2-xl file has no model_type and is still GPT-2.
        QCOMPARE(load(fixture("openai-community__gpt2-xl.json")).className, std::string("GPT2LMHeadModel"));
    }

    void nullsFollowTheConfigClass()
    {
        auto j = mistral7b();
        j["num_key_value_heads"] = nullptr; // → num_attention_heads
        j["head_dim"] = nullptr; // → hidden_size / num_attention_heads
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QVERIFY(d->symbol("K")->isDerived());
        QVERIFY(d->symbol("D")->isDerived());
        // K = 32 instead of 8: k_proj and v_proj grow by 2·4096·(32-8)·128 in each of 32 layers.
        QCOMPARE(counted(std::move(*d)).evaluation.total, 7'241'732'096 + 32 * Count(2 * 4096 * 24 * 128));
    }

    void unknownFieldsAreFine()
    {
        auto j = mistral7b();
        j["some_future_field"] = { { "nested", { 1, 2, 3 } } };
        j["rope_scaling"] = { { "factor", 8.0 }, { "rope_type", "llama3" } };
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QCOMPARE(counted(std::move(*d)).evaluation.total, 7'241'732'096);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("field"); // dotted: "text_config.layer_types"
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char* tag, const char* config, const char* field, const std::string& value,
                             const char* expected) {
            QTest::newRow(tag) << QString::fromLatin1(config) << QString::fromLatin1(field)
                               << QString::fromStdString(value) << QString::fromLatin1(expected);
        };
        const char* mistral = "mistralai__Mistral-7B-v0.1.json";
        row("string width", mistral, "hidden_size", "\"768\"", "hidden_size: expected an integer");
        row("fraction", mistral, "intermediate_size", "14336.5", "intermediate_size: expected an integer");
        row("zero layers", mistral, "num_hidden_layers", "0", "num_hidden_layers: 0 must be positive");
        row("negative heads", mistral, "num_attention_heads", "-4", "num_attention_heads: -4 must be positive");
        row("bool tie", mistral, "tie_word_embeddings", "1", "tie_word_embeddings: expected true or false");
        // A layer_types list names every layer: transformers' layer_type_validation refuses one of
        // another length, even when it repeats a period (the rule would hold for any length).
        const auto periodic = [](int layers, int every) {
            nlohmann::json list = nlohmann::json::array();
            for (int l = 0; l < layers; ++l)
                list.push_back((l + 1) % every == 0 ? "full_attention" : "sliding_attention");
            return list.dump();
        };
        // Gemma 2 2B: 26 layers alternating sliding and full.
        row("gemma2 periodic list too short", "google__gemma-2-2b.json", "layer_types", periodic(24, 2),
            "layer_types: lists 24 layers; num_hidden_layers is 26");
        row("gemma2 periodic list too long", "google__gemma-2-2b.json", "layer_types", periodic(28, 2),
            "layer_types: lists 28 layers; num_hidden_layers is 26");
        // Gemma 3 4B: 34 text layers, five sliding then a full one.
        row("gemma3 periodic list too short", "google__gemma-3-4b-pt.json", "text_config.layer_types", periodic(30, 6),
            "text_config.layer_types: lists 30 layers; num_hidden_layers is 34");
        row("gemma3 periodic list too long", "google__gemma-3-4b-pt.json", "text_config.layer_types", periodic(36, 6),
            "text_config.layer_types: lists 36 layers; num_hidden_layers is 34");
        // Mistral 7B: 32 layers, every one windowed.
        row("mistral list too short", mistral, "layer_types",
            nlohmann::json(std::vector<std::string>(31, "sliding_attention")).dump(),
            "layer_types: lists 31 layers; num_hidden_layers is 32");
    }
    void badInput()
    {
        QFETCH(QString, config);
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        auto text = readFile(fixture(qPrintable(config)));
        QVERIFY(text.ok());
        auto j = nlohmann::json::parse(*text);
        nlohmann::json* at = &j;
        const QStringList parts = field.split(QLatin1Char('.'));
        for (const QString& part : parts.mid(0, parts.size() - 1))
            at = &(*at)[part.toStdString()];
        (*at)[parts.last().toStdString()] = nlohmann::json::parse(value.toStdString());
        const QString message = failure(j);
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void nestedBadInputNamesThePath()
    {
        auto text = readFile(fixture("google__gemma-3-4b-pt.json"));
        QVERIFY(text.ok());
        auto j = nlohmann::json::parse(*text);
        j["text_config"]["hidden_size"] = "2560";
        auto d = inlineConfig(j);
        QVERIFY(!d.ok());
        QVERIFY2(QString::fromStdString(d.error().text()).contains(QStringLiteral("text_config.hidden_size")),
            d.error().text().c_str());
    }

    void kvHeadsMustDivideHeads()
    {
        auto j = mistral7b();
        j["num_key_value_heads"] = 5; // 32 heads cannot share 5 key/value heads evenly
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str()); // a value problem, found at evaluation
        auto e = evaluate(*d);
        QVERIFY(!e.ok());
        QVERIFY2(QString::fromStdString(e.error().text())
                     .contains(QStringLiteral("num_key_value_heads must divide num_attention_heads")),
            e.error().text().c_str());
    }
};

QTEST_APPLESS_MAIN(TestHfBuildA)
#include "tst_hfbuild_a.moc"

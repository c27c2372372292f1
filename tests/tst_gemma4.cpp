// SPDX-License-Identifier: MIT
// Gemma 4 beyond the dense 31B (issue 13): per-layer inputs and KV-sharing layers (E2B, E4B), the
// audio tower, the MoE blocks of 26B-A4B. Every expected number is derived here by hand from
// modeling_gemma4.py (the configs are the variants of convert_gemma4_weights.py); the model cards'
// rounded sizes (E2B 5.1B with embeddings, 2.3B effective; E4B 8B, 4.5B effective; 26B-A4B 25.2B
// total and 3.8B active for the text model) agree with them.
#include "breakdown.h"
#include "sizing.h"
#include "testutil.h"

#include <QtTest>

using namespace paramscope::core;
using namespace paramscope::test;

namespace {

const char* kE2B = "hf-families/google__gemma-4-E2B-it.json";
const char* kE4B = "hf-families/google__gemma-4-E4B-it.json";
const char* kMoe = "hf-families/google__gemma-4-26B-A4B-it.json";

nlohmann::json readConfig(const char* file)
{
    auto text = readFile(dataPath(file));
    if (!text)
        qFatal("%s", text.error().text().c_str());
    return nlohmann::json::parse(*text);
}

// ---- By hand, from the modeling code ----
// A text decoder layer: attention (q_proj E·H·hd, k_proj and v_proj E·kv·hd each unless the layer
// shares, o_proj H·hd·E, q_norm hd, k_norm hd unless it shares), the gated MLP 3·E·F (F doubled in
// sharing layers with use_double_wide_mlp), four norms 4·E, and with per-layer inputs the gate E·Pl,
// the projection Pl·E and a norm E.
Count textLayer(Count E, Count H, Count kv, Count hd, Count F, Count Pl, bool shared)
{
    const Count attention = E * H * hd + (shared ? 0 : 2 * E * kv * hd) + H * hd * E + hd + (shared ? 0 : hd);
    const Count perLayerInput = Pl > 0 ? 2 * E * Pl + E : 0;
    return attention + 3 * E * F + 4 * E + perLayerInput;
}

// The on-device vision tower (768 wide, 16 layers of 12 heads of 64, MLP 3072, patches of 16, 10240
// positions per axis): input_proj 3·16²·768, the position table 2·10240·768; per layer q, k, v, o
// 4·768·768, q_norm and k_norm 2·64, MLP 3·768·3072, four norms 4·768.
constexpr Count kSmallVision
    = 3 * 256 * 768 + 2 * 10240 * 768 + 16 * (4 * Count(768) * 768 + 2 * 64 + 3 * Count(768) * 3072 + 4 * 768);
// The audio tower (1024 wide, 12 layers of 8 heads, kernel 5, channels 128 and 32, output 1536):
// the subsampler's convolutions 9·1·128 and 9·128·32 with bias-free LayerNorms 128 and 32, its
// projection (128/4·32)·1024; per layer two feed-forwards of 1024·4096·2 + 2·1024, attention q, k,
// v, post and relative_k_proj 5·1024·1024 and per_dim_scale 128, the light convolution
// linear_start 1024·2048, linear_end 1024·1024, a depthwise kernel 1024·5 and two norms, three
// norms; output_proj 1024·1536 + 1536.
constexpr Count kAudioLayer = 2 * (2 * Count(1024) * 4096 + 2 * 1024) + 5 * Count(1024) * 1024 + 128
    + Count(1024) * 2048 + Count(1024) * 1024 + 1024 * 5 + 2 * 1024 + 3 * 1024;
constexpr Count kAudio
    = 9 * 128 + 128 + 9 * 128 * 32 + 32 + (128 / 4 * 32) * 1024 + 12 * kAudioLayer + Count(1024) * 1536 + 1536;

/// The layers of @p list in order, each run and period expanded (literal repeats only).
std::vector<const Module*> layerByLayer(const Module* list)
{
    std::vector<const Module*> out;
    for (const auto& run : list->children) {
        const Count n = run->repeat.constantValue().value_or(0);
        for (Count i = 0; i < n; ++i) {
            if (run->type.starts_with("period")) {
                const auto inner = layerByLayer(run.get());
                out.insert(out.end(), inner.begin(), inner.end());
            } else {
                out.push_back(run.get());
            }
        }
    }
    return out;
}

} // namespace

class TestGemma4 : public QObject {
    Q_OBJECT
private slots:
    void totals_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<qint64>("active");
        QTest::addColumn<qint64>("nonEmbedding");
        const Count V = 262144;
        {
            // E2B: E 1536, F 6144, 35 layers (four sliding then a full one, seven times), 8 heads,
            // 1 key head of 256 (full layers: 512), per-layer inputs of 256; the last 20 layers
            // share, with MLPs twice as wide. Layers 0–14: 12 sliding, 3 full; 15–34: 16 and 4.
            const Count E = 1536, F = 6144, Pl = 256, L = 35;
            const Count layers = 12 * textLayer(E, 8, 1, 256, F, Pl, false) + 3 * textLayer(E, 8, 1, 512, F, Pl, false)
                + 16 * textLayer(E, 8, 1, 256, 2 * F, Pl, true) + 4 * textLayer(E, 8, 1, 512, 2 * F, Pl, true);
            // embed_tokens V·E, the per-layer table V·(L·Pl), its projection E·(L·Pl) and norm Pl,
            // the final norm E; the towers and their projections 768·E and 1536·E.
            const Count embeddings = V * E + V * L * Pl;
            const Count total = layers + embeddings + E * L * Pl + Pl + E + kSmallVision + kAudio + 768 * E + 1536 * E;
            QTest::newRow("E2B") << QString::fromLatin1(kE2B) << qint64(total) << qint64(total)
                                 << qint64(total - embeddings);
        }
        {
            // E4B: E 2560, F 10240, 42 layers (five sliding then a full one), 2 key heads, the last
            // 18 share (MLPs not widened). Layers 0–23: 20 sliding, 4 full; 24–41: 15 and 3.
            const Count E = 2560, F = 10240, Pl = 256, L = 42;
            const Count layers = 20 * textLayer(E, 8, 2, 256, F, Pl, false) + 4 * textLayer(E, 8, 2, 512, F, Pl, false)
                + 15 * textLayer(E, 8, 2, 256, F, Pl, true) + 3 * textLayer(E, 8, 2, 512, F, Pl, true);
            const Count embeddings = V * E + V * L * Pl;
            const Count total = layers + embeddings + E * L * Pl + Pl + E + kSmallVision + kAudio + 768 * E + 1536 * E;
            QTest::newRow("E4B") << QString::fromLatin1(kE4B) << qint64(total) << qint64(total)
                                 << qint64(total - embeddings);
        }
        {
            // 26B-A4B: E 2816, 30 layers (25 sliding, 5 full), 16 heads, 8 key heads of 256; full
            // layers: 2 key heads of 512 and no v_proj (attention_k_eq_v). Each layer keeps the
            // dense MLP (F 2112, the shared expert) beside 128 experts of 704 (gate_up 2·704·2816
            // and down 2816·704 each, 8 per token), the router (proj 2816·128, scale 2816,
            // per_expert_scale 128) and three more norms.
            const Count E = 2816, X = 128, Xk = 8, Fx = 704;
            const Count expert = 3 * Fx * E;
            const Count moe = X * expert + E * X + E + X + 3 * E;
            const Count sliding = textLayer(E, 16, 8, 256, 2112, 0, false) + moe;
            const Count full = E * 16 * 512 + E * 2 * 512 + 16 * 512 * E + 2 * 512 + 3 * E * 2112 + 4 * E + moe;
            // The large vision tower: 1152 wide, 27 layers of 16 heads of 72, MLP 4304.
            const Count vision = 3 * 256 * 1152 + 2 * 10240 * 1152
                + 27 * (4 * Count(1152) * 1152 + 2 * 72 + 3 * Count(1152) * 4304 + 4 * 1152);
            const Count total = 25 * sliding + 5 * full + V * E + E + vision + 1152 * E;
            QTest::newRow("26B-A4B") << QString::fromLatin1(kMoe) << qint64(total)
                                     << qint64(total - 30 * (X - Xk) * expert) << qint64(total - V * E);
        }
    }
    void totals()
    {
        QFETCH(QString, config);
        QFETCH(qint64, total);
        QFETCH(qint64, active);
        QFETCH(qint64, nonEmbedding);
        const Evaluation e = evaluated(load(dataPath(qPrintable(config))));
        QCOMPARE(e.total, Count(total));
        QCOMPARE(e.active, Count(active));
        QCOMPARE(e.nonEmbedding, Count(nonEmbedding));
    }

    void sharingLayers()
    {
        // E2B's layer 15 (the first sharing one, sliding): no k_proj, v_proj or k_norm, an MLP of
        // 2·6144; layer 14 (full, its own keys): all of them.
        const Counted c = counted(load(dataPath(kE2B)));
        QVERIFY(!c.design.symbol("L"));
        const std::vector<const Module*> stack = layerByLayer(c.design.find("model.language_model.layers"));
        QCOMPARE(stack.size(), std::size_t(35));
        const Module* lastOwn = stack[14];
        const Module* firstShared = stack[15];
        QVERIFY(lastOwn && firstShared && lastOwn != firstShared);
        auto names = [](const Module* layer) {
            QStringList out;
            for (const auto& m : layer->children[0]->children)
                out << QString::fromStdString(m->name);
            return out;
        };
        QCOMPARE(names(firstShared).join(u','), QStringLiteral("q_proj,q_norm,o_proj"));
        QCOMPARE(names(lastOwn).join(u','), QStringLiteral("q_proj,q_norm,k_norm,k_proj,v_proj,o_proj"));
        const auto& e = c.evaluation;
        QCOMPARE(e.nodes[static_cast<std::size_t>(firstShared->children[1]->index)].each, 3 * Count(1536) * 2 * 6144);
        QVERIFY(hasNote(c.design, QStringLiteral("reuse the keys and values")));
        QVERIFY(hasNote(c.design, QStringLiteral("clip bounds")));
        // L is fixed by the list and the sharing: --set says why.
        Design d = c.design;
        QVERIFY(!applySetting(d, "text_config.num_hidden_layers", 36).ok());
    }

    void kvCache()
    {
        // At 8192 tokens × batch 1 in bf16: only the 15 layers with keys of their own cache; E2B's
        // 12 sliding ones hold their last 512 tokens of k and v (2·1·256 values), the 3 full ones
        // all 8192 (2·1·512). The sharing layers, the vision and the audio tower cache nothing.
        const Design d = load(dataPath(kE2B));
        const Evaluation e = evaluated(d);
        auto groups = attentionGroups(d, e);
        QVERIFY2(groups.ok(), groups.ok() ? "" : groups.error().text().c_str());
        auto kv = kvCacheBytes(*groups, 8192, 1, *parseDataType("bf16"));
        QVERIFY(kv.ok());
        QCOMPARE(*kv, Count(2 * (12 * 2 * 256 * 512 + 3 * 2 * 512 * Count(8192))));
    }

    void audioTower()
    {
        const Counted c = counted(load(dataPath(kE2B)));
        QCOMPARE(at(c, "model.audio_tower").count, kAudio);
        QCOMPARE(at(c, "model.embed_audio").count, Count(1536) * 1536);
        QCOMPARE(formulaAt(c, "model.audio_tower.layers.*.self_attn.per_dim_scale").each, std::string("Ea/Ha"));
        const auto parts = breakdown(c.design, components(c.design), c.evaluation);
        QVERIFY(parts.ok());
        QCOMPARE((*parts)[static_cast<std::size_t>(Component::Audio)], kAudio);
        // A config without audio_config builds no tower (the 26B-A4B).
        QVERIFY(!load(dataPath(kMoe)).find("model.audio_tower"));
        // The defaults of Gemma4AudioConfig are the E2B tower's: an empty audio_config counts the same.
        nlohmann::json j = readConfig(kE2B);
        j["audio_config"] = nlohmann::json::object();
        auto defaults = inlineConfig(j);
        QVERIFY2(defaults.ok(), defaults.ok() ? "" : defaults.error().text().c_str());
        QCOMPARE(evaluated(*defaults).total, c.evaluation.total);
    }

    void sharingByRule()
    {
        // Without layer_types the class's rule (layer l full when (l + 1) % 6 == 0, the last one
        // full) with the last 2 of 8 layers sharing: 0–4 sliding, 5 full, 6 sliding-shared,
        // 7 full-shared. Small sizes: E 8, H 2, K 1, D 4, Dg 8, F 16, V 10, no per-layer inputs.
        const nlohmann::json j = { { "model_type", "gemma4_text" }, { "vocab_size", 10 }, { "hidden_size", 8 },
            { "intermediate_size", 16 }, { "num_hidden_layers", 8 }, { "num_attention_heads", 2 },
            { "num_key_value_heads", 1 }, { "head_dim", 4 }, { "global_head_dim", 8 },
            { "hidden_size_per_layer_input", 0 }, { "num_kv_shared_layers", 2 } };
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        const Count total = 5 * textLayer(8, 2, 1, 4, 16, 0, false) + textLayer(8, 2, 1, 8, 16, 0, false)
            + textLayer(8, 2, 1, 4, 16, 0, true) + textLayer(8, 2, 1, 8, 16, 0, true) + 10 * 8 + 8;
        QCOMPARE(evaluated(*d).total, total);
        QVERIFY(!d->symbol("L"));
        // 2^31 layers, the last million sharing: built from the rule's runs, not layer by layer.
        nlohmann::json huge = j;
        huge["num_hidden_layers"] = Count(1) << 31;
        huge["num_kv_shared_layers"] = 1000000;
        QElapsedTimer timer;
        timer.start();
        auto big = inlineConfig(huge);
        QVERIFY2(big.ok(), big.ok() ? "" : big.error().text().c_str());
        QVERIFY(big->nodes().size() < 200);
        QVERIFY(evaluate(*big).ok());
        QVERIFY(timer.elapsed() < 5000);
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        auto row = [](const char* tag, const nlohmann::json& j, const char* message) {
            QTest::newRow(tag) << QByteArray::fromStdString(j.dump()) << QString::fromLatin1(message);
        };
        nlohmann::json j = readConfig(kE2B);
        j["text_config"]["num_kv_shared_layers"] = 35;
        row("all layers share", j,
            "text_config.num_kv_shared_layers: 35 must be less than text_config.num_hidden_layers");
        j = readConfig(kE2B);
        j["text_config"]["num_kv_shared_layers"] = -1;
        row("negative sharing", j, "text_config.num_kv_shared_layers");
        j = readConfig(kE2B);
        j["text_config"]["layer_types"] = std::vector<std::string>(34, "sliding_attention");
        j["text_config"]["layer_types"].push_back("full_attention");
        row("no full layer to share from", j,
            "text_config.num_kv_shared_layers: the last 20 layers reuse the keys and values of an earlier "
            "full_attention layer, but no earlier layer is one");
        j = readConfig(kMoe);
        j["text_config"].erase("num_experts");
        row("moe without experts", j, "text_config.num_experts");
        j = readConfig(kMoe);
        j["text_config"]["top_k_experts"] = 129;
        row("more experts per token than experts", j, "text_config.top_k_experts must not exceed");
        j = readConfig(kE2B);
        j["audio_config"]["subsampling_conv_channels"] = { 128 };
        row("one channel count", j, "audio_config.subsampling_conv_channels: expected two channel counts");
        j["audio_config"]["subsampling_conv_channels"] = { 130, 32 };
        row("channels not a multiple of 4", j, "audio_config.subsampling_conv_channels[0] must be a multiple of 4");
        j["audio_config"]["subsampling_conv_channels"] = { 128, 0 };
        row("no channels", j, "audio_config.subsampling_conv_channels[1]: must be at least 1");
        j["audio_config"]["subsampling_conv_channels"] = "128,32";
        row("channels not a list", j, "audio_config.subsampling_conv_channels: expected a list of integers");
        j = readConfig(kE2B);
        j["audio_config"]["num_attention_heads"] = 7;
        row("audio heads", j, "audio_config.hidden_size must be a multiple of audio_config.num_attention_heads");
        j = readConfig(kE2B);
        j["audio_config"] = 5;
        row("audio config not an object", j, "audio_config: expected an object");
    }
    void badInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const QString error = failure(nlohmann::json::parse(json.toStdString()));
        QVERIFY2(error.contains(message), qPrintable(error));
    }
};

QTEST_APPLESS_MAIN(TestGemma4)
#include "tst_gemma4.moc"

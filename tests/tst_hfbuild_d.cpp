// SPDX-License-Identifier: MIT
// The Hugging Face importers of issue 15, beyond decoder-only transformers: T5/mT5/UMT5 and
// BART/mBART (encoder, decoder, cross-attention), Mamba/Mamba-2 (state-space mixers), Falcon (with
// its original RefinedWeb configs), Cohere, StarCoder2, Qwen2-MoE, OLMoE, Granite(MoE), PhiMoE, and
// --as for an unknown model_type. Published totals are in tst_hfimport (tests/data/hf-beyond);
// every expected number here is derived by hand in the test from the modeling code.
#include "clirun.h"
#include "designio.h"
#include "sizingreport.h"
#include "testutil.h"

#include <QtTest>

using namespace paramscope::core;
using namespace paramscope::test;

namespace {

nlohmann::json readJson(const std::string& path)
{
    auto text = readFile(path);
    if (!text)
        qFatal("%s", text.error().text().c_str());
    return nlohmann::json::parse(*text);
}

std::string beyond(const char* file)
{
    return dataPath(std::string("hf-beyond/") + file);
}

// ---- Hand derivations (modeling_*.py of each family; shapes from the configs in hf-beyond) ----

// Phi-3.5-MoE: V 32064, E 4096, L 32, H 32, K 8 (D 128), 16 experts of width 6400, attention and
// head biases, LayerNorms with bias, untied head.
constexpr Count kPhiAttention = (4096LL * 4096 + 4096) * 2 + (4096LL * 1024 + 1024) * 2; // q, o; k, v
constexpr Count kPhiMoe = 4096LL * 16 + 16 * 3 * 4096LL * 6400; // router; w1, w2, w3 of each expert
constexpr Count kPhiLayer = kPhiAttention + kPhiMoe + 2 * 2 * 4096; // + two LayerNorms (weight, bias)
constexpr Count kPhiTotal = 32 * kPhiLayer + 32064LL * 4096 + (4096LL * 32064 + 32064) + 2 * 4096;
static_assert(kPhiTotal == 41873153344LL); // "42B" on the model card

// granite-3.0-1b-a400m: V 49155, E 1024, L 24, H 16, K 8 (D 64), 32 experts of width 512 stacked
// in input_linear [X, 2F, E] and output_linear [X, E, F], router Linear(E, X), tied head.
constexpr Count kGraniteMoeLayer
    = (1024LL * 1024 * 2 + 1024LL * 512 * 2) + (32LL * 1024 * 1024 + 32LL * 1024 * 512) + 1024LL * 32 + 2 * 1024;
constexpr Count kGraniteMoeTotal = 24 * kGraniteMoeLayer + 49155LL * 1024 + 1024;

// mbart-large-cc25: V 250027, P 1024 (+2 offset rows), E 1024, 12 + 12 layers, FFN 4096, biases
// everywhere, layernorm_embedding and a final layer_norm per stack, tied head.
constexpr Count kMbartAttention = 4 * (1024LL * 1024 + 1024);
constexpr Count kMbartFfn = 1024LL * 4096 + 4096 + 4096LL * 1024 + 1024;
constexpr Count kMbartEncoderLayer = kMbartAttention + kMbartFfn + 2 * 2048;
constexpr Count kMbartDecoderLayer = 2 * kMbartAttention + kMbartFfn + 3 * 2048;
constexpr Count kMbartStackExtras = 1026LL * 1024 + 2 * 2048; // positions, layernorm_embedding, layer_norm
constexpr Count kMbartTotal
    = 250027LL * 1024 + 12 * kMbartEncoderLayer + 12 * kMbartDecoderLayer + 2 * kMbartStackExtras;

// umt5-small: V 256384, E 512, D 64, H 6, F 1024 gated, 8 + 8 layers, a relative bias of 32
// buckets × 6 heads in every self-attention (UMT5), untied head.
constexpr Count kUmt5Attention = 4 * 512LL * 384;
constexpr Count kUmt5Ffn = 3 * 512LL * 1024;
constexpr Count kUmt5Encoder = 8 * (kUmt5Attention + 32 * 6 + 512 + kUmt5Ffn + 512) + 512;
constexpr Count kUmt5Decoder = 8 * (kUmt5Attention + 32 * 6 + 512 + kUmt5Attention + 512 + kUmt5Ffn + 512) + 512;
constexpr Count kUmt5Total = 2 * 256384LL * 512 + kUmt5Encoder + kUmt5Decoder;

// t5-base: E 768, H 12, D 64, F 3072, 12 + 12 layers, 32 buckets.
constexpr Count kT5BaseCross = 12 * 4 * 768LL * 768; // EncDecAttention q, k, v, o in every decoder layer
// mamba-130m: E 768, d_inner 1536, N 16, conv 4, rank 48, 24 layers.
constexpr Count kMambaMixer
    = 768LL * 3072 + (1536 * 4 + 1536) + 1536LL * (48 + 32) + (48 * 1536 + 1536) + 1536 * 16 + 1536 + 1536LL * 768;

} // namespace

class TestHfBuildD : public QObject {
    Q_OBJECT
private slots:
    void handDerivedTotals_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<qint64>("total");
        QTest::newRow("phimoe") << QString::fromStdString(beyond("microsoft__Phi-3.5-MoE-instruct.json"))
                                << qint64(kPhiTotal);
        QTest::newRow("granitemoe") << QString::fromStdString(beyond("ibm-granite__granite-3.0-1b-a400m-base.json"))
                                    << qint64(kGraniteMoeTotal);
        QTest::newRow("mbart") << QString::fromStdString(beyond("facebook__mbart-large-cc25.json"))
                               << qint64(kMbartTotal);
        QTest::newRow("umt5") << QString::fromStdString(beyond("google__umt5-small.json")) << qint64(kUmt5Total);
    }
    void handDerivedTotals()
    {
        QFETCH(QString, config);
        QFETCH(qint64, total);
        const Design d = load(config.toStdString());
        QCOMPARE(evaluated(d).total, total);
    }

    void activeCounts()
    {
        // Phi-3.5-MoE runs 2 of its 16 experts per token.
        const Evaluation phi = evaluated(load(beyond("microsoft__Phi-3.5-MoE-instruct.json")));
        QCOMPARE(phi.active, kPhiTotal - 32 * 14 * 3 * 4096LL * 6400);
        // granite-3.0-1b-a400m: 8 of 32 stacked experts ("a400m": about 400M active).
        const Evaluation granite = evaluated(load(beyond("ibm-granite__granite-3.0-1b-a400m-base.json")));
        QCOMPARE(granite.active, kGraniteMoeTotal - 24 * 24 * (1024LL * 1024 + 1024LL * 512));
    }

    void paths_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("className");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("type"); // empty: the path must not exist
        auto row = [](const char* tag, const char* config, const char* cls, const char* path, const char* type) {
            QTest::newRow(tag) << QString::fromStdString(beyond(config)) << QString::fromLatin1(cls)
                               << QString::fromLatin1(path) << QString::fromLatin1(type);
        };
        const char* t5 = "google-t5__t5-base.json";
        row("t5 shared", t5, "", "shared", "Embedding");
        row("t5 rel bias", t5, "", "encoder.block.*.layer.0.SelfAttention.relative_attention_bias", "Embedding");
        row("t5 q", t5, "", "encoder.block.*.layer.0.SelfAttention.q", "Linear");
        row("t5 ff", t5, "", "encoder.block.*.layer.1.DenseReluDense.wi", "Linear");
        row("t5 cross", t5, "", "decoder.block.*.layer.1.EncDecAttention", "T5Attention");
        row("t5 dec ff", t5, "", "decoder.block.*.layer.2.DenseReluDense.wo", "Linear");
        row("t5 final norm", t5, "", "decoder.final_layer_norm", "T5LayerNorm");
        row("t5 head", t5, "", "lm_head", "Linear");
        row("t5 bare no head", t5, "T5Model", "lm_head", "");
        row("t5 encoder only", t5, "T5EncoderModel", "decoder", "");
        row("flan gated", "google__flan-t5-small.json", "", "encoder.block.*.layer.1.DenseReluDense.wi_1", "Linear");
        row("bart positions", "facebook__bart-base.json", "", "encoder.embed_positions",
            "BartLearnedPositionalEmbedding");
        row("bart cross", "facebook__bart-base.json", "", "decoder.layers.*.encoder_attn.k_proj", "Linear");
        row("bart no final norm", "facebook__bart-base.json", "", "encoder.layer_norm", "");
        row("mbart final norm", "facebook__mbart-large-cc25.json", "", "model.encoder.layer_norm", "LayerNorm");
        row("mamba conv", "state-spaces__mamba-130m-hf.json", "", "backbone.layers.*.mixer.conv1d", "Conv1d");
        row("mamba A_log", "state-spaces__mamba-130m-hf.json", "", "backbone.layers.*.mixer.A_log", "Parameter");
        row("mamba dt_proj", "state-spaces__mamba-130m-hf.json", "", "backbone.layers.*.mixer.dt_proj", "Linear");
        row("mamba2 dt_bias", "mistralai__Mamba-Codestral-7B-v0.1.json", "", "backbone.layers.*.mixer.dt_bias",
            "Parameter");
        row("mamba2 gated norm", "mistralai__Mamba-Codestral-7B-v0.1.json", "", "backbone.layers.*.mixer.norm",
            "MambaRMSNormGated");
        row("falcon qkv", "tiiuae__falcon-7b.json", "", "transformer.h.*.self_attention.query_key_value",
            "FalconLinear");
        row("falcon one norm", "tiiuae__falcon-7b.json", "", "transformer.h.*.input_layernorm", "LayerNorm");
        row("falcon no second norm", "tiiuae__falcon-7b.json", "", "transformer.h.*.post_attention_layernorm", "");
        row("falcon-40b ln_attn", "tiiuae__falcon-40b.json", "", "transformer.h.*.ln_attn", "LayerNorm");
        row("falcon-40b ln_mlp", "tiiuae__falcon-40b-RefinedWeb.json", "", "transformer.h.*.ln_mlp", "LayerNorm");
        row("falcon-rw sequential", "tiiuae__falcon-rw-1b.json", "", "transformer.h.*.post_attention_layernorm",
            "LayerNorm");
        row("qwen2moe shared", "Qwen__Qwen1.5-MoE-A2.7B.json", "", "model.layers.*.mlp.shared_expert.gate_proj",
            "Linear");
        row("qwen2moe shared gate", "Qwen__Qwen1.5-MoE-A2.7B.json", "", "model.layers.*.mlp.shared_expert_gate",
            "Linear");
        row("olmoe q_norm", "allenai__OLMoE-1B-7B-0924.json", "", "model.layers.*.self_attn.q_norm", "OlmoeRMSNorm");
        row("cohere one norm", "CohereLabs__aya-23-8B.json", "", "model.layers.*.input_layernorm", "CohereLayerNorm");
        row("cohere no second norm", "CohereLabs__aya-23-8B.json", "", "model.layers.*.post_attention_layernorm", "");
        row("starcoder2 c_fc", "bigcode__starcoder2-3b.json", "", "model.layers.*.mlp.c_fc", "Linear");
        row("granitemoe input_linear", "ibm-granite__granite-3.0-1b-a400m-base.json", "",
            "model.layers.*.block_sparse_moe.input_linear.weight", "Parameter");
        row("granitemoe router", "ibm-granite__granite-3.0-1b-a400m-base.json", "",
            "model.layers.*.block_sparse_moe.router.layer", "Linear");
        row("phimoe expert", "microsoft__Phi-3.5-MoE-instruct.json", "", "model.layers.*.block_sparse_moe.experts.*.w3",
            "Linear");
    }
    void paths()
    {
        QFETCH(QString, config);
        QFETCH(QString, className);
        QFETCH(QString, path);
        QFETCH(QString, type);
        const Design d = load(config.toStdString(), className.toStdString());
        std::string p = path.toStdString();
        // BartModel (bart-base's class) has no "model." wrapper.
        const Module* m = d.find(p);
        if (type.isEmpty()) {
            QVERIFY2(!m, qPrintable(path));
            return;
        }
        QVERIFY2(m, qPrintable(path));
        QCOMPARE(QString::fromStdString(m->type), type);
    }

    void t5RelativeBiasInFirstLayerOnly()
    {
        const Design d = load(beyond("google-t5__t5-base.json"));
        const Evaluation e = evaluated(d);
        for (const char* stack : { "encoder.block", "decoder.block" }) {
            const Module* blocks = d.find(stack);
            QVERIFY(blocks);
            QCOMPARE(blocks->children.size(), std::size_t(2)); // the first layer, then the others
            QCOMPARE(e.nodes[static_cast<std::size_t>(blocks->children[0]->index)].repeat, Count(1));
            QCOMPARE(e.nodes[static_cast<std::size_t>(blocks->children[1]->index)].repeat, Count(11));
            // The first entry has the bias (32 buckets × 12 heads), the others none.
            const auto& first = e.nodes[static_cast<std::size_t>(blocks->children[0]->index)];
            const auto& rest = e.nodes[static_cast<std::size_t>(blocks->children[1]->index)];
            QCOMPARE(first.each - rest.each, Count(32 * 12));
        }
        // One layer per stack: the others' run is empty, and the count follows.
        const Design one = applied(d, { { "L", 1 }, { "Ld", 1 } });
        const Evaluation e1 = evaluated(one);
        QCOMPARE(e.total - e1.total, 11 * 7079424LL * 2 + 11 * (4 * 768LL * 768 + 768)); // enc + dec layers
    }

    void t5TieRule()
    {
        // t5-base ties: lm_head shares shared's weight; flan-t5 (tie_word_embeddings false) does not.
        const Design base = load(beyond("google-t5__t5-base.json"));
        QCOMPARE(QString::fromStdString(base.find("lm_head")->tiedTo), QStringLiteral("shared"));
        const Design flan = load(beyond("google__flan-t5-small.json"));
        QVERIFY(flan.find("lm_head")->tiedTo.empty());
        // encoder/decoder embed_tokens always share the one embedding.
        QCOMPARE(QString::fromStdString(flan.find("encoder.embed_tokens")->tiedTo), QStringLiteral("shared"));
        // T5Model (no head) of t5-base = total − 0 (the head is tied), of flan-t5-small = total − V·E.
        QCOMPARE(evaluated(load(beyond("google__flan-t5-small.json"), "T5Model")).total, 76961152LL - 32128LL * 512);
    }

    void breakdownRoles()
    {
        const Counted t5 = counted(load(beyond("google-t5__t5-base.json")));
        const auto kinds = components(t5.design);
        auto parts = breakdown(t5.design, kinds, t5.evaluation);
        QVERIFY(parts.ok());
        QCOMPARE((*parts)[static_cast<std::size_t>(Component::CrossAttention)], kT5BaseCross);
        const Counted mamba = counted(load(beyond("state-spaces__mamba-130m-hf.json")));
        auto m = breakdown(mamba.design, components(mamba.design), mamba.evaluation);
        QVERIFY(m.ok());
        QCOMPARE((*m)[static_cast<std::size_t>(Component::Ssm)], 24 * kMambaMixer);
        QCOMPARE((*m)[static_cast<std::size_t>(Component::Attention)], Count(0));
        QCOMPARE(componentName(Component::CrossAttention), std::string_view("cross_attention"));
        QCOMPARE(parseComponent("ssm"), std::optional<Component>(Component::Ssm));
    }

    void mambaSizingHasNoKvCache()
    {
        const Counted c = counted(load(beyond("state-spaces__mamba-130m-hf.json")));
        MemoryOptions o;
        o.context = 2048;
        o.batch = 4;
        auto r = memoryReport(c, o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().text().c_str());
        QVERIFY(r->attention.empty());
        QCOMPARE(r->kvPerToken, Count(0));
        QCOMPARE(r->kvBytes, Count(0));
        // MambaCache per layer: conv state d_inner × conv_kernel and SSM state d_inner × N, in bf16.
        QCOMPARE(r->statePerSequence, 24 * (1536LL * 4 + 1536LL * 16) * 2);
        QCOMPARE(r->stateBytes, 4 * r->statePerSequence);
        // Mamba-2 (Codestral): conv over d_inner + 2·G·N channels, SSM state heads × head_dim × N.
        const Counted c2 = counted(load(beyond("mistralai__Mamba-Codestral-7B-v0.1.json")));
        auto r2 = memoryReport(c2, o);
        QVERIFY(r2.ok());
        QCOMPARE(r2->statePerSequence, 64 * ((8192LL + 2 * 8 * 128) * 4 + 128LL * 64 * 128) * 2);
        QVERIFY(memoryOutput(*r, Format::Text).find("SSM state") != std::string::npos);
    }

    void encoderDecoderCache()
    {
        // t5-base has no P: the context is given. The decoder's self-attention caches k and v
        // (H·D = 768 each) per generated token in each of 12 layers; the cross-attention k and v of
        // every encoder token in each of 12 layers; the encoder caches nothing.
        const Counted t5 = counted(load(beyond("google-t5__t5-base.json")));
        MemoryOptions o;
        o.context = 512;
        auto r = memoryReport(t5, o);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().text().c_str());
        QCOMPARE(r->kvPerToken, 12LL * 2 * 768 * 2);
        QCOMPARE(r->kvBytes, 512 * r->kvPerToken);
        QCOMPARE(r->crossPerToken, 12LL * 2 * 768 * 2);
        QCOMPARE(r->crossBytes, 512 * r->crossPerToken);
        // The first decoder layer and the other eleven are one group of 12.
        QCOMPARE(r->cross.size(), std::size_t(1));
        QCOMPARE(r->cross[0].layers, Count(12));
        QCOMPARE(r->fits[0].inference, r->weights.bytes + r->kvBytes + r->crossBytes);
        // BART-base: P = 1024 is the default context; 6 decoder layers.
        const Counted bart = counted(load(beyond("facebook__bart-base.json")));
        auto b = memoryReport(bart, {});
        QVERIFY(b.ok());
        QCOMPARE(b->kvBytes, 1024 * 6LL * 2 * 768 * 2);
        QCOMPARE(b->crossBytes, 1024 * 6LL * 2 * 768 * 2);
        // An encoder alone (T5EncoderModel) generates nothing.
        const Counted enc = counted(load(beyond("google-t5__t5-base.json"), "T5EncoderModel"));
        auto e = memoryReport(enc, o);
        QVERIFY(e.ok());
        QCOMPARE(e->kvBytes, Count(0));
        QVERIFY(e->cross.empty());
    }

    void falconKvCache_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<qint64>("perToken");
        // bf16, k and v: multi-query (one head of 64), 8 groups of 64, and multi-head (E = 2048).
        QTest::newRow("7b") << QString::fromStdString(beyond("tiiuae__falcon-7b.json")) << qint64(32LL * 2 * 64 * 2);
        QTest::newRow("40b") << QString::fromStdString(beyond("tiiuae__falcon-40b.json"))
                             << qint64(60LL * 2 * 8 * 64 * 2);
        QTest::newRow("40b RefinedWeb") << QString::fromStdString(beyond("tiiuae__falcon-40b-RefinedWeb.json"))
                                        << qint64(60LL * 2 * 8 * 64 * 2);
        QTest::newRow("rw-1b") << QString::fromStdString(beyond("tiiuae__falcon-rw-1b.json"))
                               << qint64(24LL * 2 * 2048 * 2);
    }
    void falconKvCache()
    {
        QFETCH(QString, config);
        QFETCH(qint64, perToken);
        auto r = memoryReport(counted(load(config.toStdString())), {});
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().text().c_str());
        QCOMPARE(r->kvPerToken, perToken);
    }

    void qwen2MoeSparseStep()
    {
        // decoder_sparse_step 2: layers 1, 3, 5 … are sparse (Qwen2MoeDecoderLayer: (l + 1) % 2 == 0).
        nlohmann::json j = readJson(beyond("Qwen__Qwen1.5-MoE-A2.7B.json"));
        j["decoder_sparse_step"] = 2;
        auto d = inlineConfig(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        const Evaluation e = evaluated(*d);
        // A sparse layer's mlp holds the router, the experts, the shared expert and its gate.
        auto kind = [](const Module& m) { return m.children[1]->children.size() == 4 ? 'S' : 'd'; };
        std::string alternating;
        for (int l = 0; l < 24; ++l)
            alternating += (l + 1) % 2 == 0 ? 'S' : 'd';
        QCOMPARE(expandedLayers(*d, e, "model.layers", "Qwen2MoeDecoderLayer", kind), alternating);
        // mlp_only_layers [0, 5]: those two dense, and L is fixed.
        j["decoder_sparse_step"] = 1;
        j["mlp_only_layers"] = { 0, 5 };
        auto listed = inlineConfig(j);
        QVERIFY(listed.ok());
        QCOMPARE(expandedLayers(*listed, evaluated(*listed), "model.layers", "Qwen2MoeDecoderLayer", kind),
            std::string("dSSSSdSSSSSSSSSSSSSSSSSS"));
        QVERIFY(!listed->symbol("L"));
        // Each dense layer instead of a sparse one: a Qwen2MoeMLP of width 5632 instead of router,
        // 60 experts of 1408, the shared expert of 5632 and its gate.
        const Count sparse = 2048LL * 60 + 60 * 3 * 2048LL * 1408 + 3 * 2048LL * 5632 + 2048;
        const Count dense = 3 * 2048LL * 5632;
        QCOMPARE(evaluated(*listed).total, 14315784192LL - 2 * (sparse - dense));
    }

    void cohere2Windows()
    {
        // sliding_window_pattern 4: layers 3, 7, … attend fully, the others through 4096 tokens.
        auto r = memoryReport(counted(load(beyond("CohereLabs__c4ai-command-r7b-12-2024.json"))), {});
        QVERIFY(r.ok());
        // At the full 8192-token context: 24 windowed layers hold 4096 tokens, 8 full ones 8192.
        QCOMPARE(r->kvBytes, (24LL * 4096 + 8LL * 8192) * 2 * 8 * 128 * 2);
    }

    void asFamily()
    {
        // A config of a model_type ParamScope does not know, with Llama's layout.
        nlohmann::json j = readJson(dataPath("hf-configs/meta-llama__Meta-Llama-3-8B.json"));
        j["model_type"] = "my_llama";
        j["architectures"] = { "MyLlamaForCausalLM" };
        QVERIFY(failure(j).contains(QStringLiteral("'my_llama' is not supported")));
        auto d = paramscope::core::loadText(j.dump(), "inline.json", { "", "llama" });
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QCOMPARE(evaluated(*d).total, 8030261248LL); // Llama 3 8B's published total
        QCOMPARE(QString::fromStdString(d->className), QStringLiteral("LlamaForCausalLM"));
        QVERIFY(hasNote(*d, QStringLiteral("model_type 'my_llama' counted as llama (--as llama)")));
        QVERIFY(QString::fromStdString(d->source).contains(QStringLiteral("counted as llama")));
        // Unknown family, and --as on a type that is known itself, are refused naming --as.
        auto bad = paramscope::core::loadText(j.dump(), "inline.json", { "", "lama" });
        QVERIFY(!bad.ok() && bad.error().text().find("--as") != std::string::npos);
        j["model_type"] = "mistral";
        auto known = paramscope::core::loadText(j.dump(), "inline.json", { "", "llama" });
        QVERIFY(!known.ok() && known.error().text().find("supported itself") != std::string::npos);
    }

    void asFamilyCli()
    {
        QTemporaryDir dir;
        nlohmann::json j = readJson(beyond("bigcode__starcoder2-3b.json"));
        j["model_type"] = "starcoder2_custom";
        const QString path = dir.filePath(QStringLiteral("config.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(j.dump()));
        f.close();
        const Run fails = cli({ QStringLiteral("count"), path });
        QCOMPARE(fails.exitCode, 2);
        const Run r = cli({ QStringLiteral("count"), path, QStringLiteral("--as"), QStringLiteral("starcoder2"),
            QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const auto out = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(out["total"].get<Count>(), 3030371328LL);
        QVERIFY(QString::fromStdString(out.dump()).contains(QStringLiteral("counted as starcoder2")));
    }

    void conv1dDesignFile()
    {
        // Conv1d(in, out, kernel, groups, bias): out · in/groups · kernel (+ out); groups defaults to 1.
        const nlohmann::json j = {
            { "format", "paramscope-design" },
            { "version", 1 },
            { "name", "conv" },
            { "hyperparameters", { { { "name", "C" }, { "value", 6 } } } },
            { "tree",
                { { "module", "Net" },
                    { "children",
                        { { { "name", "depthwise" }, { "module", "Conv1d" },
                              { "args",
                                  { { "in", "C" }, { "out", "C" }, { "kernel", 4 }, { "groups", "C" },
                                      { "bias", true } } } },
                            { { "name", "full" }, { "module", "Conv1d" },
                                { "args",
                                    { { "in", "C" }, { "out", 8 }, { "kernel", 3 }, { "bias", false } } } } } } } },
        };
        auto d = designFromJson(j);
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        const Evaluation e = evaluated(*d);
        QCOMPARE(e.total, (6 * 1 * 4 + 6) + (8 * 6 * 3));
        // Written and read back, the same design.
        auto again = designFromJson(nlohmann::json::parse(designToJson(*d)));
        QVERIFY(again.ok());
        QCOMPARE(evaluated(*again).total, e.total);
        // groups that do not divide in: an error naming the module.
        auto odd = applied(*d, { { "C", 7 } });
        auto bad = paramscope::core::evaluate(odd);
        QVERIFY(bad.ok()); // depthwise: 7 groups of 7 channels
        nlohmann::json k = j;
        k["tree"]["children"][0]["args"]["groups"] = 4;
        auto d4 = designFromJson(k);
        QVERIFY(d4.ok());
        auto e4 = paramscope::core::evaluate(*d4);
        QVERIFY(!e4.ok());
        QVERIFY(e4.error().text().find("depthwise") != std::string::npos);
        QVERIFY(e4.error().text().find("not divisible by groups") != std::string::npos);
    }

    void classDefaults_data()
    {
        QTest::addColumn<QString>("modelType");
        QTest::addColumn<qint64>("total");
        // T5Config: t5-small (V 32128, E 512, H 8, D 64, F 2048 relu, 6 + 6 layers), tied head.
        constexpr Count t5Layer = 4 * 512LL * 512 + 512 + 2 * 512LL * 2048 + 512;
        constexpr Count t5Small
            = 32128LL * 512 + (6 * t5Layer + 32 * 8 + 512) + (6 * (t5Layer + 4 * 512LL * 512 + 512) + 32 * 8 + 512);
        static_assert(t5Small == 60506624LL); // t5-small's published size
        QTest::newRow("t5") << QStringLiteral("t5") << qint64(t5Small);
        // MT5Config: mt5-small (V 250112, E 512, H 6, D 64, F 1024 gated-gelu, 8 + 8 layers), untied.
        constexpr Count mt5Layer = 4 * 512LL * 384 + 512 + 3 * 512LL * 1024 + 512;
        constexpr Count mt5Small = 2 * 250112LL * 512 + (8 * mt5Layer + 32 * 6 + 512)
            + (8 * (mt5Layer + 4 * 512LL * 384 + 512) + 32 * 6 + 512);
        QTest::newRow("mt5") << QStringLiteral("mt5") << qint64(mt5Small);
        // BartConfig: bart-large's shape (V 50265, P 1024, E 1024, 12 + 12 layers, FFN 4096), tied.
        constexpr Count bartAttention = 4 * (1024LL * 1024 + 1024);
        constexpr Count bartFfn = 1024LL * 4096 + 4096 + 4096LL * 1024 + 1024;
        constexpr Count bartLarge = 50265LL * 1024 + 2 * (1026LL * 1024 + 2048)
            + 12 * (bartAttention + bartFfn + 2 * 2048) + 12 * (2 * bartAttention + bartFfn + 3 * 2048);
        QTest::newRow("bart") << QStringLiteral("bart") << qint64(bartLarge);
        // MambaConfig: V 50280, E 768, 32 layers, N 16, expand 2, conv 4, rank 48 ("auto"), and
        // use_bias True (its class default): in_proj and out_proj have biases; tied head.
        constexpr Count mixer = kMambaMixer + 3072 + 768;
        QTest::newRow("mamba") << QStringLiteral("mamba") << qint64(50280LL * 768 + 32 * (mixer + 768) + 768);
    }
    void classDefaults()
    {
        QFETCH(QString, modelType);
        QFETCH(qint64, total);
        auto d = inlineConfig({ { "model_type", modelType.toStdString() } });
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().text().c_str());
        QCOMPARE(evaluated(*d).total, total);
        QVERIFY(hasNote(*d, QStringLiteral("defaults assumed")));
    }

    void ssmStateInDesignFile()
    {
        // A converted Mamba design keeps the mixer's state and its Conv1d; read back, the same.
        const Design d = load(beyond("state-spaces__mamba-130m-hf.json"));
        auto again = designFromJson(nlohmann::json::parse(designToJson(d)));
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().text().c_str());
        const Module* mixer = again->find("backbone.layers.*.mixer");
        QVERIFY(mixer);
        QCOMPARE(mixer->kv.state.text(), std::string("Di*Kc + Di*N"));
        QCOMPARE(again->find("backbone.layers.*.mixer.conv1d")->kind, ModuleKind::Conv1d);
        QCOMPARE(evaluated(*again).total, 129135360LL);
        // A state beside a per-token cache is refused, naming it.
        nlohmann::json j = nlohmann::json::parse(designToJson(d));
        auto& m = j["tree"]["children"][0]["children"][1]["children"][0]["children"][1];
        QCOMPARE(m["name"].get<std::string>(), std::string("mixer"));
        m["kv"]["cache"] = "Di";
        auto bad = designFromJson(j);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().text().find("/kv/state") != std::string::npos);
    }

    void badInput()
    {
        nlohmann::json t5 = readJson(beyond("google-t5__t5-base.json"));
        t5["feed_forward_proj"] = "gelu-relu";
        QVERIFY(failure(t5).contains(QStringLiteral("feed_forward_proj")));
        nlohmann::json mamba = readJson(beyond("state-spaces__mamba-370m-hf.json"));
        mamba["expand"] = 1.5;
        QVERIFY(failure(mamba).contains(QStringLiteral("expand")));
        mamba["expand"] = 2;
        mamba["time_step_rank"] = "fast";
        QVERIFY(failure(mamba).contains(QStringLiteral("time_step_rank")));
        nlohmann::json bart = readJson(beyond("facebook__bart-base.json"));
        bart["encoder_attention_heads"] = 7;
        QVERIFY(failure(bart).contains(QStringLiteral("encoder_attention_heads")));
    }

    void mambaAutoRank()
    {
        // time_step_rank "auto" is ceil(hidden_size / 16): 64 at 1024; setting E = 1040 gives 65.
        const Design d = load(beyond("state-spaces__mamba-370m-hf.json"));
        const Evaluation e = evaluated(d);
        QCOMPARE(e.total, 371516416LL);
        const Design wider = applied(d, { { "hidden_size", 1040 } });
        const Evaluation w = evaluated(wider);
        QCOMPARE(w.symbols[static_cast<std::size_t>(wider.symbolIndex("R"))], Count(65));
        // Another remainder mod 16 is refused (a check names hidden_size) rather than rounded wrongly.
        Design odd = d;
        auto st = paramscope::core::applySetting(odd, "E", 1041);
        QVERIFY(!st.ok() || !paramscope::core::evaluate(odd).ok());
    }
};

QTEST_GUILESS_MAIN(TestHfBuildD)
#include "tst_hfbuild_d.moc"

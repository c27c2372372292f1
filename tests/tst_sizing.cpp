// SPDX-License-Identifier: MIT
// Memory and compute sizing: every expected figure is derived by hand below, from the published
// configs (hyperparameters) and the conventions stated in sizing.h / flops.h, never copied from
// the program's output. The same figures are checked through `paramscope-cli memory|flops --json`.
#include "clirun.h"
#include "designio.h"
#include "flops.h"
#include "presets.h"
#include "sizingreport.h"
#include "sizingsweep.h"
#include "testutil.h"

#include <QtTest>

using namespace paramscope::core;
using nlohmann::json;
using paramscope::test::counted;
using paramscope::test::dataPath;
using paramscope::test::load;

namespace {

using paramscope::test::cli;
using paramscope::test::Run;

/// The JSON of a CLI run that must succeed; nlohmann keeps 64-bit integers exact.
json cliJson(const QStringList& args)
{
    const Run r = cli(args);
    if (r.exitCode != 0)
        qFatal("paramscope-cli %s failed: %s", qPrintable(args.join(QLatin1Char(' '))), r.err.constData());
    return json::parse(r.out.toStdString());
}

MemoryReport memory(const std::string& source, MemoryOptions o = {})
{
    const Counted c = counted(load(source));
    auto r = memoryReport(c, o);
    if (!r)
        qFatal("%s", r.error().text().c_str());
    return *r;
}

// ---- Hand derivations from the published configs ----

// Llama 3 8B (meta-llama/Meta-Llama-3-8B config.json): V 128256, E 4096, L 32, H 32, K 8, D 128,
// F 14336, untied head, P 8192.
constexpr Count kLlamaEmbedding = 128256LL * 4096; // 525,336,576, and the head as much
constexpr Count kLlamaAttention = 4096LL * 4096 * 2 + 4096LL * 1024 * 2; // q, o: E×E; k, v: E×K·D
constexpr Count kLlamaMlp = 3LL * 4096 * 14336; // gate, up, down
constexpr Count kLlamaLayer = kLlamaAttention + kLlamaMlp + 2 * 4096; // + two RMSNorms
constexpr Count kLlamaParameters = 32 * kLlamaLayer + 2 * kLlamaEmbedding + 4096; // + final norm
static_assert(kLlamaParameters == 8030261248LL); // the published size
constexpr Count kLlamaKvPerToken = 32LL * 2 * (8 * 128) * 2; // layers × (k, v) × K·D × 2 bytes (bf16)

} // namespace

class TestSizing : public QObject {
    Q_OBJECT
private slots:
    void llama3WeightsKvTraining()
    {
        const MemoryReport r = memory("llama-3-8b");
        QCOMPARE(r.parameters, kLlamaParameters);
        // bf16: 2 bytes per parameter; every tensor has an even byte count, so no rounding.
        QCOMPARE(r.weights.bytes, 16060522496LL);
        QCOMPARE(r.weights.bytes, 2 * kLlamaParameters);
        QCOMPARE(r.weights.byComponent[static_cast<std::size_t>(Component::Mlp)], 32 * kLlamaMlp * 2);
        // 32 × 2 × 1024 × 2 = 131,072 bytes per token; at P = 8,192 tokens: 2^17 · 2^13 = 2^30.
        QCOMPARE(r.kvPerToken, 131072LL);
        QCOMPARE(r.kvPerToken, kLlamaKvPerToken);
        QCOMPARE(r.context, 8192LL);
        QCOMPARE(r.kvBytes, 1073741824LL);
        // 16 bytes per parameter: 8,030,261,248 × 16.
        QCOMPARE(r.training.total, 128484179968LL);
        QCOMPARE(r.training.perDevice, 16 * kLlamaParameters);
        QVERIFY(!r.compressed);
    }

    void gemma3SlidingWindows()
    {
        // Gemma 3 4B text: L 34, K 4, D 256, sliding_window 1024, sliding_window_pattern 6 (layer l is
        // global when (l + 1) % 6 == 0: layers 5, 11, 17, 23, 29 → 5 global, 29 local).
        MemoryOptions o;
        o.context = 32768;
        const MemoryReport r = memory("gemma-3-4b", o);
        const Count perLayerToken = 2 * 4 * 256 * 2; // (k, v) × K·D × 2 bytes = 4,096
        const Count local = 29 * 1024 * perLayerToken; // capped at the window: 121,634,816
        const Count global = 5 * 32768 * perLayerToken; // the whole context: 671,088,640
        QCOMPARE(local + global, 792723456LL);
        QCOMPARE(r.kvBytes, 792723456LL);
        QCOMPARE(r.attention.size(), std::size_t(2));
        // Below the window every layer holds every token: 34 × 4,096 per token.
        QCOMPARE(r.kvPerToken, 34 * perLayerToken);
        // The vision tower's attention caches nothing.
        for (const auto& g : r.attention)
            QVERIFY(g.path.find("vision") == std::string::npos);
    }

    void deepseekMla()
    {
        // DeepSeek-V3: L 61, kv_lora_rank 512, qk_rope_head_dim 64; H 128, qk_nope 128, v_head_dim 128.
        const MemoryReport r = memory("deepseek-v3");
        QCOMPARE(r.kvPerToken, 61LL * (512 + 64) * 2); // 70,272
        QCOMPARE(r.kvPerToken, 70272LL);
        QVERIFY(r.compressed);
        // Uncompressed: per layer H·(Dn + Dr) key and H·Dv value dimensions: 128·192 + 128·128 = 40,960.
        QCOMPARE(r.kvUncompressedPerToken, 61LL * (128 * (128 + 64) + 128 * 128) * 2);
    }

    void gpt2ForwardFlops()
    {
        // GPT-2 small: N = total − wte − wpe = 124,439,808 − 50257·768 − 1024·768 = 85,056,000.
        const Counted c = counted(load("gpt2"));
        auto groups = attentionGroups(c.design, c.evaluation);
        QVERIFY(groups);
        auto f = flops(c.evaluation, *groups, 1024, 0);
        QVERIFY(f);
        const Count n = 124439808LL - 50257LL * 768 - 1024LL * 768;
        QCOMPARE(f->nonEmbedding, n);
        // 2N + 2·n_layer·n_ctx·d_attn = 170,112,000 + 2·12·1024·768 (18,874,368) = 188,986,368.
        QCOMPARE(f->forwardPerToken, 2 * n + 2LL * 12 * 1024 * 768);
        QCOMPARE(f->forwardPerToken, 188986368LL);
        // Compute-optimal tokens 20 × 124,439,808; training 6·N·tokens (beyond 64 bits for big models).
        QCOMPARE(f->optimalTokens, 20 * 124439808LL);
        // 6N = 510,336,000 FLOPs per token × 2,488,796,160 tokens = 1,270,122,277,109,760,000 (> 2^60).
        QCOMPARE(decimalText(f->trainingFlops), std::string("1270122277109760000"));
    }

    void gpt2TrainingFlopsExact()
    {
        const Counted c = counted(load("gpt2"));
        auto groups = attentionGroups(c.design, c.evaluation);
        QVERIFY(groups);
        // 6 × 85,056,000 × 10^12 tokens = 510,336,000 × 10^12.
        auto f = flops(c.evaluation, *groups, 1024, 1000000000000LL);
        QVERIFY(f);
        QCOMPARE(decimalText(f->trainingFlops), std::string("510336000000000000000"));
    }

    void mixtralActiveFlops()
    {
        // Mixtral 8x7B: N counts 2 of 8 experts. Per layer: attention E·E·2 + E·(K·D)·2 with E 4096,
        // K·D 1024; router E·8; 2 active experts of 3·E·14336; 2 norms. 32 layers + final norm.
        const Counted c = counted(load("mixtral-8x7b"));
        auto groups = attentionGroups(c.design, c.evaluation);
        QVERIFY(groups);
        auto f = flops(c.evaluation, *groups, 1, 0);
        QVERIFY(f);
        const Count layer = 4096LL * 4096 * 2 + 4096LL * 1024 * 2 + 4096 * 8 + 2 * 3LL * 4096 * 14336 + 2 * 4096;
        const Count n = 32 * layer + 4096 + 32000LL * 4096; // + final norm + the untied LM head
        QCOMPARE(f->nonEmbedding, n);
        QVERIFY(f->sparse);
    }

    void t5BaseForwardFlopsCrossAttention()
    {
        // T5-base (google-t5/t5-base config): d_model 768, 12 heads × d_kv 64 (d_attn 768), d_ff 3072,
        // 12 + 12 layers, vocab 32128, head tied to `shared`, 32 relative-attention buckets per stack.
        // Encoder layer: q, k, v, o 4·768² = 2,359,296; wi, wo 2·768·3072 = 4,718,592; 2 RMSNorms 1,536.
        // Decoder layer: the same + cross-attention 2,359,296 + a third norm 768. Final norms 2·768.
        const Count encoderLayer = 4LL * 768 * 768 + 2LL * 768 * 3072 + 2 * 768; // 7,079,424
        const Count decoderLayer = encoderLayer + 4LL * 768 * 768 + 768; // 9,439,488
        const Count shared = 32128LL * 768; // 24,674,304
        const Count bias = 2 * 32 * 12; // relative_attention_bias, an Embedding in each stack's layer 0
        QCOMPARE(12 * encoderLayer + 12 * decoderLayer + 2 * 768 + bias + shared, 222903552LL); // published
        // N leaves out every Embedding weight (shared and the two relative biases): 198,228,480.
        const Count n = 12 * encoderLayer + 12 * decoderLayer + 2 * 768;
        const Counted c = counted(load(dataPath("hf-beyond/google-t5__t5-base.json")));
        auto groups = attentionGroups(c.design, c.evaluation);
        auto cross = crossAttentionGroups(c.design, c.evaluation);
        QVERIFY(groups && cross);
        auto f = flops(c.evaluation, *groups, 512, 0, *cross);
        QVERIFY(f);
        QCOMPARE(f->nonEmbedding, n);
        // Self-attention: 24 layers (both stacks) · 2 · 512 · 768 = 18,874,368. Cross-attention: the
        // 12 decoder layers over 512 encoder tokens, 2 · 12 · 512 · 768 = 9,437,184.
        QCOMPARE(f->attentionTerm, 2LL * 24 * 512 * 768);
        QCOMPARE(f->crossAttentionTerm, 2LL * 12 * 512 * 768);
        // 2N 396,456,960 + 18,874,368 + 9,437,184 = 424,768,512.
        QCOMPARE(f->forwardPerToken, 424768512LL);
        QCOMPARE(f->forwardPerToken, 2 * n + 2LL * 24 * 512 * 768 + 2LL * 12 * 512 * 768);

        // The CLI states the convention beside the figure.
        json j
            = cliJson({ QStringLiteral("flops"), QString::fromStdString(dataPath("hf-beyond/google-t5__t5-base.json")),
                QStringLiteral("--context"), QStringLiteral("512"), QStringLiteral("--json") });
        QCOMPARE(j["forward"]["flops_per_token"].get<Count>(), 424768512LL);
        QCOMPARE(j["forward"]["2·n_layer·n_enc·d_attn"].get<Count>(), 9437184LL);
        QVERIFY(j["forward"]["cross_attention_convention"].get<std::string>().find("encoder") != std::string::npos);
        const Run text
            = cli({ QStringLiteral("flops"), QString::fromStdString(dataPath("hf-beyond/google-t5__t5-base.json")),
                QStringLiteral("--context"), QStringLiteral("512") });
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("cross-attention"));
        QVERIFY(text.out.contains("9,437,184"));
        QVERIFY(text.out.contains("424,768,512"));

        // An input of its own length (--encoder-context): 128 decoder tokens over 512 encoder
        // tokens. Self-attention 2 · 24 · 128 · 768 = 4,718,592; cross-attention as above,
        // 9,437,184. The cross-attention cache: 12 decoder layers × k and v of 768 × 2 bytes =
        // 36,864 bytes per encoder token, 18,874,368 at 512; the decoder's own KV cache: 12 layers ×
        // 2 · 768 × 2 bytes = 36,864 per token, 4,718,592 at 128.
        const QString t5 = QString::fromStdString(dataPath("hf-beyond/google-t5__t5-base.json"));
        json g = cliJson({ QStringLiteral("flops"), t5, QStringLiteral("--context"), QStringLiteral("128"),
            QStringLiteral("--encoder-context"), QStringLiteral("512"), QStringLiteral("--json") });
        QCOMPARE(g["forward"]["2·n_layer·n_enc·d_attn"].get<Count>(), 2LL * 12 * 512 * 768);
        QCOMPARE(g["forward"]["flops_per_token"].get<Count>(), 2 * n + 2LL * 24 * 128 * 768 + 2LL * 12 * 512 * 768);
        json m = cliJson({ QStringLiteral("memory"), t5, QStringLiteral("--context"), QStringLiteral("128"),
            QStringLiteral("--encoder-context"), QStringLiteral("512"), QStringLiteral("--json") });
        QCOMPARE(m["cross_attention_cache"]["encoder_tokens"].get<Count>(), 512LL);
        QCOMPARE(m["cross_attention_cache"]["bytes"].get<Count>(), 12LL * 2 * 768 * 2 * 512);
        QCOMPARE(m["kv_cache"]["bytes"].get<Count>(), 12LL * 2 * 768 * 2 * 128);
        // Without it the input is as long as the context.
        json same = cliJson({ QStringLiteral("memory"), t5, QStringLiteral("--context"), QStringLiteral("128"),
            QStringLiteral("--json") });
        QCOMPARE(same["cross_attention_cache"]["encoder_tokens"].get<Count>(), 128LL);
        for (const char* command : { "memory", "flops" }) {
            const Run bad
                = cli({ QString::fromLatin1(command), t5, QStringLiteral("--encoder-context"), QStringLiteral("0") });
            QCOMPARE(bad.exitCode, 2);
            QVERIFY2(bad.err.contains("--encoder-context"), bad.err.constData());
        }
    }

    void mambaFlopsHaveNoAttentionTerm()
    {
        // Mamba-130m: d_model 768, d_inner 1536, d_state 16, dt_rank 48, conv 4, 24 layers, tied head.
        // Per layer: in_proj 768·3072, conv1d 1536·4 + 1536, x_proj 1536·(48 + 32), dt_proj 48·1536 + 1536,
        // A_log 1536·16, D 1536, out_proj 1536·768, norm 768 = 3,771,648. N = 24 layers + norm_f 768.
        const Count layer = 768LL * 3072 + 1536 * 4 + 1536 + 1536LL * 80 + 48LL * 1536 + 1536 + 1536LL * 16 + 1536
            + 1536LL * 768 + 768;
        const Count n = 24 * layer + 768; // 90,520,320
        QCOMPARE(n + 50280LL * 768, 129135360LL); // published
        const Counted c = counted(load(dataPath("hf-beyond/state-spaces__mamba-130m-hf.json")));
        auto groups = attentionGroups(c.design, c.evaluation);
        auto cross = crossAttentionGroups(c.design, c.evaluation);
        QVERIFY(groups && cross);
        auto f = flops(c.evaluation, *groups, 2048, 0, *cross);
        QVERIFY(f);
        QCOMPARE(f->attentionTerm, 0LL);
        QCOMPARE(f->crossAttentionTerm, 0LL);
        QCOMPARE(f->forwardPerToken, 2 * n);
    }

    void dataTypes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("milliBits"); // 0: refused
        QTest::newRow("fp32") << "fp32" << qint64(32000);
        QTest::newRow("bf16") << "bf16" << qint64(16000);
        QTest::newRow("fp16") << "FP16" << qint64(16000);
        QTest::newRow("fp8") << "fp8" << qint64(8000);
        QTest::newRow("int8") << "int8" << qint64(8000);
        QTest::newRow("int4") << "int4" << qint64(4000);
        QTest::newRow("4.5") << "4.5" << qint64(4500);
        QTest::newRow("4.5bpw") << "4.5bpw" << qint64(4500);
        QTest::newRow("2.625") << "2.625" << qint64(2625);
        QTest::newRow("64") << "64" << qint64(64000);
        QTest::newRow("0") << "0" << qint64(0);
        QTest::newRow("0.000") << "0.000" << qint64(0);
        QTest::newRow("64.001") << "64.001" << qint64(0);
        QTest::newRow("65") << "65" << qint64(0);
        QTest::newRow("huge") << "99999999999999999999999" << qint64(0);
        QTest::newRow("four decimals") << "4.1234" << qint64(0);
        QTest::newRow("negative") << "-4" << qint64(0);
        QTest::newRow("fp7") << "fp7" << qint64(0);
        QTest::newRow("empty") << "" << qint64(0);
        QTest::newRow("dot") << "." << qint64(0);
    }
    void dataTypes()
    {
        QFETCH(QString, text);
        QFETCH(qint64, milliBits);
        auto t = parseDataType(text.toStdString());
        QCOMPARE(t.ok(), milliBits > 0);
        if (t)
            QCOMPARE(t->milliBits, milliBits);
    }

    void bitsPerWeightRoundUpPerTensor()
    {
        // Linear(3, 3, bias) repeated twice: per copy a 9-value weight and a 3-value bias. At 4.5 bpw
        // each tensor rounds up on its own: ceil(9·4.5/8) = ceil(5.0625) = 6 and ceil(3·4.5/8) =
        // ceil(1.6875) = 2, so 8 bytes a copy and 16 in all (rounding the 24 values at once gives 14).
        const std::string text = R"({"format": "paramscope-design", "version": 1, "name": "tiny",
            "hyperparameters": [{"name": "N", "value": 3}],
            "tree": {"module": "Tiny", "children": [
                {"name": "proj", "module": "Linear", "args": {"in": "N", "out": "N", "bias": true}, "repeat": 2}]}})";
        auto d = loadText(text, "tiny.json");
        QVERIFY2(d, d ? "" : d.error().text().c_str());
        const Counted c = counted(std::move(*d));
        auto w = weightMemory(c.design, c.evaluation, *parseDataType("4.5"));
        QVERIFY(w);
        QCOMPARE(w->bytes, 16LL);
        QCOMPARE(w->tensors, 4LL);
        // int4: 9·4/8 = 4.5 → 5, 3·4/8 = 1.5 → 2: 7 a copy.
        QCOMPARE(weightMemory(c.design, c.evaluation, *parseDataType("int4"))->bytes, 14LL);
        // This design has no attention: no KV cache.
        auto groups = attentionGroups(c.design, c.evaluation);
        QVERIFY(groups);
        QVERIFY(groups->empty());
        QCOMPARE(*kvCacheBytes(*groups, 1000, 8, *parseDataType("bf16")), 0LL);
    }

    void zeroSharding_data()
    {
        QTest::addColumn<int>("stage");
        QTest::addColumn<qint64>("perDevice");
        // 1,000 parameters over 3 devices: weights 2,000 B, gradients 2,000 B, optimizer 12,000 B;
        // a sharded state takes ceil(bytes / 3) on each device.
        QTest::newRow("ZeRO-0") << 0 << qint64(2000 + 2000 + 12000);
        QTest::newRow("ZeRO-1: optimizer") << 1 << qint64(2000 + 2000 + 4000);
        QTest::newRow("ZeRO-2: + gradients") << 2 << qint64(2000 + 667 + 4000);
        QTest::newRow("ZeRO-3: + weights") << 3 << qint64(667 + 667 + 4000);
    }
    void zeroSharding()
    {
        QFETCH(int, stage);
        QFETCH(qint64, perDevice);
        auto t = trainingMemory(1000, stage, 3);
        QVERIFY(t);
        QCOMPARE(t->perDevice, perDevice);
        QCOMPARE(t->total, 16000LL);
    }

    void hugeDeviceCountsDoNotOverflow()
    {
        // Found by fuzz_design: ceil(bytes / N) as (bytes + N - 1) / N overflowed for N near 2^62.
        // P = 2^59 - 1 is the largest whose 16P fits. Over N = 2^62 devices: 12P = 1.5 · 2^62 - 12
        // gives ceil(1.5 - ε) = 2 per device, 2P = 2^60 - 2 gives 1, so 1 + 1 + 2 = 4.
        const Count p = (Count(1) << 59) - 1;
        const Count n = Count(1) << 62;
        auto t = trainingMemory(p, 3, n);
        QVERIFY(t);
        QCOMPARE(t->optimizer, 2LL);
        QCOMPARE(t->weights, 1LL);
        QCOMPARE(t->gradients, 1LL);
        QCOMPARE(t->perDevice, 4LL);
    }

    void trainingDevicesNeeded()
    {
        const Count p = kLlamaParameters;
        // ZeRO-3: ceil(16P / N) ≤ memory. 16P = 128.48 GB: 2 devices of 80 GB, 6 of 24 GB.
        QCOMPARE(trainingDevices(p, 3, 80000000000LL), std::optional<Count>(2));
        QCOMPARE(trainingDevices(p, 3, 24000000000LL), std::optional<Count>(6));
        // ZeRO-1 on 80 GB: 4P = 32,121,044,992 stays; 12P / N ≤ 47,878,955,008 needs N ≥ 2.01: 3.
        QCOMPARE(trainingDevices(p, 1, 80000000000LL), std::optional<Count>(3));
        // ZeRO-1 on 24 GB: the unsharded 4P alone (32.1 GB) does not fit: no number of devices.
        QCOMPARE(trainingDevices(p, 1, 24000000000LL), std::nullopt);
        // No sharding: one device of 16P or none.
        QCOMPARE(trainingDevices(p, 0, 80000000000LL), std::nullopt);
        QCOMPARE(trainingDevices(p, 0, 16 * p), std::optional<Count>(1));
    }

    void fitsOnDevice()
    {
        // Llama 3 8B in bf16 on 24 GB leaves 24,000,000,000 − 16,060,522,496 = 7,939,477,504 bytes for
        // the cache: 7,939,477,504 / 131,072 = 60,573.7 tokens at batch 1 (P raised so it does not
        // cap), and 7,939,477,504 / 2^30 = 7.39 sequences of 8,192 tokens.
        Design d = load("llama-3-8b");
        QVERIFY(d.setValue("P", 1000000));
        MemoryOptions o;
        o.context = 8192;
        o.deviceMemory = { 24000000000LL, 8000000000LL };
        auto r = memoryReport(counted(std::move(d)), o);
        QVERIFY(r);
        QCOMPARE(r->fits[0].largestContext, 60573LL);
        QCOMPARE(r->fits[0].largestBatch, 7LL);
        QVERIFY(r->fits[0].inferenceFits);
        QCOMPARE(r->fits[0].inference, 16060522496LL + 1073741824LL);
        // 8 GB holds not even the weights.
        QVERIFY(!r->fits[1].weightsFit);
        QCOMPARE(r->fits[1].largestContext, 0LL);
    }

    void importerWindows_data()
    {
        QTest::addColumn<QString>("config");
        QTest::addColumn<qint64>("context");
        QTest::addColumn<qint64>("kvBytes");
        // gemma-2-2b: L 26 alternating (layer l sliding when l is even), window 4096, K 4, D 256:
        // 13 layers × 4,096 tokens + 13 × 8,192, each token-layer (k, v) × 4·256 × 2 B = 4,096 B.
        QTest::newRow("gemma-2-2b") << "hf-configs/google__gemma-2-2b.json" << qint64(8192)
                                    << qint64(13LL * 4096 * 4096 + 13LL * 8192 * 4096);
        // gpt-oss-20b: layer_types alternate sliding, full over 24 layers, window 128, K 8, D 64:
        // (k, v) × 8·64 × 2 B = 2,048 B per token-layer; 12 × 128 + 12 × 8,192 tokens.
        QTest::newRow("gpt-oss-20b") << "hf-extra/openai__gpt-oss-20b.json" << qint64(8192)
                                     << qint64(12LL * 128 * 2048 + 12LL * 8192 * 2048);
        // Mistral-7B-v0.1: every layer windowed (4096); L 32, K 8, D 128: 4,096 B per token-layer.
        QTest::newRow("mistral-7b at 32k")
            << "hf-configs/mistralai__Mistral-7B-v0.1.json" << qint64(32768) << qint64(32LL * 4096 * 4096);
        // Phi-3-mini: sliding_window 2047 on every layer; L 32, K = H 32, D 96: 2·32·96·2 = 12,288 B.
        QTest::newRow("phi-3-mini at 4k")
            << "hf-configs/microsoft__Phi-3-mini-4k-instruct.json" << qint64(4096) << qint64(32LL * 2047 * 12288);
        // Qwen2.5-0.5B: fused q/k/v biases, no window; L 24, K 2, D 64: 2·2·64·2 = 512 B.
        QTest::newRow("qwen2.5-0.5b") << "hf-configs/Qwen__Qwen2.5-0.5B.json" << qint64(1000)
                                      << qint64(24LL * 1000 * 512);
        // Pythia-160m (GPT-NeoX): fused query_key_value 3E wide, k and v E each; L 12, E 768.
        QTest::newRow("pythia-160m") << "hf-configs/EleutherAI__pythia-160m.json" << qint64(2048)
                                     << qint64(12LL * 2048 * 2 * 768 * 2);
    }
    void importerWindows()
    {
        QFETCH(QString, config);
        QFETCH(qint64, context);
        QFETCH(qint64, kvBytes);
        MemoryOptions o;
        o.context = context;
        const MemoryReport r = memory(dataPath(config.toStdString()), o);
        QCOMPARE(r.kvBytes, kvBytes);
    }

    void layerTypesWithoutPeriodSplitRuns()
    {
        // A layer_types list with no period (S F F S) splits the stack into runs (1, 2, 1) and fixes
        // L; the parameter count stays what the one-run import gives.
        json config = json::parse(paramscope::core::readFile(dataPath("hf-extra/google__gemma-3-1b-it.json")).value());
        config.erase("sliding_window_pattern");
        config["num_hidden_layers"] = 4;
        const Counted plain = counted(*paramscope::test::inlineConfig(config));
        config["layer_types"] = { "sliding_attention", "full_attention", "full_attention", "sliding_attention" };
        auto d = paramscope::test::inlineConfig(config);
        QVERIFY2(d, d ? "" : d.error().text().c_str());
        QVERIFY(!d->symbol("L")); // fixed
        const Counted split = counted(std::move(*d));
        QCOMPARE(split.evaluation.total, plain.evaluation.total);
        auto groups = attentionGroups(split.design, split.evaluation);
        QVERIFY(groups);
        Count windowed = 0, full = 0;
        for (const auto& g : *groups)
            (g.window > 0 ? windowed : full) += g.layers;
        QCOMPARE(windowed, 2LL);
        QCOMPARE(full, 2LL);
        // A periodic list is built as the rule (one run, every second layer full), but L is fixed
        // all the same: transformers refuses a layer_types list of another length, so a listed
        // pattern holds for its layer count only (before, L stayed free and `--set
        // num_hidden_layers` gave a model the class would refuse to build).
        config["layer_types"] = { "sliding_attention", "full_attention", "sliding_attention", "full_attention" };
        auto periodic = paramscope::test::inlineConfig(config);
        QVERIFY(periodic);
        QVERIFY(!periodic->symbol("L"));
        QCOMPARE(periodic->find("model.layers")->children.size(), std::size_t(1));
        QCOMPARE(periodic->find("model.layers")->children[0]->repeat.text(), std::string("4"));
        // A list with no period that does not match the layer count is refused, naming the field.
        config["layer_types"] = { "sliding_attention", "full_attention", "full_attention" };
        auto bad = paramscope::test::inlineConfig(config);
        QVERIFY(!bad);
        QVERIFY(bad.error().text().find("layer_types") != std::string::npos);
    }

    void designFileKeepsKv()
    {
        // The kv spec survives a save and load; a bad one is named by its JSON pointer.
        const Design gemma = load("gemma-3-4b");
        const std::string text = designToJson(gemma);
        QVERIFY(text.find("\"full_every\": 6") != std::string::npos);
        auto again = loadText(text, "again.json");
        QVERIFY(again);
        QCOMPARE(designToJson(*again), text);

        json j = json::parse(findPreset("gpt2")->json);
        j["tree"]["children"][0]["children"][2]["children"][0]["children"][1]["kv"] = { { "windoww", 4 } };
        auto d = loadText(j.dump(), "bad.json");
        QVERIFY(!d);
        QVERIFY2(d.error().text().find("/kv/windoww") != std::string::npos, d.error().text().c_str());
        j["tree"]["children"][0]["children"][2]["children"][0]["children"][1]["kv"] = { { "full_every", 2 } };
        auto e = loadText(j.dump(), "bad.json");
        QVERIFY(!e);
        QVERIFY2(e.error().text().find("full_every") != std::string::npos, e.error().text().c_str());
    }

    // The growth chart's memory curves (sizingsweep.h): each point the core's figure there.
    void sweepKvOverContext()
    {
        // Gemma 3 4B, bf16 KV: 34 layers of 4 KV heads × 256 × 2 (k, v) × 2 bytes; the 29 local ones
        // hold at most 1,024 tokens. At 32,768 tokens: (29 × 1,024 + 5 × 32,768) × 4,096 = 792,723,456.
        SizingOptions o;
        o.metric = SizingMetric::KvCache;
        SweepOptions s;
        s.x = std::string(kContextAxis);
        s.from = 512;
        s.to = 32768;
        s.step = 512;
        auto sweep = sizingSweep(load("gemma-3-4b"), s, o);
        QVERIFY2(sweep, sweep ? "" : sweep.error().text().c_str());
        QCOMPARE(sweep->points.front().x, Count(512));
        QCOMPARE(sweep->points.front().total, Count(34 * 512 * 4096)); // every window still open
        QCOMPARE(sweep->points.back().x, Count(32768));
        QCOMPARE(sweep->points.back().total, Count(792'723'456));
        QCOMPARE(sweep->points.size(), std::size_t(64));
        // Past the window only the 5 global layers grow: 5 × 4,096 bytes per token.
        QCOMPARE(sweep->points[10].total - sweep->points[9].total, Count(5 * 4096 * 512));
        // The current design's point: its P (131,072) unless a context is held.
        auto own = sizingOwnPoint(load("gemma-3-4b"), std::string(kContextAxis), o);
        QVERIFY(own);
        QCOMPARE(own->first, Count(131072));
        QCOMPARE(own->second, Count((29 * 1024 + 5 * 131072) * Count(4096)));
    }

    void sweepWeightsOverE()
    {
        // GPT-2 small over E: bf16 weights are exactly 2 bytes per parameter at every x, and the
        // legend's formula says so; training states 16.
        SweepOptions s;
        s.x = "E";
        s.from = 768;
        s.to = 1600;
        auto counts = sweep(load("gpt2"), s);
        QVERIFY(counts);
        for (SizingMetric m : { SizingMetric::Weights, SizingMetric::Training }) {
            SizingOptions o;
            o.metric = m;
            const Count perParameter = m == SizingMetric::Weights ? 2 : 16;
            auto bytes = sizingSweep(load("gpt2"), s, o);
            QVERIFY(bytes);
            QCOMPARE(bytes->points.size(), counts->points.size());
            for (std::size_t i = 0; i < counts->points.size(); ++i) {
                QCOMPARE(bytes->points[i].x, counts->points[i].x);
                QCOMPARE(bytes->points[i].total, counts->points[i].total * perParameter);
                QCOMPARE(bytes->points[i].parts[std::size_t(Component::Attention)],
                    counts->points[i].parts[std::size_t(Component::Attention)] * perParameter);
            }
            QCOMPARE(bytes->formula, std::to_string(perParameter) + " B × (" + counts->formula + ")");
        }
        // At 768 (GPT-2 small itself): 124,439,808 × 2.
        SizingOptions o;
        o.metric = SizingMetric::Weights;
        auto bytes = sizingSweep(load("gpt2"), s, o);
        QCOMPARE(bytes->points.front().total, Count(124'439'808) * 2);
    }

    void sweepInferenceOverL()
    {
        // Llama 3 8B over L at its P = 8,192: weights + KV, the two parts apart. One more layer adds
        // its weights (2 × (4,096 × (4,096 + 2 × 1,024 + 4,096) + 3 × 4,096 × 14,336 + 2 × 4,096)
        // bytes) and 8 × 128 × 2 × 2 × 8,192 bytes of cache.
        SizingOptions o;
        o.metric = SizingMetric::Inference;
        SweepOptions s;
        s.x = "L";
        s.from = 31;
        s.to = 33;
        auto sweep = sizingSweep(load("llama-3-8b"), s, o);
        QVERIFY(sweep);
        QCOMPARE(sweep->points.size(), std::size_t(3));
        const Count layerWeights = 2 * (4096 * (4096 + 2 * 1024 + 4096) + 3 * Count(4096) * 14336 + 2 * 4096);
        const Count layerKv = 8 * 128 * 2 * 2 * Count(8192);
        QCOMPARE(sweep->points[1].parts[0], Count(16'060'522'496));
        QCOMPARE(sweep->points[1].parts[1], Count(1'073'741'824));
        QCOMPARE(sweep->points[2].total - sweep->points[1].total, layerWeights + layerKv);
        QCOMPARE(partLabels(o)[1], std::string("KV cache (bf16)"));
        // An overflowing cache skips the point with the reason, never a wrong number.
        o.context = Count(1) << 60;
        auto huge = sizingSweep(load("llama-3-8b"), s, o);
        QVERIFY(huge);
        QVERIFY(huge->points.empty());
        QCOMPARE(huge->skipped.size(), std::size_t(3));
        QVERIFY(huge->skipped.front().reason.find("overflows") != std::string::npos);
    }

    void benchmarkMemoryReport_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("gpt2") << "gpt2";
        QTest::newRow("deepseek-v3") << "deepseek-v3";
    }
    void benchmarkMemoryReport()
    {
        // Everything `memory` computes (weights at five formats, KV, training, fits on two devices
        // with their searches), for the app's live panel: run with -iterations N to measure.
        QFETCH(QString, source);
        const Counted c = counted(load(source.toStdString()));
        MemoryOptions o;
        o.context = 4096;
        Count kv = 0;
        QBENCHMARK
        {
            kv = memoryReport(c, o)->kvBytes;
        }
        QVERIFY(kv > 0);
    }

    void cliFiguresExact()
    {
        const QString memoryCmd = QStringLiteral("memory"), json_ = QStringLiteral("--json");
        json llama = cliJson({ memoryCmd, QStringLiteral("llama-3-8b"), json_ });
        QCOMPARE(llama["weights"]["bytes"].get<Count>(), 16060522496LL);
        QCOMPARE(llama["kv_cache"]["bytes_per_token"].get<Count>(), 131072LL);
        QCOMPARE(llama["kv_cache"]["context"].get<Count>(), 8192LL);
        QCOMPARE(llama["kv_cache"]["bytes"].get<Count>(), 1073741824LL);
        QCOMPARE(llama["training"]["bytes"].get<Count>(), 128484179968LL);
        // Human units beside the exact bytes, both labelled: 2^30 bytes = 1 GiB = 1.074 GB.
        QCOMPARE(llama["kv_cache"]["GiB"].get<double>(), 1.0);
        QCOMPARE(llama["kv_cache"]["GB"].get<double>(), 1.074);

        json gemma = cliJson({ memoryCmd, QStringLiteral("gemma-3-4b"), QStringLiteral("--context"),
            QStringLiteral("32768"), QStringLiteral("--kv-dtype"), QStringLiteral("bf16"), json_ });
        QCOMPARE(gemma["kv_cache"]["bytes"].get<Count>(), 792723456LL);

        json deepseek = cliJson({ memoryCmd, QStringLiteral("deepseek-v3"), json_ });
        QCOMPARE(deepseek["kv_cache"]["bytes_per_token"].get<Count>(), 70272LL);

        json gpt2 = cliJson({ QStringLiteral("flops"), QStringLiteral("gpt2"), QStringLiteral("--context"),
            QStringLiteral("1024"), json_ });
        QCOMPARE(gpt2["forward"]["flops_per_token"].get<Count>(), 188986368LL);

        // fp8 KV halves the bf16 cache; batch 4 multiplies it.
        json fp8 = cliJson({ memoryCmd, QStringLiteral("llama-3-8b"), QStringLiteral("--kv-dtype=fp8"),
            QStringLiteral("--batch"), QStringLiteral("4"), json_ });
        QCOMPARE(fp8["kv_cache"]["bytes"].get<Count>(), 4 * 1073741824LL / 2);

        // ZeRO-3 over 8 devices: 16P / 8 = 2P each.
        json zero = cliJson({ memoryCmd, QStringLiteral("llama-3-8b"), QStringLiteral("--zero"), QStringLiteral("3"),
            QStringLiteral("--devices"), QStringLiteral("8"), json_ });
        QCOMPARE(zero["training"]["per_device"]["bytes"].get<Count>(), 2 * kLlamaParameters);
    }

    void cliFormats_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("memory text") << QStringList { QStringLiteral("memory"), QStringLiteral("llama-3-8b") }
                                     << QStringLiteral("16,060,522,496 bytes");
        QTest::newRow("memory csv") << QStringList { QStringLiteral("memory"), QStringLiteral("llama-3-8b"),
            QStringLiteral("--format"), QStringLiteral("csv") }
                                    << QStringLiteral("1073741824,bytes");
        QTest::newRow("memory markdown") << QStringList { QStringLiteral("memory"), QStringLiteral("llama-3-8b"),
            QStringLiteral("--format"), QStringLiteral("markdown") }
                                         << QStringLiteral("| 1,073,741,824 | bytes |");
        QTest::newRow("flops text") << QStringList { QStringLiteral("flops"), QStringLiteral("gpt2") }
                                    << QStringLiteral("188,986,368 FLOPs");
        QTest::newRow("flops csv") << QStringList { QStringLiteral("flops"), QStringLiteral("gpt2"),
            QStringLiteral("--format=csv") }
                                   << QStringLiteral(",188986368,FLOPs,");
    }
    void cliFormats()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QString::fromUtf8(r.out).contains(expected), r.out.constData());
    }

    void cliBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        const QString m = QStringLiteral("memory"), s = QStringLiteral("llama-3-8b");
        auto with = [&](const char* option, const char* value) {
            return QStringList { m, s, QString::fromLatin1(option), QString::fromLatin1(value) };
        };
        QTest::newRow("unknown dtype") << with("--dtype", "fp7") << QStringLiteral("--dtype");
        QTest::newRow("bpw 0") << with("--dtype", "0") << QStringLiteral("--dtype");
        QTest::newRow("bpw 65") << with("--dtype", "65") << QStringLiteral("--dtype");
        QTest::newRow("unknown kv dtype") << with("--kv-dtype", "int3x") << QStringLiteral("--kv-dtype");
        QTest::newRow("context 0") << with("--context", "0") << QStringLiteral("--context");
        QTest::newRow("context negative") << with("--context", "-5") << QStringLiteral("--context");
        QTest::newRow("context text") << with("--context", "lots") << QStringLiteral("--context");
        QTest::newRow("batch 0") << with("--batch", "0") << QStringLiteral("--batch");
        QTest::newRow("devices 0") << with("--devices", "0") << QStringLiteral("--devices");
        QTest::newRow("devices negative") << with("--devices", "-2") << QStringLiteral("--devices");
        QTest::newRow("zero 4") << with("--zero", "4") << QStringLiteral("--zero");
        QTest::newRow("device memory") << with("--device-memory", "24GB,lots") << QStringLiteral("--device-memory");
        QTest::newRow("device memory 0") << with("--device-memory", "0GB") << QStringLiteral("--device-memory");
        QTest::newRow("latex") << with("--format", "latex") << QStringLiteral("--format");
        // 2^62 tokens × 131,072 bytes overflow 64 bits: refused, naming the context.
        QTest::newRow("overflow") << with("--context", "4611686018427387904") << QStringLiteral("--context");
        QTest::newRow("flops context 0") << QStringList { QStringLiteral("flops"), s, QStringLiteral("--context"),
            QStringLiteral("0") } << QStringLiteral("--context");
        QTest::newRow("flops tokens 0") << QStringList { QStringLiteral("flops"), s, QStringLiteral("--tokens"),
            QStringLiteral("0") } << QStringLiteral("--tokens");
        QTest::newRow("flops overflow") << QStringList { QStringLiteral("flops"), s, QStringLiteral("--context"),
            QStringLiteral("4611686018427387904") }
                                        << QStringLiteral("--context");
    }
    void cliBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        const QString err = QString::fromUtf8(r.err);
        QCOMPARE(err.count(QLatin1Char('\n')), 1); // one message
        QVERIFY2(err.contains(named), r.err.constData());
    }
};

QTEST_APPLESS_MAIN(TestSizing)
#include "tst_sizing.moc"

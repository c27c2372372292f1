// SPDX-License-Identifier: MIT
// Comparisons of two designs, matched by path and by role. Expected figures are derived by hand
// from the published shapes of each model, written out below.
#include "clirun.h"
#include "compare.h"
#include "testutil.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace paramscope::core;
using paramscope::test::countSource;

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

Comparison compared(const char* a, const char* b)
{
    auto c = compare(countSource(a), countSource(b));
    if (!c)
        qFatal("%s", c.error().text().c_str());
    return std::move(*c);
}

const ComparedComponent* component(const Comparison& c, Component k)
{
    for (const auto& x : c.components)
        if (x.component == k)
            return &x;
    return nullptr;
}

const ComparedModule* module(const Comparison& c, const std::string& key)
{
    for (const auto& m : c.modules)
        if (m.key == key)
            return &m;
    return nullptr;
}

// GPT-2, tied head: V·E + P·E + L(12E² + 13E) + 2E.
constexpr Count gpt2(Count V, Count P, Count E, Count L)
{
    return V * E + P * E + L * (12 * E * E + 13 * E) + 2 * E;
}

// Llama-style: embeddings and an untied head (2VE), per layer attention 2E² + 2E·KD (q, o; k, v),
// two RMSNorms, and a gated MLP 3EF, or X experts of 3EF with a router EX; a final norm.
constexpr Count attention(Count E, Count K, Count D)
{
    return 2 * E * E + 2 * E * K * D;
}
constexpr Count llama(Count V, Count E, Count L, Count K, Count D, Count F)
{
    return 2 * V * E + L * (attention(E, K, D) + 2 * E + 3 * E * F) + E;
}
constexpr Count mixtral(Count V, Count E, Count L, Count K, Count D, Count F, Count X, Count experts)
{
    return 2 * V * E + L * (attention(E, K, D) + 2 * E + E * X + experts * 3 * E * F) + E;
}

constexpr Count kGpt2Small = gpt2(50257, 1024, 768, 12);
constexpr Count kGpt2Medium = gpt2(50257, 1024, 1024, 24);
constexpr Count kLlama = llama(128256, 4096, 32, 8, 128, 14336);
constexpr Count kMistral = llama(32000, 4096, 32, 8, 128, 14336);
constexpr Count kMixtral = mixtral(32000, 4096, 32, 8, 128, 14336, 8, 8);
constexpr Count kMixtralActive = mixtral(32000, 4096, 32, 8, 128, 14336, 8, 2);

} // namespace

class TestCompare : public QObject {
    Q_OBJECT

private slots:
    void publishedSizes()
    {
        // The hand formulas give the published totals.
        QCOMPARE(kGpt2Small, Count(124439808));
        QCOMPARE(kGpt2Medium, Count(354823168));
        QCOMPARE(kLlama, Count(8030261248));
        QCOMPARE(kMistral, Count(7241732096));
        QCOMPARE(kMixtral, Count(46702792704));
        QCOMPARE(kMixtralActive, Count(12879925248));
    }

    void gpt2SmallVsMedium()
    {
        const Comparison c = compared("gpt2", "gpt2-medium");
        QCOMPARE(*c.total.a, kGpt2Small);
        QCOMPARE(*c.total.b, kGpt2Medium);
        QCOMPARE(c.total.difference(), Count(230383360));
        QVERIFY(!c.active);
        // E, H, L differ (F = 4E follows); V and P do not.
        QStringList names;
        for (const auto& h : c.hyperparameters)
            names << qs(h.name);
        QCOMPARE(names.join(QLatin1Char(' ')), QStringLiteral("E H L F"));
        // The blocks, matched by path: 12 × (12·768² + 13·768) against 24 × (12·1024² + 13·1024).
        const ComparedModule* blocks = module(c, "transformer.h.*");
        QVERIFY(blocks);
        QCOMPARE(*blocks->overall.a, 12 * (12 * Count(768) * 768 + 13 * 768));
        QCOMPARE(*blocks->overall.b, 24 * (12 * Count(1024) * 1024 + 13 * 1024));
        QCOMPARE(qs(blocks->label), QStringLiteral("0-11 | 0-23"));
        // Per copy of the block, the attention: 4E² + 4E.
        const ComparedModule* attn = module(c, "transformer.h.*.attn");
        QVERIFY(attn);
        QCOMPARE(*attn->count.a, 4 * Count(768) * 768 + 4 * 768);
        QCOMPARE(*attn->count.b, 4 * Count(1024) * 1024 + 4 * 1024);
        // Every module is in both.
        for (const auto& m : c.modules)
            QVERIFY2(m.overall.a && m.overall.b, m.key.c_str());
        const QString t = qs(compareReport(c, Format::Text));
        QVERIFY2(t.contains(QStringLiteral("+230,383,360")), qPrintable(t));
        QVERIFY2(t.contains(QStringLiteral("E 768 → 1024, H 12 → 16, L 12 → 24, F 3072 → 4096")), qPrintable(t));
    }

    void llamaVsMistral()
    {
        // Only the vocabulary (and the context, which no rotary model counts) differ:
        // 2·(32000 − 128256)·4096 = −788,529,152.
        const Comparison c = compared("llama-3-8b", "mistral-7b");
        QCOMPARE(c.total.difference(), 2 * (Count(32000) - 128256) * 4096);
        QCOMPARE(c.total.difference(), kMistral - kLlama);
        QStringList names;
        for (const auto& h : c.hyperparameters)
            names << qs(h.name);
        QCOMPARE(names.join(QLatin1Char(' ')), QStringLiteral("V P"));
        QCOMPARE(component(c, Component::Attention)->count.difference(), Count(0));
        QCOMPARE(component(c, Component::Embeddings)->count.difference(), (Count(32000) - 128256) * 4096);
        for (const auto& m : c.modules)
            QVERIFY2(m.overall.a && m.overall.b, m.key.c_str());
    }

    void llamaVsMixtral()
    {
        const Comparison c = compared("llama-3-8b", "mixtral-8x7b");
        QCOMPARE(c.total.difference(), kMixtral - kLlama);
        QCOMPARE(c.total.difference(), Count(38672531456));
        QVERIFY(c.active);
        QCOMPARE(*c.active->a, kLlama); // a dense model uses every parameter
        QCOMPARE(*c.active->b, kMixtralActive);
        QCOMPARE(c.active->difference(), Count(4849664000));
        // Matched by role: Llama's gated MLP (3EF per layer) against Mixtral's sparse MoE block,
        // whose router (E·X) and eight experts (3EF each) take the MLP's place.
        const ComparedComponent* mlp = component(c, Component::Mlp);
        QVERIFY(mlp);
        QCOMPARE(*mlp->count.a, 32 * 3 * Count(4096) * 14336);
        QCOMPARE(*mlp->count.b, 32 * (4096 * 8 + 8 * 3 * Count(4096) * 14336));
        QCOMPARE(component(c, Component::Attention)->count.difference(), Count(0));
        Count sumB = 0;
        for (const auto& k : c.components)
            sumB += *k.count.b;
        QCOMPARE(sumB, kMixtral);
        // Modules only Mixtral has come with no A side, and sit in the tree after their neighbours.
        bool onlyB = false;
        for (std::size_t i = 0; i < c.modules.size(); ++i)
            if (!c.modules[i].overall.a) {
                onlyB = true;
                QVERIFY(i > 0);
                QVERIFY(c.modules[i].depth <= c.modules[i - 1].depth + 1);
            }
        QVERIFY(onlyB);
    }

    void formats()
    {
        const Comparison c = compared("gpt2", "gpt2-medium");
        const auto j = nlohmann::json::parse(compareReport(c, Format::Json));
        QCOMPARE(j["total"]["difference"].get<Count>(), Count(230383360));
        QCOMPARE(j["total"]["a"].get<Count>(), kGpt2Small);
        const QString csv = qs(compareReport(c, Format::Csv));
        QVERIFY2(csv.startsWith(QStringLiteral("section,name,a,b,difference,ratio\n")
                     + QStringLiteral("total,total,124439808,354823168,230383360,")),
            qPrintable(csv));
        const QString md = qs(compareReport(c, Format::Markdown));
        QVERIFY2(md.contains(QStringLiteral("| **total** | 124,439,808 | 354,823,168 | +230,383,360 | 2.85× |")),
            qPrintable(md));
        const QString tex = qs(compareReport(c, Format::Latex));
        QVERIFY2(tex.contains(QStringLiteral("total & 124,439,808 & 354,823,168 & +230,383,360 & 2.85$\\times$ \\\\")),
            qPrintable(tex));
    }

    void cliDiff()
    {
        using paramscope::test::cli;
        auto run = cli({ QStringLiteral("diff"), QStringLiteral("gpt2"), QStringLiteral("gpt2-medium") });
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("+230,383,360"), run.out.constData());
        run = cli({ QStringLiteral("diff"), QStringLiteral("llama-3-8b"), QStringLiteral("mixtral-8x7b"),
            QStringLiteral("--json") });
        QCOMPARE(run.exitCode, 0);
        const auto j = nlohmann::json::parse(run.out.toStdString());
        QCOMPARE(j["total"]["difference"].get<Count>(), kMixtral - kLlama);
        QCOMPARE(j["active"]["b"].get<Count>(), kMixtralActive);
        run = cli({ QStringLiteral("diff"), QStringLiteral("llama-3-8b"), QStringLiteral("mistral-7b"),
            QStringLiteral("--format"), QStringLiteral("csv") });
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("total,total,8030261248,7241732096,-788529152,"), run.out.constData());
        // --set applies to both: at E = 1024 and H = 16 the small model is the medium one at L = 12.
        run = cli({ QStringLiteral("diff"), QStringLiteral("gpt2"), QStringLiteral("gpt2-medium"),
            QStringLiteral("--set"), QStringLiteral("L=12"), QStringLiteral("--json") });
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(nlohmann::json::parse(run.out.toStdString())["total"]["b"].get<Count>(), gpt2(50257, 1024, 1024, 12));
        run = cli({ QStringLiteral("diff"), QStringLiteral("gpt2") });
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("diff: wants two SOURCEs"), run.err.constData());
        run = cli({ QStringLiteral("diff"), QStringLiteral("gpt2"), QStringLiteral("nosuchmodel") });
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.startsWith("paramscope-cli: nosuchmodel"));
    }

    void signedAndRatio()
    {
        QCOMPARE(qs(signedCount(0)), QStringLiteral("0"));
        QCOMPARE(qs(signedCount(-788529152)), QStringLiteral("−788,529,152"));
        QCOMPARE(qs(ratioText(std::nullopt)), QStringLiteral("—"));
        QCOMPARE((ComparedCount { 0, 5 }).ratio(), std::optional<double>());
    }
};

QTEST_APPLESS_MAIN(TestCompare)
#include "tst_compare.moc"

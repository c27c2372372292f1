// SPDX-License-Identifier: MIT
// Derivations: where a count comes from, as a lecturer writes it on the board — the formula, the
// same with the values, the result; a container's children added up; a block's copies. Every
// expected number is derived by hand below from GPT-2 small's published shapes
// (V = 50257, P = 1024, E = 768, L = 12; total 124,439,808).
#include "clirun.h"
#include "derivation.h"
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

constexpr Count V = 50257, P = 1024, E = 768, L = 12;

// By hand: one block is ln_1 (2E) + attn (c_attn 3E² + 3E, c_proj E² + E) + ln_2 (2E)
// + mlp (c_fc 4E² + 4E, c_proj 4E² + E) = 12E² + 13E.
constexpr Count kAttn = 4 * E * E + 4 * E; // 2,362,368
constexpr Count kBlock = 12 * E * E + 13 * E; // 7,087,872
constexpr Count kTotal = V * E + P * E + L * kBlock + 2 * E; // 124,439,808

Derivation derived(const Counted& c, const char* path)
{
    auto d = derive(c, path);
    if (!d)
        qFatal("%s", d.error().text().c_str());
    return std::move(*d);
}

QByteArrayList lines(const Derivation& d)
{
    QByteArrayList out;
    for (const auto& s : d.steps)
        out << QByteArray::fromStdString(stepText(s));
    return out;
}

} // namespace

class TestDerivation : public QObject {
    Q_OBJECT

private slots:
    void handDerivedConstants()
    {
        // The figures, and the published total, from the shapes alone.
        QCOMPARE(kAttn, Count(2362368));
        QCOMPARE(V * E, Count(38597376));
        QCOMPARE(kBlock, Count(7087872));
        QCOMPARE(L * kBlock, Count(85054464));
        QCOMPARE(kTotal, Count(124439808));
    }

    void gpt2Steps_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArrayList>("expected");
        QTest::addColumn<qlonglong>("count");
        QTest::newRow("attention, by layer index") << QByteArray("transformer.h.0.attn")
                                                   << QByteArrayList { "4E² + 4E = 4·768² + 4·768 = 2,362,368",
                                                          "c_attn + c_proj = 1,771,776 + 590,592 = 2,362,368" }
                                                   << qlonglong(kAttn);
        QTest::newRow("attention, by *") << QByteArray("transformer.h.*.attn")
                                         << QByteArrayList { "4E² + 4E = 4·768² + 4·768 = 2,362,368",
                                                "c_attn + c_proj = 1,771,776 + 590,592 = 2,362,368" }
                                         << qlonglong(kAttn);
        QTest::newRow("token embedding") << QByteArray("transformer.wte")
                                         << QByteArrayList { "V·E = 50257 × 768 = 38,597,376",
                                                "num·dim = 50257 × 768 = 38,597,376" }
                                         << qlonglong(V * E);
        // c_attn: Conv1D(nf = 3E = 2304, nx = E = 768), weight nf·nx and bias nf.
        QTest::newRow("a leaf with a bias")
            << QByteArray("transformer.h.11.attn.c_attn")
            << QByteArrayList { "3E² + 3E = 3·768² + 3·768 = 1,771,776", "nf·nx + nf = 2304 × 768 + 2304 = 1,771,776" }
            << qlonglong(3 * E * E + 3 * E);
        QTest::newRow("a LayerNorm") << QByteArray("transformer.ln_f")
                                     << QByteArrayList { "2E = 2·768 = 1,536", "dim + dim = 768 + 768 = 1,536" }
                                     << qlonglong(2 * E);
        // The block: one copy, its children, then the copies.
        QTest::newRow("the repeated block")
            << QByteArray("transformer.h.0")
            << QByteArrayList { "12E² + 13E = 12·768² + 13·768 = 7,087,872",
                   "ln_1 + attn + ln_2 + mlp = 1,536 + 2,362,368 + 1,536 + 4,722,432 = 7,087,872",
                   "L × 7,087,872 = 12 × 7,087,872 = 85,054,464" }
            << qlonglong(L * kBlock);
        QTest::newRow("the block by its range") << QByteArray("transformer.h.0-11")
                                                << QByteArrayList { "12E² + 13E = 12·768² + 13·768 = 7,087,872",
                                                       "ln_1 + attn + ln_2 + mlp = 1,536 + 2,362,368 + 1,536 + "
                                                       "4,722,432 = 7,087,872",
                                                       "L × 7,087,872 = 12 × 7,087,872 = 85,054,464" }
                                                << qlonglong(L * kBlock);
        // The tied head: its weight is counted at wte, so it adds nothing.
        QTest::newRow("the tied head") << QByteArray("lm_head")
                                       << QByteArrayList { "weight shared with transformer.wte, counted there = 0" }
                                       << qlonglong(0);
        QTest::newRow("the root")
            << QByteArray("")
            << QByteArrayList { "V·E + P·E + L(12E² + 13E) + 2E = 50257 × 768 + 1024 × 768 + 12 × "
                                "(12·768² + 13·768) + 2·768 = 124,439,808",
                   "transformer + lm_head = 124,439,808 + 0 = 124,439,808" }
            << qlonglong(kTotal);
    }

    void gpt2Steps()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArrayList, expected);
        QFETCH(qlonglong, count);
        const Counted c = countSource("gpt2");
        const Derivation d = derived(c, path.constData());
        QCOMPARE(lines(d), expected);
        QCOMPARE(d.count, Count(count));
        QCOMPARE(d.total, kTotal);
        // Every step ends in the node's count (of one copy, or of all of them).
        QVERIFY(!d.steps.empty());
        QCOMPARE(d.steps.back().result, Count(count));
    }

    void followsTheValues()
    {
        // E = 1024, H = 16 (D = 64): the attention is 4·1024² + 4·1024 = 4,198,400.
        const Counted c = countSource("gpt2", { { "E", 1024 }, { "H", 16 } });
        const Derivation d = derived(c, "transformer.h.3.attn");
        QCOMPARE(qs(stepText(d.steps.front())), QStringLiteral("4E² + 4E = 4·1024² + 4·1024 = 4,198,400"));
        QCOMPARE(d.count, Count(4 * 1024 * 1024 + 4 * 1024));
    }

    void enclosingCopies()
    {
        const Counted c = countSource("gpt2");
        const Derivation d = derived(c, "transformer.h.0.attn");
        QCOMPARE(d.multiplicity, L);
        QCOMPARE(d.overall, L * kAttn);
        QCOMPARE(d.canonical, std::string("transformer.h.*.attn"));
        QCOMPARE(d.path, std::string("transformer.h.0.attn"));
    }

    void moeActive()
    {
        // Mixtral 8x7B: E = 4096, expert width F = 14336, 8 experts, 2 per token; an expert is
        // three bias-free projections: 3·E·F = 176,160,768.
        const Counted c = countSource("mixtral-8x7b");
        const Count expert = 3 * Count(4096) * 14336;
        QCOMPARE(expert, Count(176160768));
        // Find the experts' list entry: the repeated node with an active_repeat.
        const Module* experts = nullptr;
        for (const Module* m : c.design.nodes())
            if (!m->activeRepeat.isEmpty())
                experts = m;
        QVERIFY(experts);
        const Derivation d = derive(c, *experts);
        const auto& copies = d.steps[d.steps.size() - 2];
        const auto& active = d.steps.back();
        QCOMPARE(copies.kind, DerivationStep::Kind::Copies);
        QCOMPARE(copies.result, 8 * expert);
        QCOMPARE(active.kind, DerivationStep::Kind::Active);
        QCOMPARE(active.result, 2 * expert);
        QVERIFY2(qs(stepText(active)).endsWith(QStringLiteral(" × 176,160,768 = 2 × 176,160,768 = 352,321,536")),
            qPrintable(qs(stepText(active))));
    }

    void badPaths_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("typo")
            << QByteArray("transformer.h.0.atn")
            << QByteArray("transformer.h.0.atn: no module \"atn\" in transformer.h.0; did you mean "
                          "transformer.h.0.attn?; nearest existing: transformer.h.0, with ln_1, attn, ln_2, mlp");
        QTest::newRow("layer out of range")
            << QByteArray("transformer.h.12.attn")
            << QByteArray("transformer.h.12.attn: no module \"12\" in transformer.h (layers: "
                          "0-11); nearest existing: transformer.h, with 0-11");
        QTest::newRow("below a leaf")
            << QByteArray("transformer.wte.weight")
            << QByteArray("transformer.wte.weight: no module \"weight\" in transformer.wte, which has "
                          "no children; nearest existing: transformer.wte");
        QTest::newRow("at the top") << QByteArray("model.layers")
                                    << QByteArray(
                                           "model.layers: no module \"model\" in the root (GPT2LMHeadModel); nearest "
                                           "existing: the root, with transformer, lm_head");
    }

    void badPaths()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, message);
        const Counted c = countSource("gpt2");
        auto d = derive(c, path.toStdString());
        QVERIFY(!d);
        QCOMPARE(QByteArray::fromStdString(d.error().text()), message);
    }

    void formats()
    {
        const Counted c = countSource("gpt2");
        const Derivation d = derived(c, "transformer.h.*");
        const QString md = qs(renderDerivation(d, DerivationFormat::Markdown));
        QVERIFY2(
            md.contains(QStringLiteral("- copies: `L × 7,087,872 = 12 × 7,087,872 = 85,054,464`")), qPrintable(md));
        const QString tex = qs(renderDerivation(d, DerivationFormat::Latex));
        QVERIFY2(tex.contains(QStringLiteral("12E^{2} + 13E = 12 \\cdot 768^{2} + 13 \\cdot 768 = 7{,}087{,}872")),
            qPrintable(tex));
        QVERIFY2(tex.contains(QStringLiteral("L \\times 7{,}087{,}872 = 12 \\times 7{,}087{,}872 = 85{,}054{,}464")),
            qPrintable(tex));
        QVERIFY(tex.contains(QStringLiteral("\\begin{align*}")) && tex.contains(QStringLiteral("\\end{align*}")));
        const auto j = nlohmann::json::parse(renderDerivation(d, DerivationFormat::Json));
        QCOMPARE(j["count"].get<Count>(), L * kBlock);
        QCOMPARE(j["steps"][0]["formula"].get<std::string>(), std::string("12*E^2 + 13*E"));
        QCOMPARE(j["steps"][0]["values"]["E"].get<Count>(), E);
        QCOMPARE(j["steps"][0]["result"].get<Count>(), kBlock);
        QCOMPARE(j["steps"][2]["kind"].get<std::string>(), std::string("copies"));
        QCOMPARE(j["steps"][2]["each"].get<Count>(), kBlock);
        QCOMPARE(j["steps"][2]["result"].get<Count>(), L * kBlock);
        const QString t = qs(renderDerivation(d, DerivationFormat::Text));
        QVERIFY2(t.contains(QStringLiteral("68.35% of the total 124,439,808")), qPrintable(t));
    }

    void cliExplain_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("attention") << QStringList { QStringLiteral("gpt2"), QStringLiteral("transformer.h.0.attn") }
                                   << 0 << QByteArray("4E² + 4E = 4·768² + 4·768 = 2,362,368");
        QTest::newRow("token embedding") << QStringList { QStringLiteral("gpt2"), QStringLiteral("transformer.wte") }
                                         << 0 << QByteArray("V·E = 50257 × 768 = 38,597,376");
        QTest::newRow("the blocks") << QStringList { QStringLiteral("gpt2"), QStringLiteral("transformer.h.*") } << 0
                                    << QByteArray("L × 7,087,872 = 12 × 7,087,872 = 85,054,464");
        QTest::newRow("with --set") << QStringList { QStringLiteral("gpt2"), QStringLiteral("transformer.h.*.attn"),
            QStringLiteral("--set"), QStringLiteral("E=1024"), QStringLiteral("--set"), QStringLiteral("H=16") }
                                    << 0 << QByteArray("4·1024² + 4·1024 = 4,198,400");
        QTest::newRow("latex") << QStringList { QStringLiteral("gpt2"), QStringLiteral("transformer.wte"),
            QStringLiteral("--format"), QStringLiteral("latex") }
                               << 0 << QByteArray("V \\cdot E = 50257 \\times 768 = 38{,}597{,}376");
        QTest::newRow("markdown") << QStringList { QStringLiteral("gpt2"), QStringLiteral("transformer.wte"),
            QStringLiteral("--format"), QStringLiteral("markdown") }
                                  << 0 << QByteArray("- formula: `V·E = 50257 × 768 = 38,597,376`");
        QTest::newRow("json") << QStringList { QStringLiteral("gpt2"), QStringLiteral("transformer.wte"),
            QStringLiteral("--json") }
                              << 0 << QByteArray("\"result\": 38597376");
        QTest::newRow("no such path") << QStringList { QStringLiteral("gpt2"), QStringLiteral("transformer.h.0.mpl") }
                                      << 2 << QByteArray("did you mean transformer.h.0.mlp?");
        QTest::newRow("no path") << QStringList { QStringLiteral("gpt2") } << 2 << QByteArray("wants SOURCE and PATH");
        QTest::newRow("bad format") << QStringList { QStringLiteral("gpt2"), QString(), QStringLiteral("--format"),
            QStringLiteral("csv") } << 2
                                    << QByteArray("--format: unknown format 'csv'");
    }

    void cliExplain()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QByteArray, expected);
        const auto run = paramscope::test::cli(QStringList { QStringLiteral("explain") } + args);
        QCOMPARE(run.exitCode, exitCode);
        const QByteArray& where = exitCode == 0 ? run.out : run.err;
        QVERIFY2(where.contains(expected), where.constData());
        if (exitCode != 0) {
            QVERIFY(run.out.isEmpty());
            QCOMPARE(run.err.count('\n'), 1); // one line
        }
    }

    void formulasOfAnotherStructure()
    {
        // Regression (found by the monkey): a window with no design yet has an evaluation but no
        // formulas; deriving must not read past them, and still adds the children up.
        const Counted c = countSource("gpt2");
        const std::vector<NodeFormula> none;
        const CountedRef ref { c.design, c.evaluation, none };
        const Derivation d = derive(ref, *c.design.root);
        QCOMPARE(d.formulaError, std::string("no formula"));
        QCOMPARE(d.steps.size(), std::size_t(1));
        QCOMPARE(d.steps.front().kind, DerivationStep::Kind::Children);
        QCOMPARE(d.steps.front().result, kTotal);
    }

    void everyNodeAddsUp_data()
    {
        QTest::addColumn<QByteArray>("source");
        for (const char* p : { "gpt2", "llama-3-8b", "mixtral-8x7b", "gemma-3-4b", "deepseek-v3", "bert-base" })
            QTest::newRow(p) << QByteArray(p);
    }

    void everyNodeAddsUp()
    {
        // For every node: the children's counts add up to one copy, and copies × one copy is the
        // count (checked here with our own arithmetic, not the derivation's).
        QFETCH(QByteArray, source);
        const Counted c = countSource(source.toStdString());
        for (const Module* m : c.design.nodes()) {
            const Derivation d = derive(c, *m);
            const NodeValue& v = c.evaluation.nodes[static_cast<std::size_t>(m->index)];
            QCOMPARE(d.count, v.count);
            for (const auto& s : d.steps) {
                if (s.kind == DerivationStep::Kind::Children) {
                    Count sum = 0;
                    for (const auto& part : s.parts)
                        sum += part.second;
                    QCOMPARE(sum, v.each);
                }
                if (s.kind == DerivationStep::Kind::Copies)
                    QCOMPARE(s.parts.front().second * v.repeat, v.count);
            }
            QVERIFY(!stepText(d.steps.front()).empty());
        }
    }
};

QTEST_APPLESS_MAIN(TestDerivation)
#include "tst_derivation.moc"

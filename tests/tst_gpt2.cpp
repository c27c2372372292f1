// SPDX-License-Identifier: MIT
// GPT-2 against the notebook (../shared/reference) and the published sizes of the four checkpoints.
#include "testutil.h"

#include <QtTest>

using namespace paramscope::core;
using namespace paramscope::test;

namespace {

// The notebook's own formulas (cells 5, 6 and 9), written out here as an independent derivation.
Count attention(Count E)
{
    return 4 * E * (E + 1);
}
Count mlp(Count E)
{
    return 8 * E * E + 5 * E;
}
Count gptTotal(Count V, Count P, Count E, Count L)
{
    return V * E + P * E + L * (attention(E) + mlp(E) + 4 * E) + 2 * E;
}

} // namespace

class TestGpt2 : public QObject {
    Q_OBJECT
private slots:
    void notebookComponents()
    {
        const Counted c = countSource("gpt2");
        QCOMPARE(at(c, "transformer.wte").count, 38'597'376);
        QCOMPARE(at(c, "transformer.wpe").count, 786'432);
        QCOMPARE(at(c, "transformer.h.*.attn").count, 2'362'368);
        QCOMPARE(at(c, "transformer.h.*.mlp").count, 4'722'432);
        QCOMPARE(at(c, "transformer.h.*.ln_1").count, 1'536);
        QCOMPARE(at(c, "transformer.h.*.ln_2").count, 1'536);
        QCOMPARE(at(c, "transformer.ln_f").count, 1'536);
        QCOMPARE(at(c, "transformer.h.*").each, 7'087'872);
        QCOMPARE(at(c, "transformer.h.*").repeat, 12);
        QCOMPARE(at(c, "transformer.h").count, 12 * 7'087'872);
        QCOMPARE(at(c, "lm_head").count, 0); // tied to wte: counted once
        QCOMPARE(c.evaluation.total, 124'439'808);
        QCOMPARE(c.evaluation.total, gptTotal(50257, 1024, 768, 12));
        // transformers' num_parameters(exclude_embeddings=True) drops wte and wpe.
        QCOMPARE(c.evaluation.nonEmbedding, 124'439'808 - 38'597'376 - 786'432);
        QVERIFY(!c.evaluation.sparse);
    }

    void publishedSizes_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<qint64>("E");
        QTest::addColumn<qint64>("L");
        // Published totals (keras-hub presets, Hugging Face model cards); note GPT-2 medium has L = 24.
        QTest::newRow("small") << "gpt2" << qint64(124'439'808) << qint64(768) << qint64(12);
        QTest::newRow("medium") << "gpt2-medium" << qint64(354'823'168) << qint64(1024) << qint64(24);
        QTest::newRow("large") << "gpt2-large" << qint64(774'030'080) << qint64(1280) << qint64(36);
        QTest::newRow("xl") << "gpt2-xl" << qint64(1'557'611'200) << qint64(1600) << qint64(48);
    }
    void publishedSizes()
    {
        QFETCH(QString, preset);
        QFETCH(qint64, total);
        QFETCH(qint64, E);
        QFETCH(qint64, L);
        const Counted c = countSource(preset.toUtf8().constData());
        QCOMPARE(c.evaluation.total, total);
        QCOMPARE(gptTotal(50257, 1024, E, L), total);
        QCOMPARE(c.evaluation.symbols[static_cast<std::size_t>(c.design.symbolIndex("E"))], E);
    }

    void notebookMediumCellUsedSixteenLayers()
    {
        // The notebook prints 254.05M for "GPT2-Medium" because its cell passes L = 16.
        const Counted wrong = countSource("gpt2-medium", { { "L", 16 } });
        QCOMPARE(wrong.evaluation.total, gptTotal(50257, 1024, 1024, 16));
        QCOMPARE(QString::fromStdString(compactCount(wrong.evaluation.total)), QStringLiteral("254.05M"));
    }

    void formulas()
    {
        const Counted c = countSource("gpt2");
        QCOMPARE(formulaAt(c, "transformer.h.*.attn").total, std::string("4E² + 4E"));
        QCOMPARE(formulaAt(c, "transformer.h.*.mlp").total, std::string("8E² + 5E"));
        QCOMPARE(formulaAt(c, "transformer.h.*.ln_1").total, std::string("2E"));
        QCOMPARE(formulaAt(c, "transformer.h.*").each, std::string("12E² + 13E"));
        QCOMPARE(formulaAt(c, "transformer.h.*").total, std::string("L(12E² + 13E)"));
        QCOMPARE(formulaAt(c, "transformer.wte").total, std::string("VE"));
        QCOMPARE(c.formulas[0].total, std::string("VE + PE + L(12E² + 13E) + 2E"));
        QCOMPARE(c.formulas[0].totalAscii, std::string("V*E + P*E + L*(12*E^2 + 13*E) + 2*E"));
        QCOMPARE(formulaAt(c, "lm_head").total, std::string("0"));
    }

    void formulasAgreeWithCounts_data()
    {
        QTest::addColumn<QString>("preset");
        for (const char* p : { "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl" })
            QTest::newRow(p) << QString::fromLatin1(p);
    }
    void formulasAgreeWithCounts()
    {
        // Each node's formula, evaluated at the design's values, gives the node's count.
        QFETCH(QString, preset);
        const Counted c = countSource(preset.toUtf8().constData());
        for (const Module* m : c.design.nodes()) {
            const auto i = static_cast<std::size_t>(m->index);
            QVERIFY(c.formulas[i].ok);
            auto v = c.formulas[i].polynomial.evaluate(c.evaluation.symbols);
            QVERIFY(v.ok());
            QCOMPARE(*v, c.evaluation.nodes[i].count);
        }
    }

    void settingsFollowDerivations()
    {
        const Counted c = countSource("gpt2", { { "E", 1024 }, { "H", 16 }, { "L", 24 } });
        QCOMPARE(c.evaluation.total, 354'823'168);
        // F = 4*E moved with E; V and P stayed.
        QCOMPARE(c.evaluation.symbols[static_cast<std::size_t>(c.design.symbolIndex("F"))], 4096);
        QCOMPARE(c.evaluation.symbols[static_cast<std::size_t>(c.design.symbolIndex("V"))], 50257);
        // A config field name works as well as the symbol.
        const Counted byField = countSource("gpt2", { { "n_embd", 1024 }, { "n_head", 16 }, { "n_layer", 24 } });
        QCOMPARE(byField.evaluation.total, 354'823'168);
    }

    void settingDerivedUnlocksIt()
    {
        // Setting F breaks F = 4E: the MLP is then F-wide whatever E is.
        const Counted c = countSource("gpt2", { { "F", 1000 } });
        QCOMPARE(at(c, "transformer.h.*.mlp").count, 768 * 1000 + 1000 + 1000 * 768 + 768);
        QVERIFY(!c.design.symbol("F")->isDerived());
    }

    void indivisibleWidthIsRefused()
    {
        auto d = loadSource("gpt2");
        QVERIFY(d.ok());
        QVERIFY(applySetting(*d, "E", 1000).ok());
        auto e = evaluate(*d);
        QVERIFY(!e.ok());
        const QString message = QString::fromStdString(e.error().text());
        QVERIFY2(message.contains(QStringLiteral("1000 is not divisible by H = 12")), qPrintable(message));
        QVERIFY2(message.startsWith(QStringLiteral("D:")), qPrintable(message));
    }

    void overflowIsAnError()
    {
        auto d = loadSource("gpt2");
        QVERIFY(applySetting(*d, "H", 16).ok());
        QVERIFY(applySetting(*d, "E", 4611686018427387904).ok());
        auto e = evaluate(*d);
        QVERIFY(!e.ok());
        QVERIFY2(
            QString::fromStdString(e.error().text()).contains(QStringLiteral("overflows")), e.error().text().c_str());
    }

    void hugeRepeatAnswersAtOnce()
    {
        // L = 10^15 blocks: one block counted and multiplied, so it ends at once (here: overflow).
        QElapsedTimer timer;
        timer.start();
        auto d = loadSource("gpt2");
        QVERIFY(applySetting(*d, "L", 1'000'000'000'000'000).ok());
        auto e = evaluate(*d);
        QVERIFY(!e.ok());
        QVERIFY(timer.elapsed() < 1000);
        // A large L that fits is exact: 10^9 blocks of GPT-2 small.
        auto d2 = loadSource("gpt2");
        QVERIFY(applySetting(*d2, "L", 1'000'000'000).ok());
        auto e2 = evaluate(*d2);
        QVERIFY(e2.ok());
        QCOMPARE(e2->total, gptTotal(50257, 1024, 768, 1'000'000'000));
    }
};

QTEST_APPLESS_MAIN(TestGpt2)
#include "tst_gpt2.moc"

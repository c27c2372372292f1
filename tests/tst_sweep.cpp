// SPDX-License-Identifier: MIT
// Sweeps: exact counts at each x, the notebook's closed form along E, skipped invalid x, breakdowns.
#include "breakdown.h"
#include "presets.h"
#include "source.h"
#include "sweep.h"

#include <QtTest>

using namespace paramscope::core;

namespace {

// The notebook's GPT-2 total along E (V = 50257, P = 1024, L = 12).
Count notebook(Count E)
{
    return 50257 * E + 1024 * E + 12 * (12 * E * E + 13 * E) + 2 * E;
}

Design load(const char* name)
{
    auto d = loadSource(name);
    if (!d)
        qFatal("%s", d.error().text().c_str());
    if (auto st = d->compile(); !st)
        qFatal("%s", st.error().text().c_str());
    return std::move(*d);
}

Sweep run(const Design& d, SweepOptions o)
{
    auto s = sweep(d, o);
    if (!s)
        qFatal("%s", s.error().text().c_str());
    return std::move(*s);
}

} // namespace

class TestSweep : public QObject {
    Q_OBJECT
private slots:
    void gpt2AlongEIsTheNotebooksClosedForm()
    {
        const Sweep s = run(load("gpt2"), { "E", 12, 3072, std::nullopt });
        QCOMPARE(s.step, Count(12)); // D = E/H: multiples of H only
        QVERIFY(s.validStep);
        QVERIFY(s.skipped.empty());
        QCOMPARE(s.points.size(), std::size_t(256));
        for (const SweepPoint& p : s.points)
            QCOMPARE(p.total, notebook(p.x));
        QCOMPARE(s.formula, std::string("12L·E² + (V + P + 13L + 2)·E"));
        QCOMPARE(s.formulaAscii, std::string("12*L*E^2 + (V + P + 13*L + 2)*E"));
    }

    void pointsEqualTheCoresCountAtEachX_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("x");
        for (const Preset& p : presets()) {
            for (const char* x : { "E", "L", "V" })
                QTest::newRow((std::string(p.name) + "/" + x).c_str())
                    << QString::fromUtf8(p.name.data(), qsizetype(p.name.size())) << QString::fromLatin1(x);
        }
    }
    void pointsEqualTheCoresCountAtEachX()
    {
        QFETCH(QString, preset);
        QFETCH(QString, x);
        const Design d = load(preset.toStdString().c_str());
        if (d.symbolIndex(x.toStdString()) < 0)
            QSKIP("no such hyperparameter in this preset");
        SweepOptions o;
        o.x = x.toStdString();
        o.maxPoints = 40;
        const Sweep s = run(d, o);
        QVERIFY(!s.points.empty());
        const auto kinds = components(d);
        for (const SweepPoint& p : s.points) {
            Design e = d;
            QVERIFY(e.setValue(s.x, p.x).ok());
            QVERIFY(e.compile().ok());
            auto ev = evaluate(e);
            QVERIFY2(ev.ok(), ev.ok() ? "" : ev.error().text().c_str());
            QCOMPARE(p.total, ev->total);
            QCOMPARE(p.nonEmbedding, ev->nonEmbedding);
            // The breakdown sums to the total.
            Count sum = 0;
            for (Count part : p.parts)
                sum += part;
            QCOMPARE(sum, p.total);
        }
    }

    void invalidXAreSkippedWithTheReason()
    {
        const Sweep s = run(load("gpt2"), { "E", 760, 780, 1 });
        QVERIFY(!s.validStep);
        QCOMPARE(s.points.size(), std::size_t(2)); // 768 and 780
        QCOMPARE(s.points[0].x, Count(768));
        QCOMPARE(s.points[1].x, Count(780));
        QCOMPARE(s.skipped.size(), std::size_t(19));
        QCOMPARE(s.skipped.front().x, Count(760));
        QVERIFY2(s.skipped.front().reason.find("not divisible by H = 12") != std::string::npos,
            s.skipped.front().reason.c_str());
    }

    void defaultStepLandsOnValidValues()
    {
        const Sweep s = run(load("gpt2"), { "E", 770, 900, std::nullopt });
        QCOMPARE(s.from, Count(780));
        QVERIFY(s.skipped.empty());
        for (const SweepPoint& p : s.points)
            QCOMPARE(p.x % 12, Count(0));
        QVERIFY(s.stepReason.find("divisible") != std::string::npos);
    }

    void gpt2Breakdown()
    {
        const Sweep s = run(load("gpt2"), { "E", 768, 768, std::nullopt });
        QCOMPARE(s.points.size(), std::size_t(1));
        const Breakdown& b = s.points[0].parts;
        QCOMPARE(b[std::size_t(Component::Embeddings)], Count((50257 + 1024) * 768));
        QCOMPARE(b[std::size_t(Component::Attention)], Count(12 * 4 * 768 * 769));
        QCOMPARE(b[std::size_t(Component::Mlp)], Count(12 * (8 * 768 * 768 + 5 * 768)));
        QCOMPARE(b[std::size_t(Component::Norms)], Count(12 * 4 * 768 + 2 * 768));
        QCOMPARE(b[std::size_t(Component::LmHead)], Count(0)); // tied to wte
        QCOMPARE(s.componentFormulas[std::size_t(Component::Attention)], std::string("4L·E² + 4L·E"));
    }

    void derivedXBecomesSet()
    {
        // F = 4*E is derived; sweeping it holds E.
        const Sweep s = run(load("gpt2"), { "F", 3000, 3100, 50 });
        QCOMPARE(s.points.size(), std::size_t(3));
        QCOMPARE(s.points[1].total - s.points[0].total, Count(12 * (2 * 768 * 50 + 50)));
    }

    void errors()
    {
        QVERIFY(!sweep(load("gpt2"), { "Q", std::nullopt, std::nullopt, std::nullopt }).ok());
        QVERIFY(!sweep(load("gpt2"), { "E", 800, 700, std::nullopt }).ok());
        QVERIFY(!sweep(load("gpt2"), { "E", 1, 10, 0 }).ok());
    }

    // The whole 64-bit range used to overflow the point count (the loop then walked towards
    // 2^63, gigabytes of skipped values); a default step widens to stay under maxPoints.
    void wholeRangeIsBoundedByThePointLimit_data()
    {
        QTest::addColumn<QString>("x");
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        QTest::newRow("L from 0") << "L" << qint64(0) << qint64(INT64_MAX);
        QTest::newRow("E from 0") << "E" << qint64(0) << qint64(INT64_MAX);
        QTest::newRow("L from the minimum") << "L" << qint64(INT64_MIN) << qint64(INT64_MAX);
        QTest::newRow("E near the top") << "E" << qint64(INT64_MAX - 100) << qint64(INT64_MAX);
    }
    void wholeRangeIsBoundedByThePointLimit()
    {
        QFETCH(QString, x);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        SweepOptions o { x.toStdString(), from, to, std::nullopt };
        auto s = sweep(load("gpt2"), o);
        if (!s.ok()) {
            QVERIFY2(s.error().text().find("no " + x.toStdString() + " to sweep") != std::string::npos,
                s.error().text().c_str());
            return;
        }
        QVERIFY(s->points.size() + s->skipped.size() <= o.maxPoints + 1);
        QVERIFY(s->from >= from && s->to <= to);
        for (const SweepPoint& p : s->points)
            QVERIFY(p.x >= s->from && p.x <= s->to);
        // The points still step through valid values only.
        if (x == QLatin1String("E"))
            for (const SweepPoint& p : s->points)
                QCOMPARE(p.x % 12, Count(0));
    }

    void explicitStepsAreRefusedAboveThePointLimit()
    {
        auto s = sweep(load("gpt2"), { "L", 0, INT64_MAX, 1 });
        QVERIFY(!s.ok());
        QVERIFY2(s.error().text().find("take a larger step") != std::string::npos, s.error().text().c_str());
        auto wide = sweep(load("gpt2"), { "L", INT64_MIN, INT64_MAX, 1 });
        QVERIFY(!wide.ok());
        QVERIFY2(wide.error().text().find("take a larger step") != std::string::npos, wide.error().text().c_str());
        // 100,000 points is the limit: 1..100000 passes the count check, 1..100001 does not.
        auto over = sweep(load("gpt2"), { "L", 1, 100'001, 1 });
        QVERIFY(!over.ok());
        QVERIFY(over.error().text().find("100001 points") != std::string::npos);
    }

    // --from at the top of the range: aligning it to the next multiple of H overflowed.
    void fromAtTheTopOfTheRange()
    {
        auto s = sweep(load("gpt2"), { "E", INT64_MAX, std::nullopt, std::nullopt });
        QVERIFY(!s.ok());
        QVERIFY2(s.error().text().find("no E to sweep") != std::string::npos, s.error().text().c_str());
        auto t = sweep(load("gpt2"), { "E", INT64_MAX, INT64_MAX, std::nullopt });
        QVERIFY(!t.ok());
        QVERIFY2(t.error().text().find("no E to sweep") != std::string::npos, t.error().text().c_str());
        auto u = sweep(load("gpt2"), { "L", INT64_MAX, INT64_MAX, std::nullopt });
        QVERIFY(u.ok()); // one x, which overflows: skipped with the reason
        QCOMPARE(u->points.size(), std::size_t(0));
        QCOMPARE(u->skipped.size(), std::size_t(1));
    }

    // An invalid design (E = 1000 is not divisible by H = 12) with L = 10^12: the search for a
    // valid L to anchor the steps on probed every L up to 2 × 10^12 (and 2 × L overflowed at
    // the top). It is bounded now; every L is invalid, so every L is skipped with the reason.
    void anchorSearchIsBounded_data()
    {
        QTest::addColumn<qint64>("L");
        QTest::newRow("10^12") << qint64(1'000'000'000'000);
        QTest::newRow("2^63 - 1") << qint64(INT64_MAX);
    }
    void anchorSearchIsBounded()
    {
        QFETCH(qint64, L);
        Design d = load("gpt2");
        QVERIFY(d.setValue("E", 1000).ok());
        QVERIFY(d.setValue("L", L).ok());
        SweepOptions o { "L", std::nullopt, std::nullopt, std::nullopt };
        auto s = sweep(d, o);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().text().c_str());
        QVERIFY(s->points.empty());
        QVERIFY(!s->skipped.empty());
        QVERIFY(s->skipped.size() <= o.maxPoints + 1);
        QVERIFY(s->skipped.front().reason.find("not divisible by H = 12") != std::string::npos);
    }

    void csvHasExactIntegers()
    {
        const Sweep s = run(load("gpt2"), { "E", 768, 780, std::nullopt });
        const std::string csv = sweepCsv(s);
        QVERIFY(csv.rfind("E,total,non_embedding,active,embeddings,attention,mlp", 0) == 0);
        QVERIFY(csv.find("\n768,124439808,85056000,124439808,") != std::string::npos);
        QVERIFY(csv.find("\n780," + std::to_string(notebook(780)) + ",") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSweep)
#include "tst_sweep.moc"

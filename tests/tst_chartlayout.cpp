// SPDX-License-Identifier: MIT
// The chart's layout alone (no plot, no window): at every size and zoom the app uses, the data
// rectangle keeps its share, legend entries never overlap, and no text leaves its rectangle.
#include "chartdata.h"
#include "chartlayout.h"
#include "source.h"

#include <QFontMetricsF>
#include <QtTest>

using namespace paramscope;
using ui::ChartLayout;
using ui::ChartLayoutInput;
using ui::LegendPlacement;

namespace {

core::Design load(const char* name)
{
    auto d = core::loadSource(name);
    if (!d)
        qFatal("%s", d.error().text().c_str());
    return std::move(*d);
}

/// The widget's chart for @p source: the design with every preset as a marker.
ui::ChartSpec specFor(const char* source, const char* x = "E")
{
    ui::ChartSpec spec;
    spec.design = load(source);
    spec.x = x;
    spec.autoRangeFactor = 4;
    for (const char* m : { "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "bert-base", "deepseek-v3", "gemma-3-4b",
             "llama-3-8b", "mistral-7b", "mixtral-8x7b", "qwen3-8b" }) {
        if (auto d = core::loadSource(m))
            spec.markers.push_back(std::move(*d));
    }
    return spec;
}

ChartLayoutInput inputFor(const char* source, QSize size, int zoomPercent, bool withKey)
{
    const ui::ChartSpec spec = specFor(source);
    auto data = ui::computeChart(spec);
    if (!data)
        qFatal("%s", data.error().text().c_str());
    // 13 px is the app's body text at 100 %; zoom scales it.
    ChartLayoutInput in = ui::layoutInput(spec, *data, size, 13 * zoomPercent / 100);
    if (withKey) {
        for (const auto& m : data->markers)
            in.key << QStringLiteral("%1 = %2 (%3)").arg(in.key.size() + 1).arg(m.label, m.differs);
    }
    return in;
}

/// Every line of @p t fits the width of its rectangle, and the lines fit its height.
bool textFits(const ChartLayout::Text& t, QString* why)
{
    if (t.lines.isEmpty())
        return true;
    const QFontMetricsF metrics(t.font);
    for (const QString& line : t.lines) {
        if (metrics.horizontalAdvance(line) > t.rect.width() + 0.5) {
            *why = QStringLiteral("'%1' is %2 px wide in %3")
                       .arg(line)
                       .arg(metrics.horizontalAdvance(line))
                       .arg(t.rect.width());
            return false;
        }
    }
    if (metrics.lineSpacing() * static_cast<double>(t.lines.size()) > t.rect.height() + 0.5) {
        *why = QStringLiteral("%1 lines in %2 px").arg(t.lines.size()).arg(t.rect.height());
        return false;
    }
    return true;
}

QString describe(const ChartLayout& l)
{
    return QStringLiteral("plot %1x%2 at %3,%4; legend %5 (%6 entries) %7x%8; subtitle %9 lines; footer %10 lines")
        .arg(l.plot.width())
        .arg(l.plot.height())
        .arg(l.plot.x())
        .arg(l.plot.y())
        .arg(l.legendPlacement == LegendPlacement::Bottom    ? QStringLiteral("bottom")
                : l.legendPlacement == LegendPlacement::Side ? QStringLiteral("side")
                                                             : QStringLiteral("hidden"))
        .arg(l.entries.size())
        .arg(l.legend.width())
        .arg(l.legend.height())
        .arg(l.subtitle.lines.size())
        .arg(l.footer.lines.size());
}

} // namespace

class TestChartLayout : public QObject {
    Q_OBJECT
private slots:
    void keepsPlotShareAndClipsNothing_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("zoom");
        QTest::addColumn<bool>("key");
        // The chart's own area in a 1920×1060 window (the tab beside the hyperparameters), the
        // whole of such a window, a small one, and a file export.
        const QList<QSize> sizes { { 1270, 420 }, { 1430, 260 }, { 1920, 1060 }, { 800, 600 }, { 1600, 1000 } };
        for (const char* source : { "gpt2", "llama-3-8b", "deepseek-v3" })
            for (const QSize& size : sizes)
                for (int zoom : { 100, 110, 125, 150, 175, 200, 250, 300 })
                    for (bool key : { false, true })
                        QTest::addRow("%s %dx%d %d%%%s", source, size.width(), size.height(), zoom, key ? " key" : "")
                            << QString::fromLatin1(source) << size << zoom << key;
    }

    void keepsPlotShareAndClipsNothing()
    {
        QFETCH(QString, source);
        QFETCH(QSize, size);
        QFETCH(int, zoom);
        QFETCH(bool, key);
        const ChartLayoutInput in = inputFor(source.toLatin1().constData(), size, zoom, key);
        const ChartLayout l = ui::layoutChart(in);
        const QString about = describe(l);
        // The data rectangle keeps at least half the width and two fifths of the height.
        QVERIFY2(l.plotKeepsShare, qPrintable(about));
        QVERIFY2(l.plot.width() >= size.width() / 2 && l.plot.height() >= size.height() * 2 / 5, qPrintable(about));
        // Inside the chart, inside its axes.
        const QRect chart(QPoint(0, 0), size);
        QVERIFY(chart.contains(l.axes));
        QVERIFY(l.axes.contains(l.plot));
        // Texts: inside the chart, each line within its rectangle, none over the axes.
        QString why;
        for (const ChartLayout::Text* t : { &l.title, &l.subtitle, &l.footer }) {
            if (t->lines.isEmpty())
                continue;
            QVERIFY2(chart.contains(t->rect), qPrintable(about));
            QVERIFY2(textFits(*t, &why), qPrintable(why + QStringLiteral("; ") + about));
            QVERIFY2(!t->rect.intersects(l.axes), qPrintable(about));
        }
        QVERIFY2(!l.title.rect.intersects(l.subtitle.rect), qPrintable(about));
        // Legend: inside the chart, clear of the axes and the texts, no two entries overlapping,
        // each entry's lines within its text rectangle.
        QCOMPARE(l.entries.size(), in.legend.size());
        if (l.legendPlacement != LegendPlacement::Hidden) {
            QVERIFY2(chart.contains(l.legend), qPrintable(about));
            QVERIFY2(!l.legend.intersects(l.axes), qPrintable(about));
            for (const ChartLayout::Text* t : { &l.title, &l.subtitle, &l.footer })
                QVERIFY2(t->lines.isEmpty() || !l.legend.intersects(t->rect), qPrintable(about));
            const QFontMetricsF metrics(l.fonts.legend());
            for (std::size_t i = 0; i < l.entries.size(); ++i) {
                const auto& e = l.entries[i];
                QVERIFY2(l.legend.contains(e.rect), qPrintable(about));
                QVERIFY(e.rect.contains(e.icon) && e.rect.contains(e.text));
                QVERIFY(!e.icon.intersects(e.text));
                for (const QString& line : e.lines)
                    QVERIFY2(metrics.horizontalAdvance(line) <= e.text.width() + 0.5, qPrintable(line));
                for (std::size_t j = i + 1; j < l.entries.size(); ++j)
                    QVERIFY2(!e.rect.intersects(l.entries[j].rect),
                        qPrintable(QStringLiteral("entries %1 and %2 overlap; ").arg(i).arg(j) + about));
            }
        }
        // What the picture leaves out is listed whole: the legend's formulas among it.
        for (std::size_t i = 0; i < l.entries.size(); ++i) {
            const bool whole = !l.entries[i].lines.isEmpty() && !l.entries[i].shortened;
            QVERIFY(whole || l.omitted.contains(in.legend[i].fullText()));
        }
    }

    // Where there is room, nothing is left out: the whole legend with its formulas below the
    // plot, the whole subtitle and footer (a 1600×1000 export, a 1920×1060 window at 100 %).
    void roomyKeepsEverything_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QSize>("size");
        QTest::newRow("gpt2 export") << QStringLiteral("gpt2") << QSize(1600, 1000);
        QTest::newRow("llama window") << QStringLiteral("llama-3-8b") << QSize(1920, 1060);
        QTest::newRow("deepseek window") << QStringLiteral("deepseek-v3") << QSize(1920, 1060);
    }

    void roomyKeepsEverything()
    {
        QFETCH(QString, source);
        QFETCH(QSize, size);
        const ChartLayout l = ui::layoutChart(inputFor(source.toLatin1().constData(), size, 100, true));
        QVERIFY2(l.omitted.isEmpty(), qPrintable(l.omitted.join(QLatin1Char('\n'))));
        QCOMPARE(l.legendPlacement, LegendPlacement::Bottom);
        QVERIFY(!l.yLabel.isEmpty());
    }

    // The DeepSeek-V3 total's formula (longer than the chart is wide at 175 %) wraps onto more
    // lines instead of being cut: every term is in the picture.
    void longFormulaWraps()
    {
        ChartLayoutInput in = inputFor("deepseek-v3", QSize(1920, 1060), 175, false);
        const ChartLayout l = ui::layoutChart(in);
        QVERIFY(l.legendPlacement != LegendPlacement::Hidden);
        const auto& total = l.entries.front();
        QVERIFY2(!total.shortened, qPrintable(total.lines.join(QLatin1Char('|'))));
        QVERIFY(total.lines.size() > 1);
        QString joined = total.lines.join(QLatin1Char(' '));
        QCOMPARE(joined.simplified(), in.legend.front().fullText().simplified());
    }

    // The layout is a pure function: the same input gives the same layout.
    void deterministic()
    {
        const ChartLayoutInput in = inputFor("llama-3-8b", QSize(1270, 420), 175, true);
        const ChartLayout a = ui::layoutChart(in), b = ui::layoutChart(in);
        QCOMPARE(a.plot, b.plot);
        QCOMPARE(a.legend, b.legend);
        QCOMPARE(a.omitted, b.omitted);
    }
};

QTEST_MAIN(TestChartLayout)
#include "tst_chartlayout.moc"

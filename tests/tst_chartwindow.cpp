// SPDX-License-Identifier: MIT
// The growth chart inside the real MainWindow (offscreen), driven by keys as a user does: the
// sequences that crashed it (issue 8), and the throttled rebuild of a drag.
#include "chartwidget.h"
#include "hyperparameterpanel.h"
#include "mainwindow.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>
#include <QTimer>

using namespace paramscope;
using ui::ChartWidget;
using ui::MainWindow;

namespace {

ChartWidget* chartOf(MainWindow& w)
{
    return w.findChild<ChartWidget*>();
}

bool chartShown(MainWindow& w)
{
    ChartWidget* chart = chartOf(w);
    return chart && chart->isVisible();
}

/// Ctrl+J, as a user switches between the tree and the chart.
void toggleChart(MainWindow& w)
{
    QTest::keyClick(&w, Qt::Key_J, Qt::ControlModifier);
}

/// Types @p text into @p symbol's spin box (replacing what it shows) and presses Enter.
void typeValue(MainWindow& w, const QString& symbol, const QString& text)
{
    auto* spin = w.hyperparameterPanel()->spinBox(symbol);
    QVERIFY(spin);
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, text);
    QTest::keyClick(spin, Qt::Key_Return);
}

/// Lets the chart's pending rebuild run now, as the event loop would after its throttle.
void settleChart(MainWindow& w)
{
    QApplication::processEvents();
    chartOf(w)->flush();
    QApplication::processEvents();
}

} // namespace

class TestChartWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("ParamScopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_chartwindow"));
    }

    // Each sequence crashed (SIGSEGV in ChartWidget::rebuild → layoutAt, a null legend item)
    // before the legend was rebuilt without holes.
    void crashSequences_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QStringList>("steps");
        QTest::newRow("llama, chart, L up")
            << QStringLiteral("llama-3-8b") << QStringList { QStringLiteral("chart"), QStringLiteral("up L") };
        QTest::newRow("gpt2, chart, E=1000")
            << QStringLiteral("gpt2") << QStringList { QStringLiteral("chart"), QStringLiteral("E=1000") };
        QTest::newRow("gpt2, chart, tree, E=1000") << QStringLiteral("gpt2")
                                                   << QStringList { QStringLiteral("chart"), QStringLiteral("chart"),
                                                          QStringLiteral("E=1000"), QStringLiteral("chart") };
        QTest::newRow("llama, chart, E=4100")
            << QStringLiteral("llama-3-8b") << QStringList { QStringLiteral("chart"), QStringLiteral("E=4100") };
    }

    void crashSequences()
    {
        QFETCH(QString, source);
        QFETCH(QStringList, steps);
        MainWindow w;
        QVERIFY(w.openSource(source, nullptr, false));
        w.resize(1440, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w) || QTest::qWaitForWindowExposed(&w));
        for (const QString& step : steps) {
            if (step == QLatin1String("chart")) {
                const bool before = chartShown(w);
                toggleChart(w);
                QCOMPARE(chartShown(w), !before);
            } else if (step.startsWith(QLatin1String("up "))) {
                auto* spin = w.hyperparameterPanel()->spinBox(step.mid(3));
                QVERIFY(spin);
                spin->setFocus();
                QTest::keyClick(spin, Qt::Key_Up);
            } else {
                const QStringList nv = step.split(QLatin1Char('='));
                typeValue(w, nv[0], nv[1]);
            }
            settleChart(w);
        }
        // Whatever the last step, the chart shows the document's design once it is shown.
        if (!chartShown(w))
            toggleChart(w);
        settleChart(w);
        QVERIFY(!chartOf(w)->plottedTotal().isEmpty());
    }
};

QTEST_MAIN(TestChartWindow)
#include "tst_chartwindow.moc"

// SPDX-License-Identifier: MIT
// The growth chart inside the real MainWindow (offscreen), driven by keys as a user does: the
// sequences that crashed it (issue 8), and the throttled rebuild of a drag.
// QCustomPlot first: its headers need foreach, which later Qt headers turn off.
#include "chartplot.h"

#include "chartwidget.h"
#include "hyperparameterpanel.h"
#include "int64spinbox.h"
#include "mainwindow.h"
#include "windowinput.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QDeadlineTimer>
#include <QImage>
#include <QSignalSpy>
#include <QSlider>
#include <QTabWidget>
#include <QTemporaryDir>
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

using test::typeInto;

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
        // Settings of our own (the window layout and zoom are remembered): every test starts as
        // a first run does.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
        QCoreApplication::setOrganizationName(QStringLiteral("ParamScopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_chartwindow"));
    }

    void init() { m_font = QApplication::font(); }
    void cleanup() { QApplication::setFont(m_font); } // a failed zoom test leaves no zoom behind

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
                typeInto(w, nv[0], nv[1]);
            }
            settleChart(w);
        }
        // Whatever the last step, the chart shows the document's design once it is shown.
        if (!chartShown(w))
            toggleChart(w);
        settleChart(w);
        QVERIFY(!chartOf(w)->plottedTotal().isEmpty());
    }

    // A drag whose steps come faster than the throttle still redraws the chart while it lasts:
    // the timer is started only when not running (it was restarted on every step, which starved
    // the chart until the drag stopped).
    void dragRedrawsWhileItLasts()
    {
        MainWindow w;
        QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
        w.resize(1440, 900);
        w.showChart(true);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        ChartWidget* chart = chartOf(w);
        chart->flush();
        QSignalSpy rebuilt(chart, &ChartWidget::rebuilt);
        QSlider* slider = w.hyperparameterPanel()->slider(QStringLiteral("E"));
        QVERIFY(slider);
        const int start = slider->value();
        slider->setSliderDown(true);
        // Steps back to back, each with the events it posts handled, until the chart has redrawn
        // twice; a deadline (not a sleep) bounds the wait.
        int steps = 0;
        QDeadlineTimer deadline(10000);
        while (rebuilt.count() < 2 && !deadline.hasExpired()) {
            slider->setValue(start + 1 + (steps++ % 2));
            QCoreApplication::processEvents();
        }
        slider->setSliderDown(false);
        QVERIFY2(rebuilt.count() >= 2, "the chart did not keep up with the drag");
        // The chart shows the design of a step of the drag, not the one before it.
        const double shown = chart->plottedTotal().isEmpty() ? 0 : chart->plottedTotal().front().y();
        QVERIFY(shown > 0);
    }

    // Hidden, the chart does no work; shown again, it shows the latest design at once.
    void hiddenChartWaitsForShow()
    {
        MainWindow w;
        QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
        w.resize(1440, 900);
        w.showChart(true);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        ChartWidget* chart = chartOf(w);
        chart->flush();
        w.showChart(false);
        QVERIFY(!chart->isVisible());
        QSignalSpy rebuilt(chart, &ChartWidget::rebuilt);
        typeInto(w, QStringLiteral("L"), QStringLiteral("24"));
        QCoreApplication::processEvents();
        QVERIFY(chart->rebuildPending());
        QVERIFY(rebuilt.isEmpty());
        // No timer left running for a hidden chart: it would rebuild for nothing.
        for (QTimer* t : chart->findChildren<QTimer*>(QString(), Qt::FindDirectChildrenOnly))
            QVERIFY(!t->isActive());
        w.showChart(true);
        QCOMPARE(rebuilt.count(), 1); // before the first frame
        QVERIFY(!chart->rebuildPending());
        // GPT-2 small with L = 24, by the notebook's formula: VE + PE + L(12E² + 13E) + 2E.
        const QVector<QPointF> points = chart->plottedTotal();
        QVERIFY(!points.isEmpty());
        for (const QPointF& p : points) {
            const auto E = static_cast<core::Count>(p.x());
            QCOMPARE(static_cast<core::Count>(p.y()), 50257 * E + 1024 * E + 24 * (12 * E * E + 13 * E) + 2 * E);
        }
    }

    // At projector zoom in a 1920×1060 window the axes kept a few pixels (issue 8): the plot keeps
    // half the chart's width and two fifths of its height, at every zoom step, for the three
    // designs with the longest and the most legend text.
    void projectorZoomKeepsThePlot_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<double>("zoom");
        for (const char* source : { "llama-3-8b", "gpt2", "deepseek-v3" })
            for (double zoom : { 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0 })
                QTest::addRow("%s %d%%", source, qRound(zoom * 100)) << QString::fromLatin1(source) << zoom;
    }

    void projectorZoomKeepsThePlot()
    {
        QFETCH(QString, source);
        QFETCH(double, zoom);
        MainWindow w;
        QVERIFY(w.openSource(source, nullptr, false));
        w.setZoom(zoom);
        w.showChart(true);
        w.show();
        w.resize(1920, 1060); // the window's size stays what the user made it, whatever the zoom
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        ChartWidget* chart = chartOf(w);
        for (int round = 0; round < 4; ++round) {
            QApplication::processEvents();
            chart->flush();
        }
        auto* plot = chart->findChild<QCustomPlot*>();
        QVERIFY(plot);
        const QRect data = plot->axisRect()->rect();
        const QString about = QStringLiteral("plot %1x%2 in %3x%4")
                                  .arg(data.width())
                                  .arg(data.height())
                                  .arg(plot->width())
                                  .arg(plot->height());
        QVERIFY2(data.width() >= plot->width() / 2, qPrintable(about));
        QVERIFY2(data.height() >= plot->height() * 2 / 5, qPrintable(about));
    }

    // --screenshot --chart takes its frame once the chart is complete, with no wait on a timer.
    void screenshotShowsTheChart()
    {
        MainWindow w;
        QVERIFY(w.openSource(QStringLiteral("gpt2"), nullptr, false));
        w.showChart(true);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("shot.png"));
        QVERIFY(w.saveScreenshot(file, { 1440, 900 }));
        QVERIFY(!chartOf(w)->rebuildPending());
        const QImage image(file);
        QCOMPARE(image.size(), QSize(1440, 900));
        // The MLP's green area of the stacked breakdown: nothing else in the window is green.
        int green = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                green += c.green() > c.red() + 30 && c.green() > c.blue() + 30;
            }
        QVERIFY2(green > 5000, qPrintable(QString::number(green)));
        // Laid out for the plot's final size: the status line and the details button settle after
        // the first rebuild and change the plot's height, which must lay the chart out again (the
        // x-axis title was drawn over the legend, 29 px of the plot left empty below).
        auto* plot = chartOf(w)->findChild<QCustomPlot*>();
        QVERIFY(plot);
        QCOMPARE(chartOf(w)->layout().size, plot->size());
    }

private:
    QTemporaryDir m_config;
    QFont m_font;
};

QTEST_MAIN(TestChartWindow)
#include "tst_chartwindow.moc"

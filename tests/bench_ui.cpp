// SPDX-License-Identifier: MIT
// End-to-end time of one slider step in the app: the slider moves, the command is pushed, core
// re-evaluates (values only), the tree model emits dataChanged, the panel and the summary update.
// chartStep: the same step with the growth chart shown: the step, then the chart's rebuild (sweep,
// layout, marker labels) and its replot, done at once instead of after the throttle.
// sizingStep: the same step with the Sizing tab shown (tree hidden): the step, then the panel's
// memory and compute reports from core and its labels, in the same call (the panel is not throttled).
// Compare sizingStep with sliderStep (the tree shown, panel idle) for the panel's share.
// Run: QT_QPA_PLATFORM=offscreen ./bench_ui [-iterations N]
// QCustomPlot (for its replot) first: its headers need foreach, which later Qt headers turn off.
#include "chartplot.h"

#include "architecturemodel.h"
#include "chartwidget.h"
#include "document.h"
#include "hyperparameterpanel.h"
#include "mainwindow.h"
#include "sizingpanel.h"

#include <QSlider>
#include <QTest>
#include <QTreeView>

using namespace paramscope;

class BenchUi : public QObject {
    Q_OBJECT
private slots:
    void sliderStep_data();
    void sliderStep();
    void chartStep_data();
    void chartStep();
    void sizingStep_data();
    void sizingStep();
};

void BenchUi::sliderStep_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("repaint");
    for (bool repaint : { false, true })
        for (const char* p : { "gpt2", "gemma-3-4b", "deepseek-v3" })
            QTest::addRow("%s%s", p, repaint ? " + repaint" : "") << QString::fromLatin1(p) << repaint;
}

namespace {

/// Opens @p source in @p w as a person would see it (shown, tree expanded) and returns E's slider.
QSlider* openForDrag(ui::MainWindow& w, const QString& source)
{
    if (!w.openSource(source, nullptr, false))
        return nullptr;
    w.resize(1440, 900);
    w.show();
    w.treeView()->expandAll();
    return w.hyperparameterPanel()->slider(QStringLiteral("E"));
}

} // namespace

void BenchUi::sliderStep()
{
    QFETCH(QString, source);
    QFETCH(bool, repaint);
    ui::MainWindow w;
    QSlider* slider = openForDrag(w, source);
    if (!slider)
        QSKIP("preset not available");
    const int start = slider->value();
    slider->setSliderDown(true);
    int step = 0;
    QBENCHMARK
    {
        slider->setValue(start + 1 + (step++ % 2)); // one step of a drag
        if (repaint)
            w.grab(); // a whole frame: every visible widget painted (more than a step repaints)
    }
    slider->setSliderDown(false);
}

void BenchUi::chartStep_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("replot");
    for (bool replot : { false, true })
        for (const char* p : { "gpt2", "deepseek-v3" })
            QTest::addRow("%s%s", p, replot ? " + replot" : "") << QString::fromLatin1(p) << replot;
}

void BenchUi::chartStep()
{
    QFETCH(QString, source);
    QFETCH(bool, replot);
    ui::MainWindow w;
    QSlider* slider = openForDrag(w, source);
    if (!slider)
        QSKIP("preset not available");
    w.showChart(true);
    auto* chart = w.findChild<ui::ChartWidget*>();
    auto* plot = chart ? chart->findChild<QCustomPlot*>() : nullptr;
    QVERIFY(chart && plot && chart->isVisible());
    chart->flush();
    const int start = slider->value();
    slider->setSliderDown(true);
    int step = 0;
    QBENCHMARK
    {
        slider->setValue(start + 1 + (step++ % 2)); // one step of a drag
        chart->flush(); // sweep, layout, labels
        if (replot)
            plot->replot(QCustomPlot::rpImmediateRefresh); // drawn into the plot's buffer
    }
    slider->setSliderDown(false);
    QVERIFY(!chart->plottedTotal().isEmpty());
}

void BenchUi::sizingStep_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<bool>("sizing");
    QTest::addColumn<bool>("repaint");
    for (bool sizing : { false, true })
        for (const char* p : { "gpt2", "deepseek-v3" })
            QTest::addRow("%s%s", p, sizing ? " sizing tab" : " tree tab") << QString::fromLatin1(p) << sizing << false;
    for (const char* p : { "gpt2", "deepseek-v3" })
        QTest::addRow("%s sizing tab + repaint", p) << QString::fromLatin1(p) << true << true;
}

void BenchUi::sizingStep()
{
    QFETCH(QString, source);
    QFETCH(bool, sizing);
    QFETCH(bool, repaint);
    ui::MainWindow w;
    QSlider* slider = openForDrag(w, source);
    if (!slider)
        QSKIP("preset not available");
    if (sizing)
        w.showSizing();
    ui::SizingPanel* panel = w.sizingPanel();
    QVERIFY(panel && panel->isVisible() == sizing);
    const int start = slider->value();
    slider->setSliderDown(true);
    int step = 0;
    QBENCHMARK
    {
        slider->setValue(start + 1 + (step++ % 2)); // one step of a drag: the panel recomputes in it
        if (repaint)
            w.grab(); // a whole frame, the panel's relaid labels included
    }
    slider->setSliderDown(false);
    // The step reached the panel (shown) or left it stale (hidden), and it shows figures.
    QCOMPARE(panel->isStale(), !sizing);
    QVERIFY(!sizing || !panel->figureText(QStringLiteral("kv.perToken")).isEmpty());
}

QTEST_MAIN(BenchUi)
#include "bench_ui.moc"

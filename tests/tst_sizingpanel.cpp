// SPDX-License-Identifier: MIT
// The Sizing panel inside the real MainWindow (offscreen), driven as a user does: its figures for
// presets against numbers derived by hand here, live with the hyperparameter sliders, idle while
// hidden, bad input named under its control with the last valid figures kept, zoom, and the
// growth chart plotting memory through a sequence of edits.
// QCustomPlot first: its headers need foreach, which later Qt headers turn off.
#include "chartplot.h"

#include "chartwidget.h"
#include "document.h"
#include "hyperparameterpanel.h"
#include "int64spinbox.h"
#include "mainwindow.h"
#include "sizingpanel.h"
#include "windowinput.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QTest>

using namespace paramscope;
using ui::MainWindow;
using ui::SizingPanel;

namespace {

/// "1,073,741,824", as the panel groups digits (the C locale of the tests).
QString grouped(qint64 n)
{
    QString digits = QString::number(n);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return digits;
}

/// Opens @p source, shown, on the Sizing tab.
SizingPanel* openSizing(MainWindow& w, const QString& source)
{
    if (!w.openSource(source, nullptr, false))
        return nullptr;
    w.resize(1600, 1000);
    w.show();
    w.showSizing();
    QApplication::processEvents();
    return w.sizingPanel();
}

/// Types @p text into the editable combo box @p box and presses Enter, as a user does.
void typeInto(QComboBox* box, const QString& text)
{
    box->setFocus();
    box->lineEdit()->selectAll();
    QTest::keyClicks(box->lineEdit(), text);
    QTest::keyClick(box->lineEdit(), Qt::Key_Return);
}

/// Types @p text into the 64-bit spin box @p spin and presses Enter.
void typeInto(ui::Int64SpinBox* spin, const QString& text)
{
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, text);
    QTest::keyClick(spin, Qt::Key_Return);
}

/// Runs the chart's pending rebuild now rather than after its throttle.
void settleChart(MainWindow& w)
{
    QApplication::processEvents();
    if (auto* chart = w.findChild<ui::ChartWidget*>())
        chart->flush();
    QApplication::processEvents();
}

} // namespace

class TestSizingPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("ParamScopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_sizingpanel"));
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void init() { m_font = QApplication::font(); }
    void cleanup() { QApplication::setFont(m_font); }

    void presetFigures_data();
    void presetFigures();
    void followsSliders();
    void idlesWhileHidden();
    void formats();
    void badInput_data();
    void badInput();
    void invalidDesignKeepsFigures();
    void followsZoom();
    void memoryChartSequence();
    void chartControlsFitTheScreenZoomed();
    void crossAttentionAndStateRows();

private:
    QFont m_font;
};

void TestSizingPanel::presetFigures_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("figure");
    QTest::addColumn<qint64>("expected");
    // Llama 3 8B: 8,030,261,248 parameters (published), bf16 = 2 bytes each.
    QTest::newRow("llama-3-8b weights") << "llama-3-8b"
                                        << "weights" << qint64(8'030'261'248) * 2;
    // 32 layers × 8 KV heads × head dim 128 × 2 (k and v) × 2 bytes.
    QTest::newRow("llama-3-8b KV per token") << "llama-3-8b"
                                             << "kv.perToken" << qint64(32 * 8 * 128 * 2 * 2);
    // At the default context, P = 8,192 tokens, batch 1.
    QTest::newRow("llama-3-8b KV at P") << "llama-3-8b"
                                        << "kv.bytes" << qint64(32 * 8 * 128 * 2 * 2) * 8192;
    // Mixed-precision Adam: 16 bytes per parameter.
    QTest::newRow("llama-3-8b training") << "llama-3-8b"
                                         << "training.total" << qint64(8'030'261'248) * 16;
    // DeepSeek-V3's MLA: 61 layers × (kv_lora_rank 512 + qk_rope_head_dim 64) × 2 bytes.
    QTest::newRow("deepseek-v3 KV per token") << "deepseek-v3"
                                              << "kv.perToken" << qint64(61 * (512 + 64) * 2);
    // Uncompressed beside it: 61 × 128 heads × (k: 128 + 64, v: 128) × 2 bytes.
    QTest::newRow("deepseek-v3 KV uncompressed per token")
        << "deepseek-v3"
        << "kv.uncompressedPerToken" << qint64(61) * 128 * ((128 + 64) + 128) * 2;
    // GPT-2 small at n_ctx 1,024: N = 124,439,808 − 50,257·768 − 1,024·768 = 85,056,000 non-embedding;
    // 2N + 2 · 12 layers · 1,024 · 768.
    QTest::newRow("gpt2 forward FLOPs") << "gpt2"
                                        << "flops.forward" << qint64(2 * 85'056'000 + 2 * 12 * 1024 * 768);
    // Gemma 3 4B at its P = 131,072: 29 local layers hold 1,024 tokens, 5 global ones all of them;
    // 4 KV heads × 256 × 2 (k, v) × 2 bytes per layer and token.
    QTest::newRow("gemma-3-4b KV at P") << "gemma-3-4b"
                                        << "kv.bytes" << (qint64(29) * 1024 + qint64(5) * 131072) * 4 * 256 * 2 * 2;
}

void TestSizingPanel::presetFigures()
{
    QFETCH(QString, source);
    QFETCH(QString, figure);
    QFETCH(qint64, expected);
    MainWindow w;
    SizingPanel* panel = openSizing(w, source);
    QVERIFY(panel);
    QCOMPARE(panel->figureText(figure), grouped(expected));
    QVERIFY(panel->errorText(QStringLiteral("design")).isEmpty());
    QVERIFY(!panel->figuresGreyed());
}

void TestSizingPanel::followsSliders()
{
    MainWindow w;
    SizingPanel* panel = openSizing(w, QStringLiteral("llama-3-8b"));
    QVERIFY(panel);
    // A drag of L's slider: the panel follows every step, at once (no event loop in between).
    QSlider* layers = w.hyperparameterPanel()->slider(QStringLiteral("L"));
    QVERIFY(layers);
    layers->setSliderDown(true);
    for (int step = 1; step <= 3; ++step) {
        layers->setValue(layers->value() + 1);
        const qint64 l = w.hyperparameterPanel()->spinBox(QStringLiteral("L"))->value();
        QVERIFY(l != 32);
        // L layers × 8 KV heads × 128 × 2 (k, v) × 2 bytes.
        QCOMPARE(panel->figureText(QStringLiteral("kv.perToken")), grouped(l * 8 * 128 * 2 * 2));
        QCOMPARE(panel->options().context, std::optional<core::Count>(8192));
    }
    layers->setSliderDown(false);
    // K typed: 32 layers × 4 KV heads × 128 × 2 × 2.
    test::typeInto(w, QStringLiteral("L"), QStringLiteral("32"));
    test::typeInto(w, QStringLiteral("K"), QStringLiteral("4"));
    QCOMPARE(panel->figureText(QStringLiteral("kv.perToken")), grouped(32 * 4 * 128 * 2 * 2));
    // P moves the context while the panel's own context is not chosen: 65,536 × 4,096 tokens.
    test::typeInto(w, QStringLiteral("P"), QStringLiteral("4096"));
    QCOMPARE(panel->contextSpin()->value(), 4096);
    QCOMPARE(panel->figureText(QStringLiteral("kv.bytes")), grouped(qint64(65536) * 4096));
    // The panel's context slider: its value is then the context, whatever P does.
    panel->contextSlider()->setValue(panel->contextSlider()->value() + 2);
    const qint64 context = panel->contextSpin()->value();
    QVERIFY(context > 4096);
    QCOMPARE(panel->figureText(QStringLiteral("kv.bytes")), grouped(qint64(65536) * context));
    test::typeInto(w, QStringLiteral("P"), QStringLiteral("2048"));
    QCOMPARE(panel->contextSpin()->value(), context);
    // Batch 3: three times the cache.
    typeInto(panel->batchSpin(), QStringLiteral("3"));
    QCOMPARE(panel->figureText(QStringLiteral("kv.bytes")), grouped(qint64(65536) * context * 3));
    // ZeRO-3 over 8 devices: 16 B × 8,030,261,248 parameters (K = 4 removes 32 × 2 × 4 × 128 × 4,096
    // of k_proj and v_proj) shard evenly: a sixteenth … an eighth of the total each.
    const qint64 parameters = 8'030'261'248 - qint64(32) * 2 * 4 * 128 * 4096;
    panel->zeroBox()->setCurrentIndex(3);
    typeInto(panel->devicesSpin(), QStringLiteral("8"));
    QCOMPARE(panel->figureText(QStringLiteral("training.total")), grouped(parameters * 16));
    QCOMPARE(panel->figureText(QStringLiteral("training.perDevice")), grouped(parameters * 16 / 8));
}

void TestSizingPanel::idlesWhileHidden()
{
    MainWindow w;
    SizingPanel* panel = openSizing(w, QStringLiteral("llama-3-8b"));
    QVERIFY(panel);
    QCOMPARE(panel->figureText(QStringLiteral("kv.perToken")), grouped(131072));
    w.showChart(false); // the tree: the panel is hidden
    QApplication::processEvents();
    QVERIFY(!panel->isVisible());
    test::typeInto(w, QStringLiteral("K"), QStringLiteral("2"));
    // Nothing recomputed while hidden: stale, the old figure still there.
    QVERIFY(panel->isStale());
    QCOMPARE(panel->figureText(QStringLiteral("kv.perToken")), grouped(131072));
    w.showSizing();
    QVERIFY(!panel->isStale());
    QCOMPARE(panel->figureText(QStringLiteral("kv.perToken")), grouped(32 * 2 * 128 * 2 * 2));
}

void TestSizingPanel::formats()
{
    MainWindow w;
    SizingPanel* panel = openSizing(w, QStringLiteral("llama-3-8b"));
    QVERIFY(panel);
    // int4: half a byte per weight; every Llama 3 8B tensor has an even number of elements.
    typeInto(panel->dtypeBox(), QStringLiteral("int4"));
    QCOMPARE(panel->figureText(QStringLiteral("weights")), grouped(8'030'261'248 / 2));
    // fp32: 4 bytes.
    typeInto(panel->dtypeBox(), QStringLiteral("fp32"));
    QCOMPARE(panel->figureText(QStringLiteral("weights")), grouped(8'030'261'248 * 4));
    // An fp8 cache: 32 × 8 × 128 × 2 × 1 byte per token.
    typeInto(panel->kvDtypeBox(), QStringLiteral("fp8"));
    QCOMPARE(panel->figureText(QStringLiteral("kv.perToken")), grouped(32 * 8 * 128 * 2));
    // GiB and GB beside the bytes, labelled: 65,536 B = 64 KiB = 65.54 kB; 32,121,044,992 B.
    QCOMPARE(panel->humanText(QStringLiteral("kv.perToken")), QStringLiteral("64.00 KiB · 65.54 kB"));
    QCOMPARE(panel->humanText(QStringLiteral("weights")), QStringLiteral("29.92 GiB · 32.12 GB"));
    // On one 24 GB device, fp32 weights (32.1 GB) alone do not fit; ZeRO-3 training needs
    // ceil(128,484,179,968 / 24,000,000,000) = 6 devices.
    typeInto(panel->deviceBox(), QStringLiteral("24 GB"));
    QCOMPARE(panel->figureText(QStringLiteral("fits.devices")), QStringLiteral("6"));
    QVERIFY(panel->figureText(QStringLiteral("fits.context")).isEmpty());
}

void TestSizingPanel::badInput_data()
{
    QTest::addColumn<QString>("control");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("reason"); ///< a part of the message shown
    QTest::newRow("bits per weight 0") << "dtype"
                                       << "0"
                                       << "0";
    QTest::newRow("bits per weight 65") << "dtype"
                                        << "65"
                                        << "65";
    QTest::newRow("KV dtype unknown") << "kvDtype"
                                      << "fp7"
                                      << "fp7";
    QTest::newRow("context 0") << "context"
                               << "0"
                               << "0";
    QTest::newRow("context overflows") << "context"
                                       << "4611686018427387904"
                                       << "overflows 64 bits";
    QTest::newRow("batch overflows") << "batch"
                                     << "4611686018427387904"
                                     << "overflows 64 bits";
    QTest::newRow("device 0 GB") << "device"
                                 << "0 GB"
                                 << "0 GB";
    QTest::newRow("devices 0") << "devices"
                               << "0"
                               << "0";
}

void TestSizingPanel::badInput()
{
    QFETCH(QString, control);
    QFETCH(QString, typed);
    QFETCH(QString, reason);
    MainWindow w;
    SizingPanel* panel = openSizing(w, QStringLiteral("llama-3-8b"));
    QVERIFY(panel);
    const QString weights = grouped(8'030'261'248 * 2);
    const QString kv = grouped(qint64(131072) * 8192);
    QCOMPARE(panel->figureText(QStringLiteral("kv.bytes")), kv);
    if (control == QStringLiteral("dtype"))
        typeInto(panel->dtypeBox(), typed);
    else if (control == QStringLiteral("kvDtype"))
        typeInto(panel->kvDtypeBox(), typed);
    else if (control == QStringLiteral("context"))
        typeInto(panel->contextSpin(), typed);
    else if (control == QStringLiteral("batch"))
        typeInto(panel->batchSpin(), typed);
    else if (control == QStringLiteral("device"))
        typeInto(panel->deviceBox(), typed);
    else if (control == QStringLiteral("devices"))
        typeInto(panel->devicesSpin(), typed);
    // The reason is under the control; the last valid figures stay.
    const QString shown = panel->errorText(control);
    QVERIFY2(shown.contains(reason), qPrintable(shown));
    QCOMPARE(panel->figureText(QStringLiteral("weights")), weights);
    QCOMPARE(panel->figureText(QStringLiteral("kv.bytes")), kv);
    for (const char* other : { "dtype", "kvDtype", "context", "batch", "device", "devices", "tokens", "design" })
        if (control != QLatin1String(other))
            QVERIFY2(panel->errorText(QLatin1String(other)).isEmpty(), other);
    // A hyperparameter step meanwhile keeps them too when the panel's own value is what fails.
    test::typeInto(w, QStringLiteral("K"), QStringLiteral("4"));
    if (reason == QStringLiteral("overflows 64 bits")) {
        QCOMPARE(panel->figureText(QStringLiteral("kv.bytes")), kv);
        QVERIFY(panel->figuresGreyed());
        QVERIFY(!panel->errorText(control).isEmpty());
    }
    // A good value clears the message and the figures follow again: 32 × 4 × 128 × 4 × 2,048.
    if (control == QStringLiteral("context") || control == QStringLiteral("batch")) {
        typeInto(control == QStringLiteral("context") ? panel->contextSpin() : panel->batchSpin(),
            control == QStringLiteral("context") ? QStringLiteral("2048") : QStringLiteral("1"));
        QVERIFY(panel->errorText(control).isEmpty());
        QVERIFY(!panel->figuresGreyed());
        const qint64 context = control == QStringLiteral("context") ? 2048 : 8192;
        QCOMPARE(panel->figureText(QStringLiteral("kv.bytes")), grouped(qint64(32 * 4 * 128 * 2 * 2) * context));
    }
}

void TestSizingPanel::invalidDesignKeepsFigures()
{
    MainWindow w;
    SizingPanel* panel = openSizing(w, QStringLiteral("llama-3-8b"));
    QVERIFY(panel);
    // E = 4,010 is not divisible by H = 32: the design does not evaluate.
    test::typeInto(w, QStringLiteral("E"), QStringLiteral("4010"));
    QVERIFY(w.document()->error().has_value());
    QVERIFY(panel->errorText(QStringLiteral("design")).contains(QStringLiteral("last valid")));
    QVERIFY(panel->figuresGreyed());
    QCOMPARE(panel->figureText(QStringLiteral("weights")), grouped(8'030'261'248 * 2));
    test::typeInto(w, QStringLiteral("E"), QStringLiteral("4096"));
    QVERIFY(panel->errorText(QStringLiteral("design")).isEmpty());
    QVERIFY(!panel->figuresGreyed());
}

void TestSizingPanel::followsZoom()
{
    MainWindow w;
    SizingPanel* panel = openSizing(w, QStringLiteral("gpt2"));
    QVERIFY(panel);
    auto* figure = panel->findChild<QLabel*>(QStringLiteral("figure:kv.perToken"));
    QVERIFY(figure);
    const qreal before = QFontInfo(figure->font()).pointSizeF();
    w.setZoom(2.0);
    QApplication::processEvents();
    const qreal after = QFontInfo(figure->font()).pointSizeF();
    QVERIFY2(
        after > before * 1.8 && after < before * 2.2, qPrintable(QStringLiteral("%1 → %2").arg(before).arg(after)));
    w.setZoom(1.0);
}

void TestSizingPanel::memoryChartSequence()
{
    MainWindow w;
    SizingPanel* panel = openSizing(w, QStringLiteral("llama-3-8b"));
    QVERIFY(panel);
    auto* chart = w.findChild<ui::ChartWidget*>();
    QVERIFY(chart);
    // The chart shown, then an edit, then the metric, then the context: each rebuilds.
    w.showChart(true);
    settleChart(w);
    QVERIFY(!chart->plottedTotal().isEmpty());
    test::typeInto(w, QStringLiteral("E"), QStringLiteral("2048"));
    settleChart(w);
    auto* metric = chart->findChild<QComboBox*>(QStringLiteral("chartMetric"));
    QVERIFY(metric);
    metric->setCurrentIndex(metric->findData(static_cast<int>(core::SizingMetric::KvCache)));
    settleChart(w);
    QCOMPARE(chart->metric(), core::SizingMetric::KvCache);
    // Over E the cache at P = 8,192 follows D = E/32: at E = 2,048, 32 × 8 × 64 × 2 × 2 × 8,192.
    QVERIFY(chart->setX(QStringLiteral("context")));
    settleChart(w);
    const QVector<QPointF> points = chart->plottedTotal();
    QVERIFY(!points.isEmpty());
    // Over the context, the first point is one token: 32 × 8 × 64 × 2 × 2 bytes.
    QCOMPARE(points.front().x(), 1.0);
    QCOMPARE(points.front().y(), 32.0 * 8 * 64 * 2 * 2);
    // The panel's context changes the range (to 4 × its context) and the current marker.
    w.showSizing();
    typeInto(panel->contextSpin(), QStringLiteral("1000"));
    w.showChart(true);
    settleChart(w);
    QCOMPARE(chart->plottedTotal().back().x(), 4000.0);
    QCOMPARE(chart->plottedTotal().back().y(), 32.0 * 8 * 64 * 2 * 2 * 4000);
    // Weights + KV cache, then training, then back to parameters (the context axis goes away).
    metric->setCurrentIndex(metric->findData(static_cast<int>(core::SizingMetric::Inference)));
    settleChart(w);
    QVERIFY(!chart->plottedTotal().isEmpty());
    metric->setCurrentIndex(metric->findData(static_cast<int>(core::SizingMetric::Training)));
    settleChart(w);
    QVERIFY(!chart->plottedTotal().isEmpty());
    metric->setCurrentIndex(metric->findData(static_cast<int>(core::SizingMetric::Parameters)));
    settleChart(w);
    QVERIFY(chart->x() != QStringLiteral("context"));
    QVERIFY(!chart->plottedTotal().isEmpty());
    // Export works as for the parameter chart.
    metric->setCurrentIndex(metric->findData(static_cast<int>(core::SizingMetric::KvCache)));
    QVERIFY(chart->setX(QStringLiteral("context")));
    settleChart(w);
    const QString file = QDir::temp().filePath(QStringLiteral("tst_sizingpanel-kv.svg"));
    QString error;
    QVERIFY2(chart->exportTo(file, QSize(1280, 800), 96, &error), qPrintable(error));
    QFile svg(file);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("context"));
    svg.remove();
}

void TestSizingPanel::chartControlsFitTheScreenZoomed()
{
    // At 300 % the chart's controls (metric, x axis, check boxes, export) must not set the
    // window's width: the left column may take half a 1920-pixel screen, so the chart must fit in
    // the rest. The monkey found a window 1,977 pixels wide once the metric selector was added:
    // the row now wraps in two, and its minimum no longer adds up every control's text.
    MainWindow w;
    QVERIFY(w.openSource(QStringLiteral("llama-3-8b"), nullptr, false));
    w.resize(1280, 800);
    w.show();
    w.showChart(true);
    auto* chart = w.findChild<ui::ChartWidget*>();
    QVERIFY(chart);
    w.setZoom(3.0);
    QApplication::processEvents();
    for (core::SizingMetric m : { core::SizingMetric::Parameters, core::SizingMetric::Inference }) {
        chart->setMetric(m);
        for (const QString& x : { QStringLiteral("K"), QStringLiteral("context"), QStringLiteral("E") }) {
            chart->setX(x);
            settleChart(w);
            QVERIFY2(chart->minimumSizeHint().width() <= 1920 / 2 - 100,
                qPrintable(QStringLiteral("%1 wide with x = %2").arg(chart->minimumSizeHint().width()).arg(x)));
            // Whatever the row does, its texts are whole where the window has room for them.
            w.resize(1920, 1000);
            QApplication::processEvents();
            for (auto* box : chart->findChildren<QCheckBox*>())
                QVERIFY2(box->width() >= box->sizeHint().width(),
                    qPrintable(QStringLiteral("%1: %2 < %3 in a chart %4 wide")
                                   .arg(box->text())
                                   .arg(box->width())
                                   .arg(box->sizeHint().width())
                                   .arg(chart->width())));
        }
    }
    w.setZoom(1.0);
}

// Issue 15's caches in the panel: T5's cross-attention keys and values of the encoder's states,
// Mamba's state per sequence instead of a KV cache.
void TestSizingPanel::crossAttentionAndStateRows()
{
    const QString data = QStringLiteral(PARAMSCOPE_TEST_DATA "/hf-beyond/");
    {
        MainWindow w;
        SizingPanel* panel = openSizing(w, data + QStringLiteral("google-t5__t5-base.json"));
        QVERIFY(panel);
        // T5 has no P: the panel starts at 512 tokens (T5's training length) instead of no figures.
        QVERIFY(panel->errorText(QStringLiteral("context")).isEmpty());
        QCOMPARE(panel->contextSpin()->value(), 512);
        // 12 decoder layers × (k: 12 heads × d_kv 64 + v: the same) × 2 bytes, per encoder token.
        const qint64 perToken = qint64(12) * (768 + 768) * 2;
        QCOMPARE(panel->figureText(QStringLiteral("kv.crossPerToken")), grouped(perToken));
        QCOMPARE(panel->figureText(QStringLiteral("kv.cross")), grouped(perToken * 512));
        // Self-attention of the decoder per generated token: the same 12 × 1,536 × 2.
        QCOMPARE(panel->figureText(QStringLiteral("kv.perToken")), grouped(perToken));
        // Cross-attention FLOPs: 2 · 12 decoder layers · 512 encoder tokens · d_attn 768.
        QCOMPARE(panel->figureText(QStringLiteral("flops.crossAttentionTerm")), grouped(qint64(2) * 12 * 512 * 768));
        // An input of its own length: 128 decoder tokens over 2,048 encoder tokens.
        QVERIFY(panel->encoderSpin()->isVisible());
        QVERIFY(!panel->encoderSpin()->isEnabled());
        typeInto(panel->contextSpin(), QStringLiteral("128"));
        QCOMPARE(panel->figureText(QStringLiteral("kv.cross")), grouped(perToken * 128));
        panel->encoderAsContext()->setChecked(false);
        QVERIFY(panel->encoderSpin()->isEnabled());
        typeInto(panel->encoderSpin(), QStringLiteral("2048"));
        QCOMPARE(panel->figureText(QStringLiteral("kv.cross")), grouped(perToken * 2048));
        QCOMPARE(panel->figureText(QStringLiteral("kv.bytes")), grouped(perToken * 128)); // the decoder's own
        QCOMPARE(panel->figureText(QStringLiteral("flops.crossAttentionTerm")), grouped(qint64(2) * 12 * 2048 * 768));
        panel->encoderAsContext()->setChecked(true);
        QCOMPARE(panel->figureText(QStringLiteral("kv.cross")), grouped(perToken * 128));
    }
    {
        // A decoder-only design has no encoder input to size.
        MainWindow w;
        SizingPanel* panel = openSizing(w, QStringLiteral("gpt2"));
        QVERIFY(panel);
        QVERIFY(!panel->encoderSpin()->isVisible());
    }
    {
        MainWindow w;
        SizingPanel* panel = openSizing(w, data + QStringLiteral("state-spaces__mamba-130m-hf.json"));
        QVERIFY(panel);
        typeInto(panel->contextSpin(), QStringLiteral("2048"));
        // 24 layers × (conv state: d_inner 1,536 × kernel 4 + SSM state: 1,536 × 16) × 2 bytes,
        // whatever the context; no KV cache.
        const qint64 state = qint64(24) * (1536 * 4 + 1536 * 16) * 2;
        QCOMPARE(panel->figureText(QStringLiteral("kv.statePerSequence")), grouped(state));
        typeInto(panel->batchSpin(), QStringLiteral("3"));
        QCOMPARE(panel->figureText(QStringLiteral("kv.state")), grouped(state * 3));
        QCOMPARE(panel->figureText(QStringLiteral("kv.perToken")), QStringLiteral("0"));
    }
}

QTEST_MAIN(TestSizingPanel)
#include "tst_sizingpanel.moc"

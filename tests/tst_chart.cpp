// SPDX-License-Identifier: MIT
// The growth chart: what it plots equals the core's counts, and every export format is a valid file.
// QCustomPlot first: its headers need foreach, which later Qt headers turn off.
#include "chartplot.h"

#include "chartwidget.h"
#include "source.h"

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace paramscope;

namespace {

core::Design load(const char* name)
{
    auto d = core::loadSource(name);
    if (!d)
        qFatal("%s", d.error().text().c_str());
    return std::move(*d);
}

ui::ChartSpec gpt2Spec()
{
    ui::ChartSpec spec;
    spec.design = load("gpt2");
    for (const char* m : { "gpt2-medium", "gpt2-large", "gpt2-xl" })
        spec.markers.push_back(load(m));
    return spec;
}

core::Count notebook(core::Count E)
{
    return 50257 * E + 1024 * E + 12 * (12 * E * E + 13 * E) + 2 * E;
}

QByteArray readAll(const QString& file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

/// The text content of the SVG @p file, parsed as XML; false (with @p error) when it does not parse.
bool svgText(const QString& file, QString* text, QString* error)
{
    QXmlStreamReader xml(readAll(file));
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters())
            *text += xml.text();
    }
    *error = xml.errorString();
    return !xml.hasError();
}

struct Run {
    int code;
    QByteArray out, err;
};

Run cli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(PARAMSCOPE_CLI), args);
    p.waitForFinished(60000);
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

} // namespace

class TestChart : public QObject {
    Q_OBJECT
private slots:
    void init() { QVERIFY(m_dir.isValid()); }

    /// Axis and label units: K-less thousands, M, B, T, then powers of ten (never "8000000T").
    void humanUnits_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("small") << 768.0 << QStringLiteral("768");
        QTest::newRow("k") << 50257.0 << QStringLiteral("50.26k");
        QTest::newRow("M") << 124439808.0 << QStringLiteral("124.44M");
        QTest::newRow("B") << 8030261248.0 << QStringLiteral("8.03B");
        QTest::newRow("T") << 671.0e12 << QStringLiteral("671T");
        QTest::newRow("8e18") << 8.0e18 << QStringLiteral("8 × 10¹⁸");
        // 9,995 T rounds to 10.00 × 10¹⁵ at two decimals: it reads 1 × 10¹⁶.
        QTest::newRow("carry") << 9.9999e15 << QStringLiteral("1 × 10¹⁶");
        QTest::newRow("negative") << -2.5e17 << QStringLiteral("-2.5 × 10¹⁷");
    }
    void humanUnits()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(ui::chart::human(value), text);
    }

    void widgetPlotsTheCoresCounts()
    {
        ui::ChartWidget w;
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.setDesign(load("gpt2"));
        QTRY_VERIFY(!w.plottedTotal().isEmpty());
        const auto points = w.plottedTotal();
        for (const QPointF& p : points) {
            const auto E = static_cast<core::Count>(p.x());
            QCOMPARE(E % 12, core::Count(0));
            QCOMPARE(static_cast<core::Count>(p.y()), notebook(E)); // exact below 2^53
        }
        // A slider step: the chart follows.
        core::Design d = load("gpt2");
        QVERIFY(d.setValue("L", 24).ok());
        w.setDesign(d);
        QTRY_VERIFY(!w.plottedTotal().isEmpty() && w.plottedTotal().front().y() != points.front().y());
        QVERIFY(w.exportTo(m_dir.filePath(QStringLiteral("widget.png")), QSize(800, 500), 96));
        // To look at the widget itself: PARAMSCOPE_CHART_SHOT=dir saves what it shows.
        if (const QString shots = qEnvironmentVariable("PARAMSCOPE_CHART_SHOT"); !shots.isEmpty()) {
            w.flush();
            w.grab().save(shots + QStringLiteral("/widget-L24.png"));
        }
    }

    void png()
    {
        const QString file = m_dir.filePath(QStringLiteral("g.png"));
        QString error;
        QVERIFY2(ui::renderChart(gpt2Spec(), file, QSize(1280, 800), 192, &error), qPrintable(error));
        QVERIFY(readAll(file).startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
        const QImage image(file);
        QCOMPARE(image.size(), QSize(2560, 1600)); // --size at --dpi 192 is twice the pixels
        QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 192);
    }

    void svg()
    {
        const QString file = m_dir.filePath(QStringLiteral("g.svg"));
        QString error;
        QVERIFY2(ui::renderChart(gpt2Spec(), file, QSize(1280, 800), 96, &error), qPrintable(error));
        QString text, xmlError;
        QVERIFY2(svgText(file, &text, &xmlError), qPrintable(xmlError));
        for (const char* name : { "Total = 12L·E² + (V + P + 13L + 2)·E", "Embeddings", "Attention", "MLP", "Norms",
                 "GPT-2 medium", "GPT-2 small" })
            QVERIFY2(text.contains(QString::fromUtf8(name)), name);
    }

    void pdf()
    {
        const QString file = m_dir.filePath(QStringLiteral("g.pdf"));
        QString error;
        QVERIFY2(ui::renderChart(gpt2Spec(), file, QSize(1280, 800), 96, &error), qPrintable(error));
        const QByteArray bytes = readAll(file);
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.size() > 2000);
    }

    void badExtensionAndSize()
    {
        QString error;
        QVERIFY(!ui::renderChart(gpt2Spec(), m_dir.filePath(QStringLiteral("g.gif")), QSize(800, 600), 96, &error));
        QVERIFY(error.contains(QStringLiteral(".png")));
        QVERIFY(!ui::renderChart(gpt2Spec(), m_dir.filePath(QStringLiteral("g.png")), QSize(10, 10), 96, &error));
    }

    void cliSweepCsvHasExactIntegers()
    {
        const Run r = cli({ QStringLiteral("sweep"), QStringLiteral("gpt2"), QStringLiteral("--x"), QStringLiteral("E"),
            QStringLiteral("--from"), QStringLiteral("12"), QStringLiteral("--to"), QStringLiteral("1200"),
            QStringLiteral("--format"), QStringLiteral("csv") });
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 101); // header + E = 12, 24, …, 1200
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> cells = lines[i].split(',');
            const core::Count E = cells[0].toLongLong();
            QCOMPARE(cells[1].toLongLong(), notebook(E));
        }
    }

    void cliChartWritesEachFormat()
    {
        for (const char* ext : { "png", "svg", "pdf" }) {
            const QString file = m_dir.filePath(QStringLiteral("cli.") + QLatin1String(ext));
            const Run r = cli({ QStringLiteral("chart"), QStringLiteral("gpt2"), QStringLiteral("gpt2-medium"),
                QStringLiteral("--x"), QStringLiteral("E"), QStringLiteral("--size"), QStringLiteral("1920x1080"),
                QStringLiteral("--out"), file });
            QVERIFY2(r.code == 0, r.err.constData());
            QVERIFY(QFileInfo(file).size() > 1000);
        }
        const Run bad = cli({ QStringLiteral("chart"), QStringLiteral("gpt2"), QStringLiteral("--x"),
            QStringLiteral("Q"), QStringLiteral("--out"), m_dir.filePath(QStringLiteral("q.png")) });
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("Q"));
    }

    void cliChartPrintsNothingOnSuccess()
    {
        // Without XDG_RUNTIME_DIR Qt warns on stderr; the chart command keeps quiet unless asked.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
        env.remove(QStringLiteral("PARAMSCOPE_VERBOSE"));
        const QString file = m_dir.filePath(QStringLiteral("quiet.png"));
        const Run r = cli({ QStringLiteral("chart"), QStringLiteral("llama-3-8b"), QStringLiteral("mistral-7b"),
                              QStringLiteral("--x"), QStringLiteral("L"), QStringLiteral("--out"), file },
            env);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.err, QByteArray());
        QCOMPARE(r.out, QByteArray());
        // A real error is still one message.
        const Run bad = cli({ QStringLiteral("chart"), QStringLiteral("gpt2"), QStringLiteral("--x"),
                                QStringLiteral("Q"), QStringLiteral("--out"), m_dir.filePath(QStringLiteral("q.png")) },
            env);
        QCOMPARE(bad.code, 2);
        QCOMPARE(bad.err.count('\n'), 1);
    }

    void everyMarkerIsNamed_data()
    {
        QTest::addColumn<bool>("log");
        QTest::addColumn<QSize>("size");
        QTest::newRow("log 1920x1080") << true << QSize(1920, 1080);
        QTest::newRow("log 1280x800") << true << QSize(1280, 800);
        QTest::newRow("linear 1280x800") << false << QSize(1280, 800);
        QTest::newRow("log 640x400") << true << QSize(640, 400);
    }

    void everyMarkerIsNamed()
    {
        // Mistral 7B sits almost under the current design's diamond, Qwen3 8B next to it: each
        // must still be named (next to its point, or numbered and keyed in the footer).
        QFETCH(bool, log);
        QFETCH(QSize, size);
        ui::ChartSpec spec;
        spec.design = load("llama-3-8b");
        spec.markers.push_back(load("mistral-7b"));
        spec.markers.push_back(load("qwen3-8b"));
        spec.x = "L";
        spec.logY = log;
        const QString file = m_dir.filePath(QStringLiteral("markers.svg"));
        QString error;
        QVERIFY2(ui::renderChart(spec, file, size, 96, &error), qPrintable(error));
        QString text, xmlError;
        QVERIFY2(svgText(file, &text, &xmlError), qPrintable(xmlError));
        for (const char* name : { "Llama 3 8B", "Mistral 7B", "Qwen3 8B" })
            QVERIFY2(text.contains(QString::fromUtf8(name)), name);
        // Embeddings and LM head are both V·E: the legend says the curves coincide.
        if (log)
            QVERIFY(text.contains(QStringLiteral("(= Embeddings)")));
    }

    // Marker labels and numbers never cover each other (markers 1/7/9 on Llama, 4 under 5 with
    // x = L, 4 on 6 on DeepSeek-V3 did), with every preset marked.
    void markerLabelsDoNotOverlap_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("x");
        QTest::addColumn<QSize>("size");
        for (const char* source : { "llama-3-8b", "deepseek-v3", "gpt2" })
            for (const char* x : { "E", "L" })
                for (const QSize size : { QSize(1280, 800), QSize(1920, 1060), QSize(800, 600) })
                    QTest::addRow("%s x=%s %dx%d", source, x, size.width(), size.height())
                        << QString::fromLatin1(source) << QString::fromLatin1(x) << size;
    }

    void markerLabelsDoNotOverlap()
    {
        QFETCH(QString, source);
        QFETCH(QString, x);
        QFETCH(QSize, size);
        ui::ChartSpec spec;
        spec.design = load(source.toLatin1().constData());
        spec.x = x.toStdString();
        for (const char* m : { "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "bert-base", "deepseek-v3", "gemma-3-4b",
                 "llama-3-8b", "mistral-7b", "mixtral-8x7b", "qwen3-8b" })
            spec.markers.push_back(load(m));
        auto data = ui::computeChart(spec);
        QVERIFY(data.ok());
        QCustomPlot plot;
        plot.resize(size);
        const ui::ChartLayout layout = ui::drawChart(plot, spec, *data, size, ui::exportFontBase(size));
        const QString key = layout.footer.lines.join(QLatin1Char(' ')) + layout.omitted.join(QLatin1Char(' '));
        std::vector<QRectF> labels;
        for (int i = 0; i < plot.itemCount(); ++i) {
            auto* text = qobject_cast<QCPItemText*>(plot.item(i));
            if (text && text->visible() && !text->text().isEmpty()) {
                labels.emplace_back(text->topLeft->pixelPosition(), text->bottomRight->pixelPosition());
                // A numbered marker is keyed in the picture's footer (or listed whole beside it).
                bool number = false;
                text->text().toInt(&number);
                if (number)
                    QVERIFY2(key.contains(text->text() + QStringLiteral(" = ")), qPrintable(text->text()));
            }
        }
        QVERIFY(labels.size() >= 3);
        for (std::size_t i = 0; i < labels.size(); ++i)
            for (std::size_t j = i + 1; j < labels.size(); ++j)
                QVERIFY2(!labels[i].intersects(labels[j]),
                    qPrintable(QStringLiteral("labels %1 and %2 overlap").arg(i).arg(j)));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestChart)
#include "tst_chart.moc"

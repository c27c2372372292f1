// SPDX-License-Identifier: MIT
// paramscope: the desktop app.
// `paramscope [SOURCE] [--set NAME=VALUE]... [--palette dark] [--screenshot FILE.png [--size WxH]]`;
// --help and --version need no display.
#include "appinfo.h"
#include "autosave.h"
#include "chartwidget.h"
#include "lecturetools.h"
#include "mainwindow.h"
#include "manpage.h"
#include "theme.h"
#include "weightscheck.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QStyle>
#include <QStyleFactory>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

using paramscope::ui::MainWindow;

namespace {

/// The app's options, for the parser and for the man page.
struct Options {
    QCommandLineOption set { QStringLiteral("set"), QStringLiteral("Set a hyperparameter (E=1024, hidden_size=1024)."),
        QStringLiteral("NAME=VALUE") };
    QCommandLineOption screenshot { QStringLiteral("screenshot"),
        QStringLiteral("Render the window into FILE.png and exit (no display needed)."), QStringLiteral("FILE.png") };
    QCommandLineOption size { QStringLiteral("size"),
        QStringLiteral("Window size for --screenshot (default 1440x900)."), QStringLiteral("WxH"),
        QStringLiteral("1440x900") };
    QCommandLineOption zoom { QStringLiteral("zoom"), QStringLiteral("Font zoom for --screenshot (1 = system size)."),
        QStringLiteral("FACTOR") };
    QCommandLineOption select { QStringLiteral("select"), QStringLiteral("Select the module at a dotted path."),
        QStringLiteral("PATH") };
    QCommandLineOption weights { QStringLiteral("weights"),
        QStringLiteral("Verify against a checkpoint (.safetensors, index, folder or .gguf), as File > Verify Against "
                       "Weights does."),
        QStringLiteral("PATH") };
    QCommandLineOption chart { QStringLiteral("chart"), QStringLiteral("Show the growth chart instead of the tree.") };
    QCommandLineOption sizing { QStringLiteral("sizing"),
        QStringLiteral("Show the Sizing tab (memory and compute) instead of the tree.") };
    QCommandLineOption chartY { QStringLiteral("chart-y"),
        QStringLiteral("What the chart plots: parameters, weights, kv, weights+kv or training."),
        QStringLiteral("METRIC") };
    QCommandLineOption chartX { QStringLiteral("chart-x"),
        QStringLiteral("The chart's x axis: a hyperparameter (E, L …) or context."), QStringLiteral("X") };
    QCommandLineOption palette { QStringLiteral("palette"),
        QStringLiteral("Colours: system (default), light or dark (Fusion style)."), QStringLiteral("SCHEME"),
        QStringLiteral("system") };
    QCommandLineOption restoreAutosave { QStringLiteral("restore-autosave"),
        QStringLiteral("Restore the unsaved edits a crashed or killed ParamScope left, without asking.") };
    QCommandLineOption present { QStringLiteral("present"),
        QStringLiteral("Start in presentation mode (full screen; with --screenshot, render it at --size).") };
    QCommandLineOption diagram { QStringLiteral("diagram"),
        QStringLiteral("Show the architecture diagram instead of the tree.") };
    QCommandLineOption className { QStringLiteral("class"),
        QStringLiteral("The Hugging Face class to count (e.g. GPT2Model), as paramscope-cli --class."),
        QStringLiteral("NAME") };
    QCommandLineOption asFamily { QStringLiteral("as"),
        QStringLiteral("Count a config whose model_type is not supported with a supported family's layout (e.g. "
                       "llama), as paramscope-cli --as."),
        QStringLiteral("FAMILY") };
    /// For the build: prints the man page (hidden from --help).
    QCommandLineOption manPage { QStringLiteral("man-page"), QStringLiteral("Print the man page.") };

    Options() { manPage.setFlags(QCommandLineOption::HiddenFromHelp); }
    QList<QCommandLineOption> all() const
    {
        return { set, screenshot, size, zoom, select, weights, chart, sizing, chartY, chartX, palette, restoreAutosave,
            present, diagram, className, asFamily, manPage };
    }
};

const char* kDescription = "Where every parameter of a transformer lives, exactly.";
const char* kSourceHelp = "A preset name, a design file, a Hugging Face config.json or its folder.";

void setUp(QCommandLineParser& parser, const Options& options)
{
    parser.setApplicationDescription(QString::fromLatin1(kDescription));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("source"), QString::fromLatin1(kSourceHelp), QStringLiteral("[SOURCE]"));
    parser.addOptions(options.all());
}

/// paramscope(1), from the options the parser takes.
std::string manPage(const Options& options)
{
    using paramscope::app::ManOption;
    const auto s = [](const QString& q) { return q.toStdString(); };
    paramscope::app::ManPage page { "paramscope", PARAMSCOPE_VERSION, "exact parameter counts of transformer models",
        { "paramscope [OPTIONS] [SOURCE]" }, {} };
    page.sections.push_back({ "DESCRIPTION", false,
        { "ParamScope shows where every parameter of a transformer language model lives: a tree of its "
          "layers with each component's formula and its exact integer count, recomputed at once as the "
          "hyperparameters change. It opens SOURCE, or GPT-2 small when none is given.",
            "The desktop app needs a display, except for --screenshot, --help and --version. "
            "paramscope-cli(1) gives the same counts on the command line." },
        {} });
    std::vector<ManOption> list { { "SOURCE", "", kSourceHelp } };
    for (const QCommandLineOption& o : options.all()) {
        if (o.flags() & QCommandLineOption::HiddenFromHelp)
            continue;
        QStringList names;
        for (const QString& n : o.names())
            names << (n.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + n;
        list.push_back({ s(names.join(QStringLiteral(", "))), s(o.valueName()), s(o.description()) });
    }
    list.push_back({ "-h, --help", "", "Print the options and exit." });
    list.push_back({ "--help-all", "", "Print the options, Qt's own too, and exit." });
    list.push_back({ "-v, --version", "", "Print the version and exit." });
    page.sections.push_back({ "OPTIONS", false, {}, list });
    page.sections.push_back({ "EXAMPLES", false,
        { "  paramscope gemma-3-4b\n  paramscope path/to/config.json --set num_hidden_layers=48\n"
          "  paramscope gpt2 --size 1280x800 --screenshot gpt2.png" },
        {} });
    page.sections.push_back({ "FILES", false,
        { "Unsaved edits are autosaved in ~/.local/share/ParamScope/ParamScope and offered back after a crash." },
        {} });
    page.sections.push_back({ "SEE ALSO", false, { "paramscope-cli(1)" }, {} });
    return paramscope::app::roff(page);
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication::setOrganizationName(QStringLiteral("ParamScope"));
    QApplication::setApplicationName(QStringLiteral("ParamScope"));
    QApplication::setApplicationVersion(QStringLiteral(PARAMSCOPE_VERSION));
    const Options options;

    // --help, --version and --man-page only print: answer them without QApplication, which needs
    // a display. (Arguments that do not parse here, such as Qt's own -platform, go on to it.)
    {
        QStringList arguments;
        for (int i = 0; i < argc; ++i)
            arguments << QString::fromLocal8Bit(argv[i]);
        QCommandLineParser probe;
        setUp(probe, options);
        if (probe.parse(arguments)
            && (probe.isSet(QStringLiteral("help")) || probe.isSet(QStringLiteral("help-all"))
                || probe.isSet(QStringLiteral("version")) || probe.isSet(options.manPage))) {
            QCoreApplication core(argc, argv);
            if (probe.isSet(options.manPage)) {
                std::fputs(manPage(options).c_str(), stdout);
                return 0;
            }
            probe.process(core); // prints and exits
        }
    }

    // A screenshot needs no display: fall back to the offscreen platform when there is none.
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], "--screenshot") == 0 && qEnvironmentVariableIsEmpty("DISPLAY")
            && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    // The window's icon, and the .desktop entry it belongs to (taskbars match windows to entries).
    QApplication::setWindowIcon(paramscope::applicationIcon());
    QGuiApplication::setDesktopFileName(paramscope::applicationId());

    QCommandLineParser parser;
    setUp(parser, options);
    parser.process(app);
    QTextStream err(stderr);
    const auto fail = [&err](const QString& message) {
        err << "paramscope: " << message << "\n";
        return 2;
    };
    const QStringList args = parser.positionalArguments();
    if (args.size() > 1)
        return fail(QStringLiteral("one SOURCE at most"));

    if (const QString scheme = parser.value(options.palette); scheme != QLatin1String("system")) {
        if (scheme != QLatin1String("light") && scheme != QLatin1String("dark"))
            return fail(QStringLiteral("--palette wants system, light or dark"));
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(
            scheme == QLatin1String("dark") ? paramscope::ui::darkPalette() : QApplication::style()->standardPalette());
    }

    MainWindow window;
    const bool headless = parser.isSet(options.screenshot);
    QString error;
    const paramscope::core::LoadOptions load { parser.value(options.className).toStdString(),
        parser.value(options.asFamily).toStdString() };
    if (!window.openSource(args.isEmpty() ? QStringLiteral("gpt2") : args.front(), &error, false, load))
        return fail(error);
    // Unsaved edits are autosaved, and what a killed instance left is offered back (a dialog;
    // kept for later with no display to ask on). Never for a headless screenshot.
    std::unique_ptr<paramscope::ui::Autosave> autosave;
    if (!headless) {
        using paramscope::ui::Autosave;
        autosave = std::make_unique<Autosave>(window.document(), Autosave::defaultFolder());
        const bool canAsk = QGuiApplication::platformName() != QLatin1String("offscreen")
            && QGuiApplication::platformName() != QLatin1String("minimal");
        autosave->offerRestore(parser.isSet(options.restoreAutosave) ? Autosave::Offer::Restore
                : canAsk                                             ? Autosave::Offer::Ask
                                                                     : Autosave::Offer::Keep,
            &window);
    }
    for (const QString& s : parser.values(options.set))
        if (!window.applySetting(s, &error))
            return fail(QStringLiteral("--set %1: %2").arg(s, error));
    if (parser.isSet(options.weights) && !window.weightsCheck()->attach(parser.value(options.weights), &error))
        return fail(QStringLiteral("--weights: %1").arg(error));
    if (parser.isSet(options.select) && !window.selectPath(parser.value(options.select)))
        return fail(QStringLiteral("--select: no module at %1").arg(parser.value(options.select)));

    window.showChart(parser.isSet(options.chart));
    if (parser.isSet(options.diagram))
        window.lectureTools()->showDiagram();
    if (parser.isSet(options.sizing))
        window.showSizing();
    if (auto* growth = window.findChild<paramscope::ui::ChartWidget*>()) {
        using paramscope::core::SizingMetric;
        if (parser.isSet(options.chartY)) {
            const QString y = parser.value(options.chartY);
            const std::pair<const char*, SizingMetric> metrics[] = { { "parameters", SizingMetric::Parameters },
                { "weights", SizingMetric::Weights }, { "kv", SizingMetric::KvCache },
                { "weights+kv", SizingMetric::Inference }, { "training", SizingMetric::Training } };
            const auto* m = std::find_if(
                std::begin(metrics), std::end(metrics), [&](const auto& p) { return y == QLatin1String(p.first); });
            if (m == std::end(metrics))
                return fail(QStringLiteral("--chart-y wants parameters, weights, kv, weights+kv or training"));
            growth->setMetric(m->second);
        }
        if (parser.isSet(options.chartX) && !growth->setX(parser.value(options.chartX)))
            return fail(QStringLiteral("--chart-x: no axis %1 (context needs a memory --chart-y)")
                            .arg(parser.value(options.chartX)));
    }
    if (headless) {
        const QStringList wh = parser.value(options.size).split(QLatin1Char('x'));
        const QSize pixels(wh.value(0).toInt(), wh.value(1).toInt());
        if (wh.size() != 2 || pixels.width() < 320 || pixels.height() < 200 || pixels.width() > 8000
            || pixels.height() > 8000)
            return fail(QStringLiteral("--size wants WxH, e.g. 1440x900"));
        const double factor = parser.isSet(options.zoom) ? parser.value(options.zoom).toDouble() : 1.0;
        if (parser.isSet(options.present)) {
            if (!window.lectureTools()->savePresentationScreenshot(parser.value(options.screenshot), pixels, &error))
                return fail(error);
            return 0;
        }
        if (!window.saveScreenshot(parser.value(options.screenshot), pixels, factor, &error))
            return fail(error);
        return 0;
    }
    window.show();
    if (parser.isSet(options.present))
        window.lectureTools()->setPresenting(true);
    return QApplication::exec();
}

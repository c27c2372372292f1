// SPDX-License-Identifier: MIT
// paramscope: the desktop app.
// `paramscope [SOURCE] [--set NAME=VALUE]... [--palette dark] [--screenshot FILE.png [--size WxH]]`
#include "autosave.h"
#include "mainwindow.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QStyle>
#include <QStyleFactory>
#include <QTextStream>

#include <cstdio>
#include <memory>

using paramscope::ui::MainWindow;

int main(int argc, char* argv[])
{
    // A screenshot needs no display: fall back to the offscreen platform when there is none.
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], "--screenshot") == 0 && qEnvironmentVariableIsEmpty("DISPLAY")
            && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ParamScope"));
    QApplication::setApplicationName(QStringLiteral("ParamScope"));
    QApplication::setApplicationVersion(QStringLiteral(PARAMSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Where every parameter of a transformer lives, exactly."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("source"),
        QStringLiteral("A preset name, a design file, a Hugging Face config.json or its folder."),
        QStringLiteral("[SOURCE]"));
    const QCommandLineOption set(QStringLiteral("set"),
        QStringLiteral("Set a hyperparameter (E=1024, hidden_size=1024)."), QStringLiteral("NAME=VALUE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Render the window into FILE.png and exit (no display needed)."), QStringLiteral("FILE.png"));
    const QCommandLineOption size(QStringLiteral("size"),
        QStringLiteral("Window size for --screenshot (default 1440x900)."), QStringLiteral("WxH"),
        QStringLiteral("1440x900"));
    const QCommandLineOption zoom(QStringLiteral("zoom"),
        QStringLiteral("Font zoom for --screenshot (1 = system size)."), QStringLiteral("FACTOR"));
    const QCommandLineOption select(
        QStringLiteral("select"), QStringLiteral("Select the module at a dotted path."), QStringLiteral("PATH"));
    const QCommandLineOption chart(
        QStringLiteral("chart"), QStringLiteral("Show the growth chart instead of the tree."));
    const QCommandLineOption palette(QStringLiteral("palette"),
        QStringLiteral("Colours: system (default), light or dark (Fusion style)."), QStringLiteral("SCHEME"),
        QStringLiteral("system"));
    const QCommandLineOption restoreAutosave(QStringLiteral("restore-autosave"),
        QStringLiteral("Restore the unsaved edits a crashed or killed ParamScope left, without asking."));
    parser.addOptions({ set, screenshot, size, zoom, select, chart, palette, restoreAutosave });
    parser.process(app);

    QTextStream err(stderr);
    const auto fail = [&err](const QString& message) {
        err << "paramscope: " << message << "\n";
        return 2;
    };
    const QStringList args = parser.positionalArguments();
    if (args.size() > 1)
        return fail(QStringLiteral("one SOURCE at most"));

    if (const QString scheme = parser.value(palette); scheme != QLatin1String("system")) {
        if (scheme != QLatin1String("light") && scheme != QLatin1String("dark"))
            return fail(QStringLiteral("--palette wants system, light or dark"));
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(
            scheme == QLatin1String("dark") ? paramscope::ui::darkPalette() : QApplication::style()->standardPalette());
    }

    MainWindow window;
    const bool headless = parser.isSet(screenshot);
    QString error;
    if (!window.openSource(args.isEmpty() ? QStringLiteral("gpt2") : args.front(), &error, false))
        return fail(error);
    // Unsaved edits are autosaved, and what a killed instance left is offered back (a dialog;
    // kept for later with no display to ask on). Never for a headless screenshot.
    std::unique_ptr<paramscope::ui::Autosave> autosave;
    if (!headless) {
        using paramscope::ui::Autosave;
        autosave = std::make_unique<Autosave>(window.document(), Autosave::defaultFolder());
        const bool canAsk = QGuiApplication::platformName() != QLatin1String("offscreen")
            && QGuiApplication::platformName() != QLatin1String("minimal");
        autosave->offerRestore(parser.isSet(restoreAutosave) ? Autosave::Offer::Restore
                : canAsk                                     ? Autosave::Offer::Ask
                                                             : Autosave::Offer::Keep,
            &window);
    }
    for (const QString& s : parser.values(set))
        if (!window.applySetting(s, &error))
            return fail(QStringLiteral("--set %1: %2").arg(s, error));
    if (parser.isSet(select) && !window.selectPath(parser.value(select)))
        return fail(QStringLiteral("--select: no module at %1").arg(parser.value(select)));

    window.showChart(parser.isSet(chart));
    if (headless) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        const QSize pixels(wh.value(0).toInt(), wh.value(1).toInt());
        if (wh.size() != 2 || pixels.width() < 320 || pixels.height() < 200 || pixels.width() > 8000
            || pixels.height() > 8000)
            return fail(QStringLiteral("--size wants WxH, e.g. 1440x900"));
        const double factor = parser.isSet(zoom) ? parser.value(zoom).toDouble() : 1.0;
        if (!window.saveScreenshot(parser.value(screenshot), pixels, factor, &error))
            return fail(error);
        return 0;
    }
    window.show();
    return QApplication::exec();
}

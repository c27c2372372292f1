// SPDX-License-Identifier: MIT
// chart: the growth chart of the first SOURCE, the others as labelled markers, drawn offscreen to
// PNG, SVG or PDF.
#include "cliutil.h"
#include "commands.h"

#include "chartwidget.h"

#include <QApplication>
#include <QString>

#include <iostream>

namespace paramscope::cli {

using namespace core;

namespace {

/// "1920x1080" as a size.
std::optional<std::pair<int, int>> parseSize(const std::string& text)
{
    const auto x = text.find('x');
    if (x == std::string::npos)
        return std::nullopt;
    auto w = parseCount("--size", text.substr(0, x)), h = parseCount("--size", text.substr(x + 1));
    if (!w || !h || *w < 1 || *h < 1 || *w > 20000 || *h > 20000)
        return std::nullopt;
    return std::pair { static_cast<int>(*w), static_cast<int>(*h) };
}

/// Drops Qt's debug output and warnings; a fatal message is still printed (Qt then aborts).
void quietQtMessages(QtMsgType type, const QMessageLogContext&, const QString& message)
{
    if (type == QtFatalMsg)
        std::cerr << "paramscope-cli: " << message.toStdString() << "\n";
}

struct ChartArgs {
    DesignArgs design;
    RangeArgs range;
    std::string out, size = "1280x800", dpi = "96";
    std::optional<std::string> title;
    bool log = false, logX = false, noBreakdown = false;
};

int runChart(const ChartArgs& a, int argc, char** argv)
{
    paramscope::ui::ChartSpec spec;
    spec.logY = a.log;
    spec.logX = a.logX;
    spec.breakdown = !a.noBreakdown;
    spec.x = a.range.x.value_or(spec.x);
    if (a.title)
        spec.title = QString::fromStdString(*a.title);
    if (auto st = a.range.parse(spec.from, spec.to, spec.step); !st)
        return fail(st.error());
    auto size = parseSize(a.size);
    if (!size)
        return fail("--size: '" + a.size + "' is not WIDTHxHEIGHT in pixels (e.g. 1920x1080)");
    auto dpi = parseCount("--dpi", a.dpi);
    if (!dpi)
        return fail(dpi.error());
    if (*dpi < 24 || *dpi > 1200)
        return fail("--dpi: " + std::to_string(*dpi) + " is outside 24..1200");
    if (a.design.sources.empty())
        return fail("chart: no SOURCE given (a preset name or a file)");
    if (a.out.empty())
        return fail("chart: no --out FILE given (.png, .svg or .pdf)");

    // --set changes the curve's design (the first SOURCE); the others are marked as they are.
    for (std::size_t i = 0; i < a.design.sources.size(); ++i) {
        auto d = a.design.load(a.design.sources[i], i == 0);
        if (!d)
            return fail(d.error());
        if (i == 0)
            spec.design = std::move(*d);
        else
            spec.markers.push_back(std::move(*d));
    }

    // The chart renders offscreen: no display is needed.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Success prints nothing: Qt's own chatter (e.g. "XDG_RUNTIME_DIR not set") is dropped unless
    // PARAMSCOPE_VERBOSE is set. Real errors still end in one message and exit status 2.
    if (qEnvironmentVariableIsEmpty("PARAMSCOPE_VERBOSE"))
        qInstallMessageHandler(quietQtMessages);
    QApplication app(argc, argv);
    QString error;
    if (!paramscope::ui::renderChart(
            spec, QString::fromStdString(a.out), QSize(size->first, size->second), static_cast<int>(*dpi), &error))
        return fail(error.toStdString());
    return kOk;
}

} // namespace

void addChartCommand(CLI::App& app, int& status, int argc, char** argv)
{
    auto* command = app.add_subcommand(
        "chart", "draw the growth chart of the first SOURCE (every SOURCE a labelled marker) to PNG, SVG or PDF");
    auto a = std::make_shared<ChartArgs>();
    a->design.addTo(command, "presets, design files or configs: the first is the curve");
    a->range.addTo(command);
    command->add_option("--out", a->out, "the file to write: .png, .svg or .pdf")->type_name("FILE");
    command->add_option("--size", a->size, "in pixels")->type_name("WxH")->default_str("1280x800");
    command->add_option("--dpi", a->dpi, "dots per inch of the PNG")->type_name("N")->default_str("96");
    command->add_option("--title", a->title, "the chart's title")->type_name("TEXT");
    command->add_flag("--log,--log-y", a->log, "logarithmic count axis");
    command->add_flag("--log-x", a->logX, "logarithmic x axis");
    command->add_flag("--no-breakdown", a->noBreakdown, "the total only, no areas by component");
    onRun(command, status, [a, argc, argv] { return runChart(*a, argc, argv); });
}

} // namespace paramscope::cli

// SPDX-License-Identifier: MIT
// diagram: the architecture as a block diagram, drawn offscreen to SVG, PDF or PNG for slides.
#include "cliutil.h"
#include "commands.h"

#include "diagramrender.h"
#include "report.h"

#include <QApplication>
#include <QString>

#include <iostream>

namespace paramscope::cli {

using namespace core;

namespace {

void quietQtMessages(QtMsgType type, const QMessageLogContext&, const QString& message)
{
    if (type == QtFatalMsg)
        std::cerr << "paramscope-cli: " << message.toStdString() << "\n";
}

struct DiagramArgs {
    DesignArgs design;
    std::string out;
    std::string scale = "2";
};

int runDiagram(const DiagramArgs& a, int argc, char** argv)
{
    auto source = a.design.single("diagram");
    if (!source)
        return fail(source.error());
    if (a.out.empty())
        return fail("diagram: no --out FILE given (.svg, .pdf or .png)");
    auto scale = parseCount("--scale", a.scale);
    if (!scale)
        return fail(scale.error());
    if (*scale < 1 || *scale > 8)
        return fail("--scale: " + std::to_string(*scale) + " is outside 1..8");
    auto d = a.design.load(*source);
    if (!d)
        return fail(d.error());
    auto counted = count(std::move(*d));
    if (!counted)
        return fail(counted.error());
    // Drawn offscreen: no display is needed.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("PARAMSCOPE_VERBOSE"))
        qInstallMessageHandler(quietQtMessages);
    QApplication app(argc, argv);
    const auto diagram = paramscope::ui::buildDiagram(*counted, QString::fromStdString(counted->design.name));
    QString error;
    if (!paramscope::ui::exportDiagram(diagram, QString::fromStdString(a.out), static_cast<double>(*scale), &error))
        return fail(error.toStdString());
    return kOk;
}

} // namespace

void addDiagramCommand(CLI::App& app, int& status, int argc, char** argv)
{
    auto* command = app.add_subcommand("diagram",
        "draw SOURCE as a block diagram (embeddings, the repeated block, attention, MLP or experts, norms, head, "
        "vision tower) to SVG, PDF or PNG");
    auto a = std::make_shared<DiagramArgs>();
    a->design.addTo(command);
    command->add_option("--out", a->out, "the file to write: .svg, .pdf or .png")->type_name("FILE");
    command->add_option("--scale", a->scale, "pixels per diagram unit in a PNG (1..8)")
        ->type_name("N")
        ->default_str("2");
    onRun(command, status, [a, argc, argv] { return runDiagram(*a, argc, argv); });
}

} // namespace paramscope::cli

// SPDX-License-Identifier: MIT
// paramscope-cli: exact parameter counts of transformer designs, from the command line.
#include "chartwidget.h"
#include "designio.h"
#include "overrides.h"
#include "presets.h"
#include "report.h"
#include "source.h"
#include "sweep.h"

#include <QApplication>
#include <QString>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

using namespace paramscope::core;

namespace {

constexpr int kBadInput = 2;

const char* kUsage = R"(usage:
  paramscope-cli count SOURCE [--set NAME=VALUE]... [--class NAME]
                       [--format text|json|csv|markdown|latex] [--json]
  paramscope-cli presets [--json]
  paramscope-cli convert SOURCE [--set NAME=VALUE]... [--class NAME] [--name TEXT]
                       (prints the ParamScope design file of SOURCE)
  paramscope-cli sweep SOURCE [--x E] [--from A] [--to B] [--step S]
                       [--set NAME=VALUE]... [--class NAME] [--format csv|json]
                       (exact counts over one hyperparameter; by default through valid values)
  paramscope-cli chart SOURCE... [--x E] [--from A] [--to B] [--set NAME=VALUE]...
                       [--class NAME] [--log] [--no-breakdown] [--title TEXT]
                       [--size WxH] [--dpi N] --out FILE.png|FILE.svg|FILE.pdf
                       (the first SOURCE is the curve, every SOURCE a labelled marker)
  paramscope-cli help

SOURCE is a preset name (see `presets`), a ParamScope design file, a Hugging Face
config.json, or a folder holding one. --set changes a hyperparameter (V, P, E, H, L …
or a config field such as hidden_size); derived ones (F = 4*E) follow.
Exit status: 0 on success, 2 on bad input (one message on stderr).
)";

int fail(const std::string& message)
{
    std::cerr << "paramscope-cli: " << message << "\n";
    return kBadInput;
}

int fail(const Error& e)
{
    return fail(e.text());
}

/// Loads SOURCE with --class and applies the --set list, in order.
Result<Design> loadWithSettings(
    const std::string& source, const std::string& className, const std::vector<std::string>& settings)
{
    auto design = loadSource(source, { className });
    if (!design)
        return design.error();
    for (const auto& s : settings) {
        auto parsed = parseSetting(s);
        if (!parsed)
            return parsed.error().within("--set");
        if (auto st = applySetting(*design, parsed->first, parsed->second); !st)
            return st.error().within("--set");
    }
    return design;
}

int countCommand(const std::vector<std::string>& args)
{
    std::string source, className;
    std::vector<std::string> settings;
    Format format = Format::Text;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* flag) -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return std::nullopt;
            (void)flag;
            return args[++i];
        };
        if (a == "--json") {
            format = Format::Json;
        } else if (a == "--set" || a == "--class" || a == "--format") {
            auto v = value(a.c_str());
            if (!v)
                return fail(a + " needs a value");
            if (a == "--set") {
                settings.push_back(*v);
            } else if (a == "--class") {
                className = *v;
            } else {
                auto f = parseFormat(*v);
                if (!f)
                    return fail("--format: unknown format '" + *v + "' (text, json, csv, markdown, latex)");
                format = *f;
            }
        } else if (a.rfind("--set=", 0) == 0) {
            settings.push_back(a.substr(6));
        } else if (a.rfind("--", 0) == 0) {
            return fail("count: unknown option " + a);
        } else if (source.empty()) {
            source = a;
        } else {
            return fail("count: more than one SOURCE given ('" + source + "', '" + a + "')");
        }
    }
    if (source.empty())
        return fail("count: no SOURCE given (a preset name or a file)");

    auto design = loadWithSettings(source, className, settings);
    if (!design)
        return fail(design.error());
    auto counted = count(std::move(*design));
    if (!counted)
        return fail(counted.error());
    std::cout << report(*counted, format);
    return 0;
}

int convertCommand(const std::vector<std::string>& args)
{
    std::string source, className, name;
    std::vector<std::string> settings;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--set" || a == "--class" || a == "--name") {
            if (i + 1 >= args.size())
                return fail(a + " needs a value");
            const std::string& v = args[++i];
            if (a == "--set")
                settings.push_back(v);
            else if (a == "--class")
                className = v;
            else
                name = v;
        } else if (a.rfind("--", 0) == 0) {
            return fail("convert: unknown option " + a);
        } else if (source.empty()) {
            source = a;
        } else {
            return fail("convert: more than one SOURCE given");
        }
    }
    if (source.empty())
        return fail("convert: no SOURCE given");
    auto design = loadWithSettings(source, className, settings);
    if (!design)
        return fail(design.error());
    if (!name.empty())
        design->name = name;
    // Refuse to write a design that does not evaluate.
    if (auto e = evaluate(*design); !e)
        return fail(e.error());
    std::cout << designToJson(*design);
    return 0;
}

/// Parses a whole number for --from, --to, --step, --dpi.
std::optional<Count> parseCount(const std::string& text)
{
    auto parsed = parseSetting("x=" + text);
    if (!parsed)
        return std::nullopt;
    return parsed->second;
}

int sweepCommand(const std::vector<std::string>& args)
{
    std::string source, className, format = "csv";
    std::vector<std::string> settings;
    SweepOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--set" || a == "--class" || a == "--format" || a == "--x" || a == "--from" || a == "--to"
            || a == "--step") {
            if (i + 1 >= args.size())
                return fail(a + " needs a value");
            const std::string& v = args[++i];
            if (a == "--set") {
                settings.push_back(v);
            } else if (a == "--class") {
                className = v;
            } else if (a == "--format") {
                if (v != "csv" && v != "json")
                    return fail("--format: unknown format '" + v + "' (csv, json)");
                format = v;
            } else if (a == "--x") {
                options.x = v;
            } else {
                auto n = parseCount(v);
                if (!n)
                    return fail(a + ": '" + v + "' is not a whole number");
                (a == "--from" ? options.from : a == "--to" ? options.to : options.step) = *n;
            }
        } else if (a.rfind("--", 0) == 0) {
            return fail("sweep: unknown option " + a);
        } else if (source.empty()) {
            source = a;
        } else {
            return fail("sweep: more than one SOURCE given ('" + source + "', '" + a + "')");
        }
    }
    if (source.empty())
        return fail("sweep: no SOURCE given (a preset name or a file)");
    auto design = loadWithSettings(source, className, settings);
    if (!design)
        return fail(design.error());
    auto s = sweep(*design, options);
    if (!s)
        return fail(s.error());
    if (format == "json") {
        std::cout << sweepJson(*s);
    } else {
        std::cout << sweepCsv(*s);
        if (!s->skipped.empty())
            std::cerr << "paramscope-cli: skipped " << s->skipped.size() << " invalid " << s->x << " value(s), e.g. "
                      << s->x << "=" << s->skipped.front().x << ": " << s->skipped.front().reason << "\n";
    }
    return 0;
}

/// "1920x1080" as a size.
std::optional<std::pair<int, int>> parseSize(const std::string& text)
{
    const auto x = text.find('x');
    if (x == std::string::npos)
        return std::nullopt;
    auto w = parseCount(text.substr(0, x)), h = parseCount(text.substr(x + 1));
    if (!w || !h || *w < 1 || *h < 1 || *w > 20000 || *h > 20000)
        return std::nullopt;
    return std::pair { static_cast<int>(*w), static_cast<int>(*h) };
}

int chartCommand(int argc, char** argv, const std::vector<std::string>& args)
{
    std::vector<std::string> sources, settings;
    std::string className, out;
    paramscope::ui::ChartSpec spec;
    int width = 1280, height = 800, dpi = 96;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--log" || a == "--log-y") {
            spec.logY = true;
        } else if (a == "--log-x") {
            spec.logX = true;
        } else if (a == "--no-breakdown") {
            spec.breakdown = false;
        } else if (a == "--set" || a == "--class" || a == "--x" || a == "--from" || a == "--to" || a == "--step"
            || a == "--out" || a == "--size" || a == "--dpi" || a == "--title") {
            if (i + 1 >= args.size())
                return fail(a + " needs a value");
            const std::string& v = args[++i];
            if (a == "--set") {
                settings.push_back(v);
            } else if (a == "--class") {
                className = v;
            } else if (a == "--x") {
                spec.x = v;
            } else if (a == "--out") {
                out = v;
            } else if (a == "--title") {
                spec.title = QString::fromStdString(v);
            } else if (a == "--size") {
                auto size = parseSize(v);
                if (!size)
                    return fail("--size: '" + v + "' is not WIDTHxHEIGHT in pixels (e.g. 1920x1080)");
                width = size->first;
                height = size->second;
            } else {
                auto n = parseCount(v);
                if (!n)
                    return fail(a + ": '" + v + "' is not a whole number");
                if (a == "--dpi") {
                    if (*n < 24 || *n > 1200)
                        return fail("--dpi: " + v + " is outside 24..1200");
                    dpi = static_cast<int>(*n);
                } else {
                    (a == "--from" ? spec.from : a == "--to" ? spec.to : spec.step) = *n;
                }
            }
        } else if (a.rfind("--", 0) == 0) {
            return fail("chart: unknown option " + a);
        } else {
            sources.push_back(a);
        }
    }
    if (sources.empty())
        return fail("chart: no SOURCE given (a preset name or a file)");
    if (out.empty())
        return fail("chart: no --out FILE given (.png, .svg or .pdf)");
    // --set changes the curve's design (the first SOURCE); the others are marked as they are.
    for (std::size_t i = 0; i < sources.size(); ++i) {
        auto design = loadWithSettings(sources[i], className, i == 0 ? settings : std::vector<std::string> {});
        if (!design)
            return fail(design.error());
        if (i == 0)
            spec.design = std::move(*design);
        else
            spec.markers.push_back(std::move(*design));
    }

    // The chart renders offscreen: no display is needed.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QString error;
    if (!paramscope::ui::renderChart(spec, QString::fromStdString(out), QSize(width, height), dpi, &error))
        return fail(error.toStdString());
    return 0;
}

int presetsCommand(const std::vector<std::string>& args)
{
    const bool json = !args.empty() && args[0] == "--json";
    if (!args.empty() && !json)
        return fail("presets: unknown option " + args[0]);
    std::string out = json ? "[\n" : "";
    bool first = true;
    for (const Preset& p : presets()) {
        auto d = loadText(p.json, "preset " + std::string(p.name));
        auto c = d ? count(std::move(*d)) : Result<Counted>(d.error());
        if (!c)
            return fail(c.error());
        const Evaluation& e = c->evaluation;
        char line[256];
        if (json) {
            std::snprintf(line, sizeof line, "%s  {\"name\": \"%s\", \"class\": \"%s\", \"total\": %lld}",
                first ? "" : ",\n", std::string(p.name).c_str(), c->design.className.c_str(),
                static_cast<long long>(e.total));
        } else {
            std::snprintf(line, sizeof line, "%-14s %-32s %20s  %s\n", std::string(p.name).c_str(),
                c->design.className.c_str(), groupDigits(e.total).c_str(), compactCount(e.total).c_str());
        }
        out += line;
        first = false;
    }
    std::cout << out << (json ? "\n]\n" : "");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        std::cout << kUsage;
        return args.empty() ? kBadInput : 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    try {
        if (command == "count")
            return countCommand(args);
        if (command == "convert")
            return convertCommand(args);
        if (command == "presets")
            return presetsCommand(args);
        if (command == "sweep")
            return sweepCommand(args);
        if (command == "chart")
            return chartCommand(argc, argv, args);
    } catch (const std::exception& e) {
        // Nothing should throw here; if something does, say so instead of aborting.
        return fail(std::string("internal error: ") + e.what());
    }
    return fail("unknown command '" + command + "'\n" + kUsage);
}

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

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
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
Exit status: 0 on success, 2 on bad input (one message on stderr). `chart` prints nothing
on success; set PARAMSCOPE_VERBOSE=1 to see Qt's own warnings.
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

/// Whether @p s is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool isUtf8(std::string_view s)
{
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size() || (n == 2 && c < 0xC2))
            return false;
        char32_t cp = n == 1 ? c : c & (0x7F >> n);
        for (std::size_t k = 1; k < n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += n;
    }
    return true;
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

/// A command's arguments: positional ones, and each option's values in the order given.
struct Arguments {
    std::vector<std::string> positional;
    std::map<std::string, std::vector<std::string>> values; ///< "--set" -> {"E=1024", "H=16"}
    std::set<std::string> flags; ///< "--json", "--log" …

    /// The last value of @p option, or @p fallback.
    std::string last(const std::string& option, const std::string& fallback = {}) const
    {
        auto it = values.find(option);
        return it == values.end() || it->second.empty() ? fallback : it->second.back();
    }
    const std::vector<std::string>& all(const std::string& option) const
    {
        static const std::vector<std::string> none;
        auto it = values.find(option);
        return it == values.end() ? none : it->second;
    }
    bool has(const std::string& option) const { return flags.count(option) || values.count(option); }
};

/// Splits @p args of @p command into options that take a value (`--set X` or `--set=X`),
/// flags, and positional arguments. Error: an unknown option or a missing value.
Result<Arguments> parseArguments(const std::string& command, const std::vector<std::string>& args,
    std::initializer_list<const char*> withValue, std::initializer_list<const char*> flags = {})
{
    auto among = [](const std::string& a, std::initializer_list<const char*> list) {
        return std::any_of(list.begin(), list.end(), [&](const char* o) { return a == o; });
    };
    Arguments out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string a = args[i];
        if (a.rfind("--", 0) != 0) {
            out.positional.push_back(a);
            continue;
        }
        const auto eq = a.find('=');
        const std::string name = a.substr(0, eq);
        if (among(name, withValue)) {
            if (eq != std::string::npos)
                out.values[name].push_back(a.substr(eq + 1));
            else if (i + 1 < args.size())
                out.values[name].push_back(args[++i]);
            else
                return Error { "", name + " needs a value" };
        } else if (eq == std::string::npos && among(a, flags)) {
            out.flags.insert(a);
        } else {
            return Error { "", command + ": unknown option " + a };
        }
    }
    return out;
}

/// The one SOURCE of a command.
Result<std::string> singleSource(const std::string& command, const Arguments& a)
{
    if (a.positional.empty())
        return Error { "", command + ": no SOURCE given (a preset name or a file)" };
    if (a.positional.size() > 1)
        return Error { "",
            command + ": more than one SOURCE given ('" + a.positional[0] + "', '" + a.positional[1] + "')" };
    return a.positional[0];
}

/// Parses a whole number for --from, --to, --step, --dpi.
Result<Count> parseCount(const std::string& option, const std::string& text)
{
    auto parsed = parseSetting("x=" + text);
    if (!parsed)
        return Error { option, "'" + text + "' is not a whole number" };
    return parsed->second;
}

int countCommand(const std::vector<std::string>& args)
{
    auto a = parseArguments("count", args, { "--set", "--class", "--format" }, { "--json" });
    if (!a)
        return fail(a.error());
    auto source = singleSource("count", *a);
    if (!source)
        return fail(source.error());
    auto format = parseFormat(a->last("--format", "text"));
    if (!format)
        return fail("--format: unknown format '" + a->last("--format") + "' (text, json, csv, markdown, latex)");
    if (a->has("--json"))
        format = Format::Json;

    auto design = loadWithSettings(*source, a->last("--class"), a->all("--set"));
    if (!design)
        return fail(design.error());
    auto counted = count(std::move(*design));
    if (!counted)
        return fail(counted.error());
    std::cout << report(*counted, *format);
    return 0;
}

int convertCommand(const std::vector<std::string>& args)
{
    auto a = parseArguments("convert", args, { "--set", "--class", "--name" });
    if (!a)
        return fail(a.error());
    auto source = singleSource("convert", *a);
    if (!source)
        return fail(source.error());
    auto design = loadWithSettings(*source, a->last("--class"), a->all("--set"));
    if (!design)
        return fail(design.error());
    if (a->has("--name")) {
        // The design file is JSON, which is UTF-8: refuse rather than write a replacement character.
        if (!isUtf8(a->last("--name")))
            return fail("--name: not valid UTF-8");
        design->name = a->last("--name");
    }
    // Refuse to write a design that does not evaluate.
    if (auto e = evaluate(*design); !e)
        return fail(e.error());
    std::cout << designToJson(*design);
    return 0;
}

/// --from, --to and --step into @p from, @p to, @p step (left as they are when not given).
Status parseRange(const Arguments& a, std::optional<Count>& from, std::optional<Count>& to, std::optional<Count>& step)
{
    for (auto [option, target] : { std::pair { "--from", &from }, { "--to", &to }, { "--step", &step } }) {
        if (!a.has(option))
            continue;
        auto n = parseCount(option, a.last(option));
        if (!n)
            return n.error();
        *target = *n;
    }
    return Ok {};
}

int sweepCommand(const std::vector<std::string>& args)
{
    auto a = parseArguments("sweep", args, { "--set", "--class", "--format", "--x", "--from", "--to", "--step" });
    if (!a)
        return fail(a.error());
    auto source = singleSource("sweep", *a);
    if (!source)
        return fail(source.error());
    const std::string format = a->last("--format", "csv");
    if (format != "csv" && format != "json")
        return fail("--format: unknown format '" + format + "' (csv, json)");
    SweepOptions options;
    options.x = a->last("--x", options.x);
    if (auto st = parseRange(*a, options.from, options.to, options.step); !st)
        return fail(st.error());

    auto design = loadWithSettings(*source, a->last("--class"), a->all("--set"));
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

int chartCommand(int argc, char** argv, const std::vector<std::string>& args)
{
    auto a = parseArguments("chart", args,
        { "--set", "--class", "--x", "--from", "--to", "--step", "--out", "--size", "--dpi", "--title" },
        { "--log", "--log-y", "--log-x", "--no-breakdown" });
    if (!a)
        return fail(a.error());
    paramscope::ui::ChartSpec spec;
    spec.logY = a->has("--log") || a->has("--log-y");
    spec.logX = a->has("--log-x");
    spec.breakdown = !a->has("--no-breakdown");
    spec.x = a->last("--x", spec.x);
    if (a->has("--title"))
        spec.title = QString::fromStdString(a->last("--title"));
    if (auto st = parseRange(*a, spec.from, spec.to, spec.step); !st)
        return fail(st.error());
    auto size = parseSize(a->last("--size", "1280x800"));
    if (!size)
        return fail("--size: '" + a->last("--size") + "' is not WIDTHxHEIGHT in pixels (e.g. 1920x1080)");
    auto dpi = parseCount("--dpi", a->last("--dpi", "96"));
    if (!dpi)
        return fail(dpi.error());
    if (*dpi < 24 || *dpi > 1200)
        return fail("--dpi: " + std::to_string(*dpi) + " is outside 24..1200");
    const std::string out = a->last("--out");
    if (a->positional.empty())
        return fail("chart: no SOURCE given (a preset name or a file)");
    if (out.empty())
        return fail("chart: no --out FILE given (.png, .svg or .pdf)");

    // --set changes the curve's design (the first SOURCE); the others are marked as they are.
    const std::string className = a->last("--class");
    for (std::size_t i = 0; i < a->positional.size(); ++i) {
        auto design
            = loadWithSettings(a->positional[i], className, i == 0 ? a->all("--set") : std::vector<std::string> {});
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
    // Success prints nothing: Qt's own chatter (e.g. "XDG_RUNTIME_DIR not set") is dropped unless
    // PARAMSCOPE_VERBOSE is set. Real errors still end in one message and exit status 2.
    if (qEnvironmentVariableIsEmpty("PARAMSCOPE_VERBOSE"))
        qInstallMessageHandler(quietQtMessages);
    QApplication app(argc, argv);
    QString error;
    if (!paramscope::ui::renderChart(
            spec, QString::fromStdString(out), QSize(size->first, size->second), static_cast<int>(*dpi), &error))
        return fail(error.toStdString());
    return 0;
}

int presetsCommand(const std::vector<std::string>& args)
{
    auto a = parseArguments("presets", args, {}, { "--json" });
    if (!a)
        return fail(a.error());
    if (!a->positional.empty())
        return fail("presets: takes no SOURCE");
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    std::string text;
    for (const Preset& p : presets()) {
        auto d = loadText(p.json, "preset " + std::string(p.name));
        auto c = d ? count(std::move(*d)) : Result<Counted>(d.error());
        if (!c)
            return fail(c.error());
        const Count total = c->evaluation.total;
        list.push_back(
            { { "name", p.name }, { "title", c->design.name }, { "class", c->design.className }, { "total", total } });
        char line[256];
        std::snprintf(line, sizeof line, "%-14s %-32s %20s  %s\n", std::string(p.name).c_str(),
            c->design.className.c_str(), groupDigits(total).c_str(), compactCount(total).c_str());
        text += line;
    }
    std::cout << (a->has("--json") ? list.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n"
                                   : text);
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

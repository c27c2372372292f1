// SPDX-License-Identifier: MIT
// paramscope-cli: exact parameter counts of transformer designs, from the command line. Each
// command lives in its own file (cmd_*.cpp) and registers itself here; CLI11 parses, gives every
// command its --help, and --version.
#include "cliutil.h"
#include "commands.h"

#include <iostream>
#include <string>
#include <vector>

using namespace paramscope::cli;

namespace {

const char* kFooter = R"(
SOURCE is a preset name (see `presets`), a ParamScope design file, a Hugging Face config.json, or
a folder holding one. --set changes a hyperparameter (V, P, E, H, L … or a config field such as
hidden_size); derived ones (F = 4*E) follow. `paramscope-cli COMMAND --help` tells more.
Exit status: 0 on success, 1 when `verify` finds a mismatch, 2 on bad input (one message on
stderr). `chart` prints nothing on success; set PARAMSCOPE_VERBOSE=1 to see Qt's own warnings.)";

/// CLI11's message for @p e, in our words where they differ: "count: unknown option --frobnicate".
std::string parseMessage(const CLI::App& app, const CLI::ParseError& e)
{
    std::string text = e.what();
    for (const char* prefix :
        { "The following argument was not expected: ", "The following arguments were not expected: " }) {
        if (text.rfind(prefix, 0) == 0) {
            const std::string extra = text.substr(std::char_traits<char>::length(prefix));
            text = (extra.rfind('-', 0) == 0 ? "unknown option " : "unexpected argument ") + extra;
        }
    }
    // "--set: 1 required NAME=VALUE missing"
    if (text.rfind("--", 0) == 0 && text.find(" required ") != std::string::npos && text.ends_with(" missing"))
        text = text.substr(0, text.find(':')) + " needs a value";
    const auto parsed = app.get_subcommands();
    return parsed.empty() ? text : parsed.front()->get_name() + ": " + text;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app { "paramscope-cli: exact parameter counts of transformer designs", "paramscope-cli" };
    app.set_version_flag("--version", std::string(PARAMSCOPE_VERSION));
    app.footer(kFooter);
    app.require_subcommand(1);
    int status = kOk;
    addDocsCommand(app, status); // hidden; reads the commands registered below when it runs
    addCountCommand(app, status);
    addPresetsCommand(app, status);
    addConvertCommand(app, status);
    addSweepCommand(app, status);
    addChartCommand(app, status, argc, argv);
    addMemoryCommand(app, status);
    addFlopsCommand(app, status);
    addExplainCommand(app, status);
    addDiffCommand(app, status);
    addDiagramCommand(app, status, argc, argv);
    addVerifyCommand(app, status);
    addInspectCommand(app, status);

    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cout << app.help();
        return kBadInput;
    }
    // `help COMMAND` is `COMMAND --help`; `help` alone is `--help`.
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    if (args[0] == "help")
        reversed
            = args.size() > 1 ? std::vector<std::string> { "--help", args[1] } : std::vector<std::string> { "--help" };
    if (args[0] != "help" && args[0].rfind('-', 0) != 0
        && app.get_subcommands([&](CLI::App* c) { return c->get_name() == args[0]; }).empty())
        return fail("unknown command '" + args[0] + "'\n" + app.help());
    try {
        app.parse(reversed); // CLI11 takes them last first
    } catch (const CLI::Success& e) { // --help, --version
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return fail(parseMessage(app, e));
    } catch (const std::exception& e) {
        // Nothing should throw here; if something does, say so instead of aborting.
        return fail(std::string("internal error: ") + e.what());
    }
    return status;
}

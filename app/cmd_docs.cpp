// SPDX-License-Identifier: MIT
// docs (hidden): the man page and the bash completion of paramscope-cli, written from the commands
// and options registered in cli.cpp. The build runs it, so a new cmd_*.cpp appears in both
// without anyone editing them.
#include "cliutil.h"
#include "commands.h"
#include "manpage.h"

#include "presets.h"

#include <iostream>
#include <regex>
#include <sstream>

namespace paramscope::cli {

namespace {

/// Visible commands (a hidden one has an empty group), in the order they were registered.
std::vector<CLI::App*> visibleCommands(CLI::App& app)
{
    return app.get_subcommands([](CLI::App* c) { return !c->get_group().empty(); });
}

/// Visible options of @p command without --help (every command has it; the page says so once).
std::vector<const CLI::Option*> visibleOptions(const CLI::App& command)
{
    const CLI::Option* help = command.get_help_ptr();
    return command.get_options(
        [help](const CLI::Option* o) { return o != help && !o->get_group().empty() && !o->get_positional(); });
}

std::vector<const CLI::Option*> positionals(const CLI::App& command)
{
    return command.get_options([](const CLI::Option* o) { return o->get_positional(); });
}

bool isFlag(const CLI::Option& o)
{
    return o.get_expected_max() == 0;
}

/// "-h, --help": every name of @p o.
std::string names(const CLI::Option& o)
{
    std::string out;
    for (const std::string& s : o.get_snames())
        out += (out.empty() ? "-" : ", -") + s;
    for (const std::string& l : o.get_lnames())
        out += (out.empty() ? "--" : ", --") + l;
    return out;
}

/// A positional's name as --help shows it: SOURCE, SOURCE... when it takes several, in brackets
/// when it may be left out.
std::string positionalName(const CLI::Option& o, bool brackets = true)
{
    const std::string name = o.get_name(true) + (o.get_items_expected_max() > 1 ? "..." : "");
    return o.get_required() || !brackets ? name : "[" + name + "]";
}

/// The values an option lists in its help ("output format: text, json, csv"), for completion;
/// empty when it lists none.
std::vector<std::string> listedValues(const CLI::Option& o)
{
    const std::string& text = o.get_description();
    const std::size_t colon = text.rfind(": ");
    if (colon == std::string::npos)
        return {};
    static const std::regex item("[A-Za-z0-9_.+-]+");
    std::vector<std::string> values;
    std::string rest = std::regex_replace(text.substr(colon + 2), std::regex(" or "), ", ");
    std::istringstream in(rest);
    for (std::string v; std::getline(in, v, ',');) {
        v.erase(0, v.find_first_not_of(' '));
        if (!std::regex_match(v, item))
            return {};
        values.push_back(v);
    }
    return values.size() > 1 ? values : std::vector<std::string> {};
}

std::string joined(const std::vector<std::string>& words)
{
    std::string out;
    for (const std::string& w : words)
        out += (out.empty() ? "" : " ") + w;
    return out;
}

/// The footer, as paragraphs (blank lines separate them; single newlines are just wrapping).
std::vector<std::string> paragraphs(const std::string& text)
{
    std::vector<std::string> out;
    std::string current;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.find_first_not_of(' ') == std::string::npos) {
            if (!current.empty())
                out.push_back(current);
            current.clear();
            continue;
        }
        current += (current.empty() ? "" : " ") + line;
    }
    if (!current.empty())
        out.push_back(current);
    return out;
}

std::string manPage(CLI::App& app)
{
    app::ManPage page;
    page.name = app.get_name();
    page.version = PARAMSCOPE_VERSION;
    page.summary = app.get_description();
    if (const std::string prefix = page.name + ": "; page.summary.rfind(prefix, 0) == 0)
        page.summary.erase(0, prefix.size());

    app::ManSection commands { "COMMANDS", false, {}, {} };
    for (CLI::App* command : visibleCommands(app)) {
        std::string usage = page.name + " " + command->get_name();
        if (!visibleOptions(*command).empty())
            usage += " [OPTIONS]";
        for (const CLI::Option* p : positionals(*command))
            usage += " " + positionalName(*p);
        page.synopsis.push_back(usage);

        app::ManSection section { usage.substr(page.name.size() + 1), true, {}, {} };
        std::string description = command->get_description();
        if (!description.empty())
            description[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(description[0])));
        section.paragraphs.push_back(description + ".");
        for (const CLI::Option* p : positionals(*command))
            section.options.push_back({ positionalName(*p, false), "", p->get_description() });
        for (const CLI::Option* o : visibleOptions(*command)) {
            std::string text = o->get_description();
            if (!o->get_default_str().empty() && text.find("default") == std::string::npos)
                text += " (default " + o->get_default_str() + ")";
            if (!isFlag(*o) && o->get_items_expected_max() > 1)
                text += "; may be given more than once";
            section.options.push_back({ names(*o), isFlag(*o) ? "" : o->get_type_name(), text });
        }
        page.sections.push_back(std::move(section));
    }
    page.synopsis.push_back(page.name + " COMMAND --help");
    page.synopsis.push_back(page.name + " --version");

    app::ManSection description { "DESCRIPTION", false, paragraphs(app.get_footer()), {} };
    description.paragraphs.insert(description.paragraphs.begin(),
        "ParamScope gives the exact integer parameter count of a transformer language model, component "
        "by component, with each component's formula. This is its command line; paramscope(1) is the "
        "desktop app.");
    page.sections.insert(page.sections.begin(), { std::move(description), std::move(commands) });
    page.sections.push_back({ "GLOBAL OPTIONS", false, {},
        { { "-h, --help", "", "print the commands (with a COMMAND: its options) and exit" },
            { "--version", "", "print the version and exit" } } });
    page.sections.push_back({ "EXIT STATUS", false,
        { "0 on success; 1 when a verification finds a mismatch; 2 on bad input, with one line on "
          "standard error that names the file, the field or the hyperparameter, and the problem." },
        {} });
    std::string presetNames;
    for (const core::Preset& p : core::presets())
        presetNames += (presetNames.empty() ? "" : ", ") + std::string(p.name);
    page.sections.push_back({ "PRESETS", false, { "Built in: " + presetNames + "." }, {} });
    page.sections.push_back({ "EXAMPLES", false,
        { "  paramscope-cli count gpt2\n"
          "  paramscope-cli count path/to/config.json --set num_hidden_layers=48 --json\n"
          "  paramscope-cli presets",
            "GPT-2 small has 124,439,808 parameters; the first command shows where each lives." },
        {} });
    page.sections.push_back({ "SEE ALSO", false, { "paramscope(1)" }, {} });
    return app::roff(page);
}

/// A bash completion function for every visible command: its options, the values an option lists,
/// files for FILE options, and presets or files for SOURCE.
std::string bashCompletion(CLI::App& app)
{
    std::ostringstream out;
    std::vector<std::string> commandNames;
    for (CLI::App* c : visibleCommands(app))
        commandNames.push_back(c->get_name());
    std::vector<std::string> presetNames;
    for (const core::Preset& p : core::presets())
        presetNames.emplace_back(p.name);

    out << "# bash completion for paramscope-cli. Generated by paramscope-cli at build time; do not edit.\n"
        << "_paramscope_cli()\n{\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command='' i\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        [[ ${COMP_WORDS[i]} == -* ]] || { command=${COMP_WORDS[i]}; break; }\n"
        << "    done\n"
        << "    if [[ -z $command ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"" << joined(commandNames) << " help --help --version\" -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    local options='' sources=''\n"
        << "    case $command in\n"
        << "    help) COMPREPLY=($(compgen -W \"" << joined(commandNames) << "\" -- \"$cur\")); return ;;\n";
    for (CLI::App* command : visibleCommands(app)) {
        std::vector<std::string> optionNames { "--help" };
        out << "    " << command->get_name() << ")\n        case $prev in\n";
        for (const CLI::Option* o : visibleOptions(*command)) {
            for (const std::string& l : o->get_lnames())
                optionNames.push_back("--" + l);
            for (const std::string& s : o->get_snames())
                optionNames.push_back("-" + s);
            if (isFlag(*o))
                continue;
            std::string pattern;
            for (const std::string& n : o->get_lnames())
                pattern += (pattern.empty() ? "--" : "|--") + n;
            for (const std::string& n : o->get_snames())
                pattern += (pattern.empty() ? "-" : "|-") + n;
            if (const auto values = listedValues(*o); !values.empty())
                out << "        " << pattern << ") COMPREPLY=($(compgen -W \"" << joined(values)
                    << "\" -- \"$cur\")); return ;;\n";
            else if (o->get_type_name() == "FILE")
                out << "        " << pattern
                    << ") compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")); "
                    << "return ;;\n";
            else // a value no list holds (a number, NAME=VALUE): nothing to offer
                out << "        " << pattern << ") return ;;\n";
        }
        out << "        esac\n        options=\"" << joined(optionNames) << "\"\n";
        if (!positionals(*command).empty())
            out << "        sources=1\n";
        out << "        ;;\n";
    }
    out << "    *) return ;;\n"
        << "    esac\n"
        << "    if [[ $cur == -* || -z $sources ]]; then\n"
        << "        COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    # SOURCE: a preset, a design file, a config.json or its folder.\n"
        << "    compopt -o filenames 2>/dev/null\n"
        << "    COMPREPLY=($(compgen -W \"" << joined(presetNames) << "\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
        << "}\n"
        << "complete -F _paramscope_cli paramscope-cli\n";
    return out.str();
}

} // namespace

void addDocsCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand("docs", "write the man page or the bash completion (for the build)");
    command->group(""); // hidden: not a command people use
    auto what = std::make_shared<std::string>();
    command->add_option("WHAT", *what, "man or bash-completion")
        ->required()
        ->check(CLI::IsMember({ "man", "bash-completion" }));
    CLI::App* parent = &app;
    onRun(command, status, [parent, what] {
        std::cout << (*what == "man" ? manPage(*parent) : bashCompletion(*parent));
        return kOk;
    });
}

} // namespace paramscope::cli

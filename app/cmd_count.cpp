// SPDX-License-Identifier: MIT
// count, convert and presets: a design's exact count, its design file, the built-in presets.
#include "cliutil.h"
#include "commands.h"

#include "designio.h"
#include "presets.h"
#include "report.h"
#include "source.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace paramscope::cli {

using namespace core;

void addCountCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand("count", "the exact parameter count of SOURCE, component by component");
    auto design = std::make_shared<DesignArgs>();
    auto format = std::make_shared<FormatArgs>();
    design->addTo(command);
    format->addTo(command, "text", "text, json, csv, markdown, latex");
    onRun(command, status, [design, format] {
        auto source = design->single("count");
        if (!source)
            return fail(source.error());
        auto f = parseFormat(format->chosen());
        if (!f)
            return fail("--format: unknown format '" + format->name + "' (text, json, csv, markdown, latex)");
        auto d = design->load(*source);
        if (!d)
            return fail(d.error());
        auto counted = count(std::move(*d));
        if (!counted)
            return fail(counted.error());
        std::cout << report(*counted, *f);
        return kOk;
    });
}

void addConvertCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand("convert", "print the ParamScope design file of SOURCE");
    auto design = std::make_shared<DesignArgs>();
    auto name = std::make_shared<std::optional<std::string>>();
    design->addTo(command);
    command->add_option("--name", *name, "the design's title")->type_name("TEXT");
    onRun(command, status, [design, name] {
        auto source = design->single("convert");
        if (!source)
            return fail(source.error());
        auto d = design->load(*source);
        if (!d)
            return fail(d.error());
        if (*name) {
            // The design file is JSON, which is UTF-8: refuse rather than write a replacement character.
            if (!isUtf8(**name))
                return fail("--name: not valid UTF-8");
            d->name = **name;
        }
        // Refuse to write a design that does not evaluate.
        if (auto e = evaluate(*d); !e)
            return fail(e.error());
        std::cout << designToJson(*d);
        return kOk;
    });
}

void addPresetsCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand("presets", "the built-in presets with their exact totals");
    auto json = std::make_shared<bool>(false);
    command->add_flag("--json", *json, "as a JSON list");
    onRun(command, status, [json] {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        std::string text;
        for (const Preset& p : presets()) {
            auto d = loadText(p.json, "preset " + std::string(p.name));
            auto c = d ? count(std::move(*d)) : Result<Counted>(d.error());
            if (!c)
                return fail(c.error());
            const Count total = c->evaluation.total;
            list.push_back({ { "name", p.name }, { "title", c->design.name }, { "class", c->design.className },
                { "total", total } });
            char line[256];
            std::snprintf(line, sizeof line, "%-14s %-32s %20s  %s\n", std::string(p.name).c_str(),
                c->design.className.c_str(), groupDigits(total).c_str(), compactCount(total).c_str());
            text += line;
        }
        std::cout << (*json ? list.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n" : text);
        return kOk;
    });
}

} // namespace paramscope::cli

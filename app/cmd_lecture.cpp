// SPDX-License-Identifier: MIT
// explain and diff: where one module's count comes from, and two designs side by side.
#include "cliutil.h"
#include "commands.h"

#include "compare.h"
#include "derivation.h"
#include "report.h"

#include <iostream>

namespace paramscope::cli {

using namespace core;

void addExplainCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand("explain",
        "derive the count of one module of SOURCE: the formula, the same with the values, the result "
        "(a block: times its copies; a container: its children added up)");
    auto design = std::make_shared<DesignArgs>();
    auto format = std::make_shared<FormatArgs>();
    design->addTo(command,
        "SOURCE, then PATH: dotted, with layer indices (transformer.h.0.attn) or * "
        "(transformer.h.*.attn); empty (\"\") for the whole model");
    format->addTo(command, "text", "text, markdown, latex, json");
    onRun(command, status, [design, format] {
        if (design->sources.size() != 2)
            return fail("explain: wants SOURCE and PATH (e.g. explain gpt2 transformer.h.0.attn), got "
                + std::to_string(design->sources.size()) + " argument(s)");
        auto f = parseDerivationFormat(format->chosen());
        if (!f)
            return fail("--format: unknown format '" + format->chosen() + "' (text, markdown, latex, json)");
        auto d = design->load(design->sources[0]);
        if (!d)
            return fail(d.error());
        auto counted = count(std::move(*d));
        if (!counted)
            return fail(counted.error());
        auto derivation = derive(*counted, design->sources[1]);
        if (!derivation)
            return fail(derivation.error());
        std::cout << renderDerivation(*derivation, *f);
        return kOk;
    });
}

void addDiffCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand("diff",
        "compare two designs: totals, active parameters, hyperparameters that differ, components matched by "
        "role and modules matched by path, with differences (B − A) and ratios (B / A)");
    auto design = std::make_shared<DesignArgs>();
    auto format = std::make_shared<FormatArgs>();
    design->addTo(command, "A and B: presets, design files or configs; --set applies to both");
    format->addTo(command, "text", "text, json, csv, markdown, latex");
    onRun(command, status, [design, format] {
        if (design->sources.size() != 2)
            return fail("diff: wants two SOURCEs, A and B (e.g. diff gpt2 gpt2-medium), got "
                + std::to_string(design->sources.size()));
        auto f = parseFormat(format->chosen());
        if (!f)
            return fail("--format: unknown format '" + format->chosen() + "' (text, json, csv, markdown, latex)");
        std::vector<Counted> both;
        for (const auto& source : design->sources) {
            auto d = design->load(source);
            if (!d)
                return fail(d.error().within(source));
            auto counted = count(std::move(*d));
            if (!counted)
                return fail(counted.error().within(source));
            both.push_back(std::move(*counted));
        }
        auto c = compare(both[0], both[1]);
        if (!c)
            return fail(c.error());
        std::cout << compareReport(*c, *f);
        return kOk;
    });
}

} // namespace paramscope::cli

// SPDX-License-Identifier: MIT
#pragma once

// Shared by the fuzz targets: the input convention (an optional first line of settings), the
// invariants every counted design must satisfy, and a way to stop on a broken one. A broken
// invariant aborts, which libFuzzer and the replay driver report as a crash with the input.

#include "breakdown.h"
#include "designio.h"
#include "overrides.h"
#include "report.h"
#include "sizingreport.h"
#include "source.h"
#include "sweep.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace paramscope::fuzz {

using core::Count;

/// Stops the run: a wrong number or a broken promise is a finding like a crash.
[[noreturn]] inline void fail(const std::string& what)
{
    std::fprintf(stderr, "fuzz: broken invariant: %s\n", what.c_str());
    std::abort();
}

inline void require(bool condition, const std::string& what)
{
    if (!condition)
        fail(what);
}

/// An input as `paramscope-cli count` would get it: `--set` settings and `--class` on an optional
/// first line ("E=1024 n_layer=2 --class=BertModel"), then the JSON text. Input whose first line
/// starts with '{' or '[' (after blanks) or has no '=' is JSON alone, so plain design files and
/// configs are inputs as they are.
struct Input {
    std::vector<std::string> settings;
    std::string className;
    std::string_view json;
};

inline Input splitInput(std::string_view text)
{
    Input in;
    const auto first = text.find_first_not_of(" \t\r\n");
    const auto eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    if (first == std::string_view::npos || text[first] == '{' || text[first] == '['
        || line.find('=') == std::string_view::npos) {
        in.json = text;
        return in;
    }
    in.json = eol == std::string_view::npos ? std::string_view {} : text.substr(eol + 1);
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto start = line.find_first_not_of(" \t\r", pos);
        if (start == std::string_view::npos)
            break;
        auto end = line.find_first_of(" \t\r", start);
        if (end == std::string_view::npos)
            end = line.size();
        const std::string token(line.substr(start, end - start));
        if (token.rfind("--class=", 0) == 0)
            in.className = token.substr(8);
        else
            in.settings.push_back(token);
        pos = end;
    }
    return in;
}

/// Applies the settings in order, as the CLI does; false at the first one refused.
inline bool applySettings(core::Design& design, const std::vector<std::string>& settings)
{
    for (const auto& s : settings) {
        auto parsed = core::parseSetting(s);
        if (!parsed) {
            require(!parsed.error().text().empty(), "parseSetting: an empty error");
            return false;
        }
        if (auto st = core::applySetting(design, parsed->first, parsed->second); !st) {
            require(!st.error().text().empty(), "applySetting: an empty error");
            return false;
        }
    }
    return true;
}

/// Everything the CLI and the app derive from a counted design, with the promises they rely on:
/// every report format, the table rows, formulas that evaluate to the counts, a breakdown that
/// sums to the total, a sweep, and a design file that reads back to the same total.
inline void exercise(const core::Counted& c)
{
    const core::Design& d = c.design;
    const core::Evaluation& e = c.evaluation;
    require(e.total >= 0 && e.nonEmbedding >= 0 && e.nonEmbedding <= e.total, "total/non-embedding out of order");
    require(e.active >= 0 && e.active <= e.total, "active exceeds total");

    for (auto f :
        { core::Format::Text, core::Format::Json, core::Format::Csv, core::Format::Markdown, core::Format::Latex })
        require(!core::report(c, f).empty(), "an empty report");

    for (const auto& row : core::rows(c)) {
        require(row.overall >= 0 && row.overall <= e.total, "a row's overall count exceeds the total");
        require(!core::shapeText(*row.module, e.nodes[static_cast<std::size_t>(row.module->index)]).empty(),
            "an empty shape text");
    }

    // Each node's formula, where it could be formed, evaluates to the node's count.
    require(c.formulas.size() == d.nodes().size(), "formulas and nodes differ in number");
    for (const core::Module* m : d.nodes()) {
        const auto i = static_cast<std::size_t>(m->index);
        if (!c.formulas[i].ok)
            continue;
        if (auto v = c.formulas[i].polynomial.evaluate(e.symbols); v)
            require(*v == e.nodes[i].count,
                core::Design::path(*m) + ": formula " + c.formulas[i].totalAscii + " gives " + std::to_string(*v)
                    + ", the count is " + std::to_string(e.nodes[i].count));
    }

    const auto kinds = core::components(d);
    if (auto b = core::breakdown(d, kinds, e); b) {
        Count sum = 0;
        for (Count part : *b) {
            auto next = core::checkedAdd(sum, part);
            require(next.has_value(), "the breakdown overflows");
            sum = *next;
        }
        require(sum == e.total, "the breakdown does not sum to the total");
    }
    (void)core::componentPolynomials(d, kinds);

    // `memory` and `flops`: an error or figures, never a crash; bf16 weights are 2 bytes a parameter.
    if (auto w = core::weightMemory(d, e, core::DataType {}); w && e.total <= INT64_MAX / 2)
        require(w->bytes == 2 * e.total, "bf16 weights are not 2 bytes per parameter");
    core::MemoryOptions memory;
    memory.context = 4096;
    if (auto m = core::memoryReport(c, memory); m) {
        require(m->kvBytes >= 0 && m->kvPerToken >= 0, "a negative KV cache");
        for (auto f : { core::Format::Text, core::Format::Json, core::Format::Csv, core::Format::Markdown })
            require(!core::memoryOutput(*m, f).empty(), "an empty memory report");
    }
    if (auto f = core::flopsReport(c, 4096, 0); f)
        require(!core::flopsOutput(*f, core::Format::Json).empty(), "an empty flops report");

    // The chart's sweep over E (or the first hyperparameter), with few points to stay fast.
    if (!d.symbols.empty()) {
        core::SweepOptions options;
        options.x = d.symbol("E") ? "E" : d.symbols.front().name;
        options.maxPoints = 16;
        if (auto s = core::sweep(d, options); s) {
            (void)core::sweepCsv(*s);
            (void)core::sweepJson(*s);
        }
    }

    // `convert`: the design file reads back to the same counts.
    const std::string file = core::designToJson(d);
    auto back = core::loadText(file, "round trip");
    require(back.ok(), "the design file written does not read back: " + (back ? "" : back.error().text()));
    auto recount = core::count(std::move(*back));
    require(recount.ok(), "the design read back does not count: " + (recount ? "" : recount.error().text()));
    const core::Evaluation& again = recount->evaluation;
    require(again.total == e.total && again.nonEmbedding == e.nonEmbedding && again.active == e.active,
        "the design read back counts " + std::to_string(again.total) + " (non-embedding "
            + std::to_string(again.nonEmbedding) + ", active " + std::to_string(again.active) + "), not "
            + std::to_string(e.total) + " (" + std::to_string(e.nonEmbedding) + ", " + std::to_string(e.active) + ")");
}

} // namespace paramscope::fuzz

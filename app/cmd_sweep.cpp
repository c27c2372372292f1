// SPDX-License-Identifier: MIT
// sweep: exact counts over one hyperparameter, as CSV or JSON.
#include "cliutil.h"
#include "commands.h"

#include "sweep.h"

#include <iostream>

namespace paramscope::cli {

using namespace core;

void addSweepCommand(CLI::App& app, int& status)
{
    auto* command
        = app.add_subcommand("sweep", "exact counts over one hyperparameter (by default through its valid values)");
    auto design = std::make_shared<DesignArgs>();
    auto range = std::make_shared<RangeArgs>();
    auto format = std::make_shared<FormatArgs>();
    design->addTo(command);
    range->addTo(command);
    format->addTo(command, "csv", "csv, json");
    onRun(command, status, [design, range, format] {
        auto source = design->single("sweep");
        if (!source)
            return fail(source.error());
        const std::string f = format->chosen();
        if (f != "csv" && f != "json")
            return fail("--format: unknown format '" + f + "' (csv, json)");
        SweepOptions options;
        options.x = range->x.value_or(options.x);
        if (auto st = range->parse(options.from, options.to, options.step); !st)
            return fail(st.error());
        auto d = design->load(*source);
        if (!d)
            return fail(d.error());
        auto s = sweep(*d, options);
        if (!s)
            return fail(s.error());
        if (f == "json") {
            std::cout << sweepJson(*s);
            return kOk;
        }
        std::cout << sweepCsv(*s);
        if (!s->skipped.empty())
            std::cerr << "paramscope-cli: skipped " << s->skipped.size() << " invalid " << s->x << " value(s), e.g. "
                      << s->x << "=" << s->skipped.front().x << ": " << s->skipped.front().reason << "\n";
        return kOk;
    });
}

} // namespace paramscope::cli

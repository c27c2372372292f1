// SPDX-License-Identifier: MIT
// Fuzz target: the design file reader. The input is a ParamScope design file, optionally after a
// line of settings (see fuzzutil.h). Runs the CLI's `count` path: read, compile, apply the
// settings, evaluate, derive formulas, then every report and the invariants of fuzzutil.h.
#include "fuzzutil.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace paramscope;
    const fuzz::Input in = fuzz::splitInput({ reinterpret_cast<const char*>(data), size });
    auto json = core::parseJson(in.json);
    if (!json) {
        fuzz::require(!json.error().text().empty(), "parseJson: an empty error");
        return 0;
    }
    // Configs are the hfimport target's: keep this one on the design reader.
    if (!core::isDesignJson(*json))
        return 0;
    auto design = core::loadText(in.json, "design.json", { in.className });
    if (!design) {
        fuzz::require(!design.error().text().empty(), "loadText: an empty error");
        return 0;
    }
    if (!fuzz::applySettings(*design, in.settings))
        return 0;
    auto counted = core::count(std::move(*design));
    if (!counted) {
        fuzz::require(!counted.error().text().empty(), "count: an empty error");
        return 0;
    }
    fuzz::exercise(*counted);
    return 0;
}

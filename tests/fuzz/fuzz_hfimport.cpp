// SPDX-License-Identifier: MIT
// Fuzz target: the Hugging Face config importer. The input is a config.json, optionally after a
// line of `--set` settings and `--class=NAME` (see fuzzutil.h). Runs the CLI's `count` path:
// import, apply the settings, evaluate, report, and the invariants of fuzzutil.h. Then the rule
// of the settings: `--set FIELD=V` counts what importing the config with FIELD = V counts.
#include "fuzzutil.h"

#include "hf/import.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace {

using namespace paramscope;

/// The config with each setting written into the field its hyperparameter came from; nullopt when
/// a setting has no field or the field's parent object is not in the config.
std::optional<nlohmann::json> withSettings(
    nlohmann::json config, const core::Design& imported, const std::vector<std::string>& settings)
{
    for (const auto& s : settings) {
        auto parsed = core::parseSetting(s);
        if (!parsed)
            return std::nullopt;
        const core::Symbol* symbol = imported.symbol(parsed->first);
        for (std::size_t i = 0; !symbol && i < imported.symbols.size(); ++i)
            if (imported.symbols[i].field == parsed->first)
                symbol = &imported.symbols[i];
        if (!symbol || symbol->field.empty())
            return std::nullopt;
        // "text_config.hidden_size" is /text_config/hidden_size.
        nlohmann::json* parent = &config;
        std::string field = symbol->field;
        for (auto dot = field.find('.'); dot != std::string::npos; dot = field.find('.')) {
            const std::string key = field.substr(0, dot);
            if (!parent->is_object() || !parent->contains(key))
                return std::nullopt;
            parent = &(*parent)[key];
            field = field.substr(dot + 1);
        }
        if (!parent->is_object())
            return std::nullopt;
        (*parent)[field] = parsed->second;
    }
    return config;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const fuzz::Input in = fuzz::splitInput({ reinterpret_cast<const char*>(data), size });
    auto json = core::parseJson(in.json);
    if (!json) {
        fuzz::require(!json.error().text().empty(), "parseJson: an empty error");
        return 0;
    }
    // Design files are the design target's: keep this one on the importer.
    if (core::isDesignJson(*json) || !core::isHfConfig(*json))
        return 0;
    auto design = core::loadText(in.json, "config.json", { in.className });
    if (!design) {
        fuzz::require(!design.error().text().empty(), "import: an empty error");
        return 0;
    }
    const core::Design imported = *design;
    if (!fuzz::applySettings(*design, in.settings))
        return 0;
    auto counted = core::count(std::move(*design));
    if (!counted) {
        fuzz::require(!counted.error().text().empty(), "count: an empty error");
        return 0;
    }
    fuzz::exercise(*counted);

    if (in.settings.empty())
        return 0;
    auto edited = withSettings(*json, imported, in.settings);
    if (!edited)
        return 0;
    auto direct = core::loadText(edited->dump(), "config.json", { in.className });
    auto directCount = direct ? core::count(std::move(*direct)) : core::Result<core::Counted>(direct.error());
    // Refusing one way and counting the other may be right (a field the importer checks); two
    // different numbers never are.
    if (directCount) {
        const core::Evaluation &bySet = counted->evaluation, &byImport = directCount->evaluation;
        fuzz::require(bySet.total == byImport.total && bySet.nonEmbedding == byImport.nonEmbedding
                && bySet.active == byImport.active,
            "--set gives " + std::to_string(bySet.total) + " (non-embedding " + std::to_string(bySet.nonEmbedding)
                + ", active " + std::to_string(bySet.active) + "), importing with the field set gives "
                + std::to_string(byImport.total) + " (non-embedding " + std::to_string(byImport.nonEmbedding)
                + ", active " + std::to_string(byImport.active) + ")");
    }
    return 0;
}

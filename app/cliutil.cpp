// SPDX-License-Identifier: MIT
#include "cliutil.h"

#include "overrides.h"
#include "source.h"

#include <iostream>
#include <tuple>

namespace paramscope::cli {

using namespace core;

int fail(const std::string& message)
{
    std::cerr << "paramscope-cli: " << message << "\n";
    return kBadInput;
}

int fail(const Error& e)
{
    return fail(e.text());
}

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

void DesignArgs::addTo(CLI::App* command, const std::string& sourceHelp)
{
    // SOURCE is checked by the command (single()), so that a missing one gets our message.
    command->add_option("SOURCE", sources, sourceHelp);
    command->add_option("--set", settings, "change a hyperparameter: NAME=VALUE (E=1024, hidden_size=1024)")
        ->type_name("NAME=VALUE")
        ->allow_extra_args(false);
    command->add_option("--class", className, "the Hugging Face class to count (e.g. GPT2Model)")->type_name("NAME");
    command
        ->add_option("--as", asFamily,
            "count a config whose model_type is not supported with a supported family's layout (e.g. llama)")
        ->type_name("FAMILY");
}

Result<std::string> DesignArgs::single(const std::string& command) const
{
    if (sources.empty())
        return Error { "", command + ": no SOURCE given (a preset name or a file)" };
    if (sources.size() > 1)
        return Error { "", command + ": more than one SOURCE given ('" + sources[0] + "', '" + sources[1] + "')" };
    return sources[0];
}

Result<Design> DesignArgs::load(const std::string& source, bool withSettings) const
{
    auto design = loadSource(source, { className, asFamily });
    if (!design || !withSettings)
        return design;
    for (const auto& s : settings) {
        auto parsed = parseSetting(s);
        if (!parsed)
            return parsed.error().within("--set");
        if (auto st = applySetting(*design, parsed->first, parsed->second); !st)
            return st.error().within("--set");
    }
    return design;
}

void FormatArgs::addTo(CLI::App* command, const std::string& fallback, const std::string& accepted)
{
    name = fallback;
    command->add_option("--format", name, "output format: " + accepted)->type_name("FORMAT")->default_str(fallback);
    command->add_flag("--json", json, "same as --format json");
}

void RangeArgs::addTo(CLI::App* command)
{
    command->add_option("--x", x, "the hyperparameter on the x axis (default E)")->type_name("NAME");
    command->add_option("--from", from, "the first x")->type_name("A");
    command->add_option("--to", to, "the last x")->type_name("B");
    command->add_option("--step", step, "between two x (default: through valid values)")->type_name("S");
}

Status RangeArgs::parse(std::optional<Count>& fromOut, std::optional<Count>& toOut, std::optional<Count>& stepOut) const
{
    for (auto [option, text, target] :
        { std::tuple { "--from", &from, &fromOut }, { "--to", &to, &toOut }, { "--step", &step, &stepOut } }) {
        if (!*text)
            continue;
        auto n = parseCount(option, **text);
        if (!n)
            return n.error();
        *target = *n;
    }
    return Ok {};
}

Result<Count> parseCount(const std::string& option, const std::string& text)
{
    auto parsed = parseSetting("x=" + text);
    if (!parsed)
        return Error { option, "'" + text + "' is not a whole number" };
    return parsed->second;
}

Result<Count> parsePositive(const std::string& option, const std::string& text)
{
    auto n = parseCount(option, text);
    if (!n)
        return Error { option, "'" + text + "' is not a whole number (or overflows 64 bits)" };
    if (*n < 1)
        return Error { option, "must be at least 1 (got " + text + ")" };
    return *n;
}

} // namespace paramscope::cli

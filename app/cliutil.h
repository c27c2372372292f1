// SPDX-License-Identifier: MIT
#pragma once
// What every paramscope-cli command shares: the one-line failure, loading SOURCE with --class and
// --set, and parsing whole numbers. Options are declared with CLI11; values are checked here so
// that every message names its option the same way.
#include "design.h"
#include "result.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paramscope::cli {

using core::Count;

/// Exit status: success, a verification mismatch, bad input.
constexpr int kOk = 0;
constexpr int kMismatch = 1;
constexpr int kBadInput = 2;

/// Prints "paramscope-cli: MESSAGE" on stderr and returns kBadInput.
int fail(const std::string& message);
int fail(const core::Error& e);

/// Whether @p s is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool isUtf8(std::string_view s);

/// SOURCE with --class and the --set list, in order, as a command declares them.
struct DesignArgs {
    std::vector<std::string> sources; ///< positional SOURCE(s)
    std::string className;
    std::string asFamily; ///< --as: an unknown model_type counted with a known family's builder
    std::vector<std::string> settings;

    /// Adds SOURCE, --set, --class and --as to @p command.
    void addTo(CLI::App* command, const std::string& sourceHelp = "a preset name, design file, config.json or folder");
    /// The one SOURCE of @p command. Error: none, or more than one.
    core::Result<std::string> single(const std::string& command) const;
    /// Loads @p source with --class and applies the --set list.
    core::Result<core::Design> load(const std::string& source, bool withSettings = true) const;
};

/// --format NAME and --json (which means --format json); each command checks the name.
struct FormatArgs {
    std::string name;
    bool json = false;
    /// Adds --format (listing @p accepted in the help, default @p fallback) and --json.
    void addTo(CLI::App* command, const std::string& fallback, const std::string& accepted);
    std::string chosen() const { return json ? "json" : name; }
};

/// --x, --from, --to, --step: the swept hyperparameter and its range.
struct RangeArgs {
    std::optional<std::string> x, from, to, step;
    void addTo(CLI::App* command);
    /// Parses the numbers given into @p from, @p to, @p step (left as they are otherwise).
    core::Status parse(std::optional<Count>& from, std::optional<Count>& to, std::optional<Count>& step) const;
};

/// A whole number for an option (--from, --to, --dpi …). Error names @p option.
core::Result<Count> parseCount(const std::string& option, const std::string& text);
/// A whole number of at least 1 (--context, --batch, --devices, --tokens).
core::Result<Count> parsePositive(const std::string& option, const std::string& text);

/// Runs a command's body once parsing is done, storing its exit status in @p status. Bodies
/// report bad input by returning fail(…); the status of the command that ran wins.
template <typename Body> void onRun(CLI::App* command, int& status, Body body)
{
    command->callback([&status, body = std::move(body)] { status = body(); });
}

} // namespace paramscope::cli

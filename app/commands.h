// SPDX-License-Identifier: MIT
#pragma once
// The commands of paramscope-cli, one registration each: it adds the subcommand with its options
// to the app, and sets @p status when that subcommand runs.
#include <CLI/CLI.hpp>

namespace paramscope::cli {

void addCountCommand(CLI::App& app, int& status); // count
void addConvertCommand(CLI::App& app, int& status); // convert
void addPresetsCommand(CLI::App& app, int& status); // presets
void addSweepCommand(CLI::App& app, int& status); // sweep
void addChartCommand(CLI::App& app, int& status, int argc, char** argv); // chart (Qt, offscreen)
void addMemoryCommand(CLI::App& app, int& status); // memory
void addFlopsCommand(CLI::App& app, int& status); // flops
void addDocsCommand(CLI::App& app, int& status); // docs (hidden): man page and bash completion
void addExplainCommand(CLI::App& app, int& status); // explain (cmd_lecture.cpp)
void addDiffCommand(CLI::App& app, int& status); // diff (cmd_lecture.cpp)
void addDiagramCommand(CLI::App& app, int& status, int argc, char** argv); // diagram (Qt, offscreen)
void addVerifyCommand(CLI::App& app, int& status); // verify (against a checkpoint's tensors)
void addInspectCommand(CLI::App& app, int& status); // inspect (a checkpoint's tensors)

} // namespace paramscope::cli

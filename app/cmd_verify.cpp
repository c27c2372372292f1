// SPDX-License-Identifier: MIT
// verify and inspect: a design against a checkpoint's tensors (headers only), and a checkpoint's
// tensors on their own.
#include "cliutil.h"
#include "commands.h"

#include "report.h"
#include "weights/checkpoint.h"
#include "weights/verify.h"
#include "weights/verifyreport.h"

#include <iostream>

namespace paramscope::cli {

using namespace core;

void addVerifyCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand(
        "verify", "check SOURCE against a checkpoint's tensors, headers only (exit 1 on a mismatch, listed)");
    auto design = std::make_shared<DesignArgs>();
    auto json = std::make_shared<bool>(false);
    design->addTo(command,
        "SOURCE WEIGHTS (a preset, design file or config.json, then a .safetensors, "
        "model.safetensors.index.json, folder or .gguf), or one model FOLDER holding config.json and its weights");
    command->add_flag("--json", *json, "as JSON");
    onRun(command, status, [design, json] {
        const auto& args = design->sources;
        if (args.empty() || args.size() > 2)
            return fail(args.empty() ? "verify: no SOURCE and WEIGHTS given (or a model folder)"
                                     : "verify: more than SOURCE and WEIGHTS given ('" + args[2] + "')");
        // One argument: a model folder, counted from its config.json and checked against its weights.
        const std::string& source = args[0];
        const std::string& weights = args.size() == 2 ? args[1] : args[0];
        auto d = design->load(source);
        if (!d)
            return fail(d.error());
        auto counted = count(std::move(*d));
        if (!counted)
            return fail(counted.error());
        auto tensors = readCheckpoint(weights);
        if (!tensors)
            return fail(tensors.error());
        const Verification v = verify(counted->design, counted->evaluation, *tensors);
        std::cout << (*json ? verifyJson(*counted, v) : verifyText(*counted, v));
        return v.ok() ? kOk : kMismatch;
    });
}

void addInspectCommand(CLI::App& app, int& status)
{
    auto* command = app.add_subcommand(
        "inspect", "a checkpoint's tensors grouped like the tree, the stored total and the bytes per dtype");
    auto weights = std::make_shared<std::vector<std::string>>();
    auto json = std::make_shared<bool>(false);
    command->add_option("WEIGHTS", *weights, "a .safetensors, model.safetensors.index.json, folder or .gguf");
    command->add_flag("--json", *json, "as JSON");
    onRun(command, status, [weights, json] {
        if (weights->size() != 1)
            return fail(weights->empty() ? "inspect: no WEIGHTS given (a file or folder)"
                                         : "inspect: more than one WEIGHTS given");
        auto tensors = readCheckpoint(weights->front());
        if (!tensors)
            return fail(tensors.error());
        std::cout << (*json ? inspectJson(*tensors) : inspectText(*tensors));
        return kOk;
    });
}

} // namespace paramscope::cli
